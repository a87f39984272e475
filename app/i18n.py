"""Bahasa Indonesia by default, English on request; domain messages translated at the edge."""

from __future__ import annotations

from flask import Flask, current_app, request, session
from flask_babel import get_locale, gettext
from flask_login import current_user

from app.extensions import babel
from app.labels import REGION_KIND_LABELS, role_label
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
    """Translate a domain error's message template, then fill in its parameters (translating
    those that are marked messages themselves, such as a status label or a reason)."""
    text = gettext(error.message)
    if not error.params:
        return text
    return text % {name: gettext(value) if isinstance(value, Message) else value
                   for name, value in error.params.items()}


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals.update(
        get_locale=get_locale, LANGUAGE_NAMES=LANGUAGE_NAMES,
        REGION_KIND_LABELS=REGION_KIND_LABELS, role_label=role_label,
    )
