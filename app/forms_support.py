"""Show a domain error on the form that caused it, instead of on a separate error page."""

from __future__ import annotations

from flask import flash
from flask_babel import gettext
from flask_wtf import FlaskForm

from app.errors import status_for
from app.extensions import db
from app.i18n import translate_error
from logistics.errors import DomainError


def form_status(form: FlaskForm) -> int:
    """422 for a submitted form that failed validation, 200 for a form shown fresh."""
    return 422 if form.is_submitted() and form.errors else 200


def show_domain_error(form: FlaskForm, error: DomainError) -> int:
    """Roll back, put the message on the named field (or flash it), and return the status."""
    db.session.rollback()
    message = translate_error(error)
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, message]
    else:
        flash(message, "danger")
    return status_for(error)


def flat_schema_errors(messages, prefix="") -> dict[str, list[str]]:
    """Flatten marshmallow's nested errors to {"lines.0.qty": [...]}, translated."""
    flat: dict[str, list[str]] = {}
    for key, value in messages.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flat_schema_errors(value, f"{name}."))
        else:
            flat[name] = [gettext(message) for message in value]
    return flat
