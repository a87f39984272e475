"""Translate the maps' own words (layer names, legend titles) where the page is built: with
Flask-Babel inside the app, and as the English message ids anywhere else (tests, reports, a
bare Flask app without Babel), so a builder never needs the app to run."""

from __future__ import annotations

from flask import current_app, has_app_context
from flask_babel import get_locale, gettext

from logistics.i18n import N_, Message

__all__ = ["N_", "Message", "_", "locale_tag"]


def _babel_here() -> bool:
    return has_app_context() and "babel" in current_app.extensions


def _(message: str, **params) -> str:
    """The message in the page's language, else the message id itself."""
    if _babel_here():
        return gettext(message, **params)
    return message % params if params else message


def locale_tag() -> str:
    """The BCP 47 tag the browser formats numbers and dates with ("id", "en")."""
    locale = get_locale() if _babel_here() else None
    return str(locale).replace("_", "-") if locale is not None else "en"
