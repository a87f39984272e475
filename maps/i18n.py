"""Translate the maps' own words (layer names, legend titles) where the page is built: with
Flask-Babel inside a request, and as the English message ids outside one (tests, reports)."""

from __future__ import annotations

from flask_babel import get_locale, gettext

from logistics.i18n import N_, Message

__all__ = ["N_", "Message", "_", "locale_tag"]


def _(message: str, **params) -> str:
    """The message in the page's language; outside an app context Flask-Babel returns it as is."""
    return gettext(message, **params)


def locale_tag() -> str:
    """The BCP 47 tag the browser formats numbers and dates with ("id", "en")."""
    locale = get_locale()
    return str(locale).replace("_", "-") if locale is not None else "en"
