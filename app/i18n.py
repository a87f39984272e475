"""Bahasa Indonesia by default, English on request; domain messages translated at the edge."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, get_group_symbol
from flask import Flask, current_app, request, session
from flask_babel import get_locale, gettext
from flask_login import current_user

from app.extensions import babel
from app.labels import REGION_KIND_LABELS, role_label
from logistics import calendar
from logistics.errors import DomainError
from logistics.i18n import Message

LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}


def select_locale() -> str:
    """An explicit choice in this session, else the user's saved choice, else Indonesian.

    API clients may also ask with Accept-Language; browsers' headers are ignored on pages so
    that an English-configured phone still gets the Indonesian UI the office expects.
    """
    languages = current_app.config["LANGUAGES"]
    if request.path.startswith("/api/") and request.headers.get("Accept-Language"):
        asked = request.accept_languages.best_match(languages)
        if asked:
            return asked
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def translate_error(error: DomainError) -> str:
    """Translate a domain error's message template, then fill in its parameters: marked
    messages (a status label, a reason) translated, numbers, dates and times formatted."""
    text = gettext(error.message)
    if not error.params:
        return text
    return text % {name: readable(value) for name, value in error.params.items()}


def readable(value):
    """A value as a person reads it in the current language; other values unchanged."""
    if isinstance(value, Message):
        return gettext(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return number(value)
    if isinstance(value, datetime):
        return moment(value)
    if isinstance(value, date):
        return day(value)
    return value


# Formats every page, print and export uses: `3.240`, `1 Desember 2026`, `1 Des 2026 05.33 WIB`
# in Indonesian; the same through Babel in English. Numbers are never formatted by hand.

def number(value, signed: bool = False, decimals: int = 0) -> str:
    """A quantity with the language's digit grouping ("3.240" / "3,240"), rounded to
    ``decimals`` ("1,5" in Indonesian), with its sign when ``signed`` ("+3.240"); None as a dash."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    text = format_decimal(value, pattern, locale=get_locale())
    return f"+{text}" if signed and value > 0 else text


def day(value, width: str = "long") -> str:
    """A calendar date: "1 Desember 2026" (long), "1 Des 2026" (medium); None as a dash."""
    if value is None:
        return "—"
    return format_date(value, width, locale=get_locale())


def moment(value, with_zone: bool = True) -> str:
    """A stored moment in the field's zone, named as offices name it: "1 Des 2026 05.33 WIB"."""
    if value is None:
        return "—"
    local = calendar.local_time(value)
    text = format_datetime(local, "d MMM y", locale=get_locale()) + " " + format_datetime(
        local, "HH.mm" if str(get_locale()) == "id" else "HH:mm", locale=get_locale())
    return f"{text} {calendar.zone_abbreviation()}" if with_zone else text


def digit_group() -> str:
    """The thousands separator people type in the current language ("." in Indonesian)."""
    return get_group_symbol(get_locale())


def init_app(app: Flask) -> None:
    calendar.use_field_timezone(app.config["BABEL_DEFAULT_TIMEZONE"])
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters.update(number=number, day=day, moment=moment)
    app.jinja_env.globals.update(
        get_locale=get_locale, LANGUAGE_NAMES=LANGUAGE_NAMES,
        REGION_KIND_LABELS=REGION_KIND_LABELS, role_label=role_label,
    )
