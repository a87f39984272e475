"""API conventions shared by every endpoint: registration under /api/v1, CSRF for cookies."""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_login import current_user
from flask_smorest import Blueprint

from app.extensions import api, csrf
from app.security import API_PREFIX, authenticated_by_token

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def register_api_blueprint(app: Flask, blp: Blueprint) -> None:
    """Register under /api/v1, outside the form CSRF check (see protect_cookie_sessions)."""
    csrf.exempt(blp)
    api.register_blueprint(blp)


def protect_cookie_sessions() -> None:
    """Bearer calls need no CSRF token; a write riding on a browser session cookie does."""
    if not request.path.startswith(API_PREFIX) or request.method not in UNSAFE_METHODS:
        return
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    # Resolve the user first: that is what records whether a bearer token was used.
    if current_user.is_authenticated and not authenticated_by_token():
        csrf.protect()
