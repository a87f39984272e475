"""Create users, check passwords, issue and revoke API tokens. Operations flush; callers commit."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from logistics.accounts.errors import UnknownToken, UsernameTaken, WeakPassword
from logistics.accounts.models import ApiToken, User
from logistics.accounts.roles import Role
from logistics.db import utcnow
from logistics.errors import Unauthenticated

MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "lsk_"
# Compared against when the username is unknown, so a miss costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def _check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(field="password", min_length=MIN_PASSWORD_LENGTH)


def create_user(
    session: Session,
    *,
    username: str,
    full_name: str,
    role: Role | str,
    password: str,
    email: str | None = None,
    phone: str | None = None,
) -> User:
    """Register a person with one role; usernames are case-insensitive and unique."""
    username = username.strip().lower()
    if session.scalar(select(User.id).where(func.lower(User.username) == username)):
        raise UsernameTaken(field="username", username=username)
    _check_password_strength(password)
    user = User(
        username=username, full_name=full_name.strip(), role=Role(role).value,
        password_hash=generate_password_hash(password), email=email, phone=phone,
    )
    session.add(user)
    session.flush()
    return user


def update_user(
    session: Session,
    *,
    user: User,
    full_name: str,
    role: Role | str,
    is_active: bool,
    email: str | None = None,
    phone: str | None = None,
) -> User:
    """Change a person's details, role or access; deactivating also revokes their tokens."""
    user.full_name, user.role = full_name.strip(), Role(role).value
    user.email, user.phone = email, phone
    if user.is_active and not is_active:
        revoke_all_tokens(session, user=user)
    user.is_active = is_active
    session.flush()
    return user


def set_password(session: Session, *, user: User, password: str) -> None:
    _check_password_strength(password)
    user.password_hash = generate_password_hash(password)
    session.flush()


def authenticate(session: Session, *, username: str, password: str) -> User:
    """Return the active user with these credentials, or raise without saying what was wrong."""
    user = session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        raise Unauthenticated()
    if not check_password_hash(user.password_hash, password) or not user.is_active:
        raise Unauthenticated()
    user.last_login_at = utcnow()
    session.flush()
    return user


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown to the user exactly once


def _digest(secret: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is enough and keeps every API call cheap.
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(session: Session, *, user: User, name: str, valid_for: timedelta) -> IssuedToken:
    """Create a bearer token for a user; store only its hash."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user, name=name.strip() or "token", prefix=secret[: len(TOKEN_PREFIX) + 6],
        token_hash=_digest(secret), expires_at=utcnow() + valid_for,
    )
    session.add(token)
    session.flush()
    return IssuedToken(token=token, secret=secret)


def user_for_token(session: Session, secret: str, *, now: datetime | None = None) -> User:
    """Return the active owner of a usable token, or raise Unauthenticated."""
    now = now or utcnow()
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(secret)))
    if token is None or not token.is_usable(now) or not token.user.is_active:
        raise Unauthenticated()
    token.last_used_at = now
    session.flush()
    return token.user


def revoke_token(session: Session, *, user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens; revoking twice is harmless."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise UnknownToken()
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
    return token


def revoke_all_tokens(session: Session, *, user: User) -> None:
    now = utcnow()
    for token in user.tokens:
        if token.revoked_at is None:
            token.revoked_at = now
    session.flush()
