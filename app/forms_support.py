"""Check a page's form with the API's marshmallow schema and answer its errors on the form.

Flask-WTF keeps the CSRF token and Bootstrap-Flask's rendering; the fields carry no validators
of their own. Shape is checked by the schema the API uses and rules by the operation, so a
rule has one home and a page reads like the API: the same message on the same field.
"""

from __future__ import annotations

from typing import ClassVar

from flask import flash, request
from flask_wtf import FlaskForm
from marshmallow import Schema, ValidationError, validate
from wtforms import BooleanField, PasswordField

from app.errors import field_messages, status_for
from app.extensions import db
from app.i18n import digit_group, translate_error
from logistics.core.fields import Id, Text, first_problem, from_text, parse_integer
from logistics.errors import DomainError


def form_status(form: FlaskForm) -> int:
    """422 for a submitted form that failed validation, 200 for a form shown fresh."""
    return 422 if form.is_submitted() and form.errors else 200


def _show(form: FlaskForm, name: str | None, messages: list[str]) -> None:
    """Put messages under the field of that name (without the form's prefix), or flash them."""
    if name and name in form:
        form[name].errors = [*form[name].errors, *messages]
        return
    form.form_errors = [*form.form_errors, *messages]  # so form_status still answers 422
    for message in messages:
        flash(message, "danger")


def show_domain_error(form: FlaskForm, error: DomainError) -> int:
    """Roll back, put the message on the named field (or flash it), and return the status."""
    db.session.rollback()
    _show(form, error.field, [translate_error(error)])
    return status_for(error)


def reshows_on_expiry(view):
    """Mark a form view that may be run again when its CSRF token fails (the session changed
    while the form was open): it then shows the form with what was typed, posting nothing,
    instead of a bare error page (`app.errors.handle_csrf_error`).

    Only for views that check the token themselves before writing (``validate_on_submit`` of
    a Flask-WTF form, which `SchemaForm.load` and the stock posting forms call): run again,
    they find the token invalid and write nothing."""
    view.reshows_form = True
    return view


def typed(schema: Schema, data) -> dict:
    """A page's typed text as ``schema`` loads it: numbers read as people type them in the
    page's language ("1.000" is a thousand in Indonesian), everything else left to the schema."""
    return from_text(schema, data, digit_group())


def id_from_text(text: str) -> int:
    """A page's query or form value as a row id (for ``request.args.get(..., type=...)``);
    anything else, including an id no row can have, raises ValueError and reads as absent."""
    number = parse_integer(text)
    if number is None or first_problem(Id(), number):
        raise ValueError(text)
    return number


def query_text(name: str, max_length: int) -> str | None:
    """A page's query text, or None when blank or not text a field of that length takes."""
    value = (request.args.get(name) or "").strip()
    return value if value and not first_problem(Text(max_length), value) else None


class SchemaForm(FlaskForm):
    """A form whose input ``schema`` loads, exactly as the API's request body would be.

    The schema also marks which fields are required and how long they may be, so the
    rendered inputs carry the same limits (``required``, ``maxlength``) without a second copy.
    """

    schema: ClassVar[type[Schema]]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._checker = self.schema()
        for field in self:
            if field.short_name in self._checker.fields:
                _mark_limits(field, self._checker.fields[field.short_name])

    def payload(self) -> dict:
        """What was typed into each field the schema knows; a blank box is left out."""
        payload = {}
        for field in self:
            name = field.short_name
            if name not in self._checker.fields:
                continue
            if isinstance(field, BooleanField):
                payload[name] = bool(field.data)
                continue
            value = (getattr(field, "raw_data", None) or [""])[0]
            value = value if isinstance(field, PasswordField) else value.strip()
            if value:
                payload[name] = value
        return payload

    def load(self) -> dict | None:
        """The loaded input of a submitted form, or None with the schema's messages shown."""
        if not self.validate_on_submit():  # the CSRF token: the fields have no validators
            return None
        try:
            return self._checker.load(typed(self._checker, self.payload()))
        except ValidationError as error:
            for name, messages in field_messages(error.messages).items():
                _show(self, name, messages)
            return None


def _mark_limits(field, schema_field) -> None:
    """Render the schema's limits on the input; the browser is not asked to enforce them."""
    if schema_field.required and not isinstance(field, BooleanField):
        field.flags.required = True
    for validator in schema_field.validators:
        if isinstance(validator, validate.Length) and validator.max is not None:
            field.flags.maxlength = validator.max


def rows_on_page(errors: dict, places: list[int], *, name: str = "members") -> dict:
    """Errors of a form's filled rows ("members.1.nik", the second filled row) moved to the
    row's place on the page, where blank rows were dropped before checking."""
    moved = {}
    for key, messages in errors.items():
        parts = key.split(".", 2)
        if parts[0] == name and len(parts) == 3 and parts[1].isdigit() \
                and int(parts[1]) < len(places):
            parts[1] = str(places[int(parts[1])])
        moved[".".join(parts)] = messages
    return moved
