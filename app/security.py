"""Who is asking, and may they: sessions for pages, bearer tokens for the API, one role check."""

from __future__ import annotations

import hmac
from datetime import timedelta
from functools import wraps

from flask import Flask, current_app, g, request, session
from flask_login import current_user, login_user, logout_user
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import Forbidden, Unauthorized

from app import database
from app.extensions import db, limiter, login
from logistics.accounts import operations as accounts
from logistics.accounts.models import User
from logistics.accounts.roles import Permission
from logistics.core.masking import shown_to, text_shown_to
from logistics.db import utcnow
from logistics.errors import Unauthenticated


def login_rate_limit() -> str:
    """The limit on password attempts per client address (Flask-Limiter syntax)."""
    return current_app.config["LOGIN_RATE_LIMIT"]


def _failed(response) -> bool:
    return response.status_code in (401, 422)


# One budget for every place a password is tried (login form, API token, password change);
# only failures spend it, so a shift of staff logging in behind one posko router is not blocked.
password_attempts = limiter.shared_limit(
    login_rate_limit, scope="password-attempts", methods=["POST"], deduct_when=_failed
)


API_PREFIX = "/api/"


def bearer_secret() -> str | None:
    """The bearer token of an API request; pages never accept tokens, only sessions."""
    if not request.path.startswith(API_PREFIX):
        return None
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" and secret.strip() else None


# Where the cookie keeps the key of its server-side session row (`UserSession`).
SESSION_KEY = "session_key"


def _session_lifetime() -> timedelta:
    return timedelta(days=current_app.config["SESSION_DAYS"])


def start_session(user: User) -> None:
    """Log this browser in with a session the server can end (logout, a new password...).

    Adds the session row to the request's transaction: the view commits it.
    """
    key = accounts.start_session(db.session, user=user, lifetime=_session_lifetime())
    login_user(user)
    session[SESSION_KEY] = key


def end_session() -> None:
    """Log this browser out, on the server too, so a copy of its cookie is worth nothing.

    Adds the deletion to the request's transaction: the view commits it.
    """
    key = session.pop(SESSION_KEY, None)
    if key:
        accounts.end_session(db.session, key=key)
    logout_user()


def _load_session_user(session_id: str) -> User | None:
    if bearer_secret() is not None:
        return None  # an API call with a token stands on the token alone, not on a cookie
    user_id, _, fingerprint = session_id.partition(":")
    key = session.get(SESSION_KEY)
    if not (user_id.isascii() and user_id.isdigit()) or not isinstance(key, str):
        return None
    user = accounts.session_user(db.session, user_id=int(user_id), key=key,
                                 lifetime=_session_lifetime())
    if user is None:
        return None  # logged out, on this browser or everywhere, or too old
    if not hmac.compare_digest(fingerprint, user.session_fingerprint):
        return None  # the password changed since this session logged in
    return user


def _load_token_user(_request) -> User | None:
    secret = bearer_secret()
    if secret is None:
        return None
    now = utcnow()
    try:
        token = accounts.resolve_token(db.session, secret, now=now)
    except Unauthenticated:
        return None
    g.authenticated_by_token = True
    if accounts.token_use_is_stale(token, now):
        g.token_use_to_record = token.id
    return token.user


def _record_token_use(_exc) -> None:
    """At the end of the request, note the token's use in a transaction of its own.

    The request's own transaction is finished by now (committed by the view or rolled back
    by the error handler), so closing the session loses nothing.
    """
    token_id = g.pop("token_use_to_record", None)
    if token_id is None:
        return
    db.session.close()
    try:
        with database.write_transactions():
            accounts.record_token_use(db.session, token_id=token_id)
            db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.warning("could not record use of API token %s", token_id)


def authenticated_by_token() -> bool:
    return bool(g.get("authenticated_by_token"))


def require(permission: Permission | None = None):
    """Allow the view only to a logged-in, active user holding ``permission``.

    Used by pages and API endpoints alike; app.errors turns the refusals into a login
    redirect or page for browsers and JSON for API clients.
    """

    def decorator(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                raise Unauthorized()
            if permission is not None and not current_user.can(permission):
                raise Forbidden()
            return view(*args, **kwargs)

        guarded.required_permission = permission
        return guarded

    return decorator


def init_app(app: Flask) -> None:
    login.init_app(app)
    login.user_loader(_load_session_user)
    login.request_loader(_load_token_user)
    login.session_protection = "basic"
    app.teardown_request(_record_token_use)

    @app.template_filter("personal_number")
    def _personal_number(value):
        """NIK / No. KK as the current user may see it (`logistics.core.masking`)."""
        return shown_to(current_user, value)

    @app.template_filter("personal_text")
    def _personal_text(value):
        """Free text (an address, notes, a reason) with any NIK / No. KK typed into it as the
        current user may see it (`logistics.core.masking`)."""
        return text_shown_to(current_user, value)

    @app.context_processor
    def _permissions():
        return {"Permission": Permission}
