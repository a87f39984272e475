"""Create users, check passwords, issue and revoke API tokens, start and end browser sessions.

Operations flush; callers commit.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from logistics.accounts import scopes
from logistics.accounts.errors import (
    InvalidUsername,
    LastActiveAdmin,
    TokenCannotIssueTokens,
    UnknownToken,
    UsernameTaken,
    WeakPassword,
    WrongCurrentPassword,
)
from logistics.accounts.models import ApiToken, User, UserSession
from logistics.accounts.roles import Role, Scope
from logistics.db import utcnow
from logistics.errors import Unauthenticated

MIN_PASSWORD_LENGTH = 10
USERNAME_PATTERN = r"^[a-zA-Z0-9._-]{3,40}$"
TOKEN_PREFIX = "lsk_"
# How precisely "last used" is kept: finer would mean a write on every API call.
TOKEN_USE_RESOLUTION = timedelta(minutes=15)
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
    assignments: Mapping[Scope, Collection[int]] | None = None,
) -> User:
    """Register a person with one role; usernames are case-insensitive and unique.

    ``assignments`` are the objects a scoped role is limited to (a keeper's warehouses); a
    scoped role may start with none, and its home page then says who can assign them.
    """
    username = username.strip().lower()
    if not re.fullmatch(USERNAME_PATTERN, username):
        raise InvalidUsername(field="username")
    if session.scalar(select(User.id).where(func.lower(User.username) == username)):
        raise UsernameTaken(field="username", username=username)
    _check_password_strength(password)
    assignments = assignments or {}
    scopes.check_assignments(session, role, assignments)
    user = User(
        username=username, full_name=full_name.strip(), role=Role(role).value,
        password_hash=generate_password_hash(password), email=email, phone=phone,
    )
    try:
        with session.begin_nested():  # a concurrent insert of the same name loses cleanly
            session.add(user)
    except IntegrityError:
        raise UsernameTaken(field="username", username=username) from None
    if any(assignments.values()):
        session.flush()
        scopes.assign(session, user, assignments)
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
    assignments: Mapping[Scope, Collection[int]] | None = None,
) -> User:
    """Change a person's details, role, access or assignments (a scope left out of
    ``assignments`` stays as it is); deactivating ends their sessions and tokens, and a role
    no longer limited to a scope loses its assignments there."""
    assignments = assignments or {}
    scopes.check_assignments(session, role, assignments)
    stays_admin = is_active and Role(role) == Role.ADMIN
    if user.role == Role.ADMIN and user.is_active and not stays_admin:
        _keep_another_active_admin(session, user, field="is_active" if not is_active else "role")
    user.full_name, user.role = full_name.strip(), Role(role).value
    user.email, user.phone = email, phone
    if user.is_active and not is_active:
        revoke_all_tokens(session, user=user)
        end_all_sessions(session, user=user)
    user.is_active = is_active
    session.flush()
    scopes.assign(session, user, assignments)
    return user


def _keep_another_active_admin(session: Session, user: User, *, field: str) -> None:
    """Refuse to demote or deactivate the last active admin: nobody could manage users after.

    The active admins' rows are locked in id order (PostgreSQL; SQLite's BEGIN IMMEDIATE
    already serializes writers), so two admins demoting each other cannot both succeed.
    """
    admin_ids = session.scalars(
        select(User.id)
        .where(User.role == Role.ADMIN.value, User.is_active.is_(True))
        .order_by(User.id)
        .with_for_update()
    ).all()
    if not set(admin_ids) - {user.id}:
        raise LastActiveAdmin(field=field)


def set_password(session: Session, *, user: User, password: str) -> None:
    """Set a new password; every session and API token opened with the old one stops working.

    Locks the user's row first, so a login with the old password that is still in flight
    either finishes (and its token is revoked here) or waits and then fails.
    """
    _check_password_strength(password)
    session.refresh(user, with_for_update=True)
    user.password_hash = generate_password_hash(password)
    revoke_all_tokens(session, user=user)
    end_all_sessions(session, user=user)
    session.flush()


def change_own_password(session: Session, *, user: User, current_password: str,
                        new_password: str) -> None:
    """Let a user replace their password, proving they know the current one."""
    if not check_password_hash(user.password_hash, current_password):
        raise WrongCurrentPassword(field="current_password")
    set_password(session, user=user, password=new_password)


def authenticate(session: Session, *, username: str, password: str) -> User:
    """Return the active user with these credentials, or raise without saying what was wrong.

    The user's row is locked (PostgreSQL) until the caller commits, so a password change
    cannot slip between checking the old password and issuing a token with it.
    """
    user = session.scalar(
        select(User).where(func.lower(User.username) == username.strip().lower())
        .with_for_update()
    )
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


def issue_token(
    session: Session, *, user: User, name: str, valid_for: timedelta, requested_with_token=False
) -> IssuedToken:
    """Create a bearer token for a user; store only its hash.

    A request authenticated by a token may not create tokens: a stolen token must not be
    able to outlive its own revocation or expiry.
    """
    if requested_with_token:
        raise TokenCannotIssueTokens()
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user, name=name.strip() or "token", prefix=secret[: len(TOKEN_PREFIX) + 6],
        token_hash=_digest(secret), expires_at=utcnow() + valid_for,
    )
    session.add(token)
    session.flush()
    return IssuedToken(token=token, secret=secret)


def resolve_token(session: Session, secret: str, *, now: datetime | None = None) -> ApiToken:
    """Return the usable token with this secret whose owner is active, or raise Unauthenticated."""
    now = now or utcnow()
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(secret)))
    if token is None or not token.is_usable(now) or not token.user.is_active:
        raise Unauthenticated()
    return token


def user_for_token(session: Session, secret: str, *, now: datetime | None = None) -> User:
    return resolve_token(session, secret, now=now).user


def token_use_is_stale(token: ApiToken, now: datetime) -> bool:
    return token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_RESOLUTION


def record_token_use(session: Session, *, token_id: int, now: datetime | None = None) -> None:
    """Note that a token was used, at most once per TOKEN_USE_RESOLUTION.

    A guarded UPDATE rather than a read-modify-write, so concurrent requests with one token
    neither race nor queue behind each other's row lock for longer than this statement.
    """
    now = now or utcnow()
    session.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id)
        .where(or_(ApiToken.last_used_at.is_(None),
                   ApiToken.last_used_at <= now - TOKEN_USE_RESOLUTION))
        .values(last_used_at=now)
    )


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
    """Revoke every live token of the user, including ones committed since it was loaded."""
    session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def set_locale(session: Session, *, user: User, locale: str) -> None:
    """Remember the user's language for their next login, on any device."""
    user.locale = locale
    session.flush()


def start_session(session: Session, *, user: User, lifetime: timedelta,
                  now: datetime | None = None) -> str:
    """Record a newly logged-in browser; return the key its cookie carries (stored hashed).

    The user's sessions older than ``lifetime`` have ended anyway and are cleared here, so the
    table holds about one row per live browser.
    """
    now = now or utcnow()
    session.execute(delete(UserSession).where(UserSession.user_id == user.id,
                                              UserSession.created_at <= now - lifetime))
    key = secrets.token_urlsafe(32)
    session.add(UserSession(user_id=user.id, key_hash=_digest(key), created_at=now))
    session.flush()
    return key


def session_user(session: Session, *, user_id: int, key: str, lifetime: timedelta,
                 now: datetime | None = None) -> User | None:
    """The active user whose live session has this key, or None once it has ended."""
    now = now or utcnow()
    return session.scalar(
        select(User).join(UserSession, UserSession.user_id == User.id)
        .where(UserSession.key_hash == _digest(key), User.id == user_id,
               UserSession.created_at > now - lifetime, User.is_active.is_(True))
    )


def end_session(session: Session, *, key: str) -> None:
    """Log out the one browser holding this key; every copy of its cookie stops working."""
    session.execute(delete(UserSession).where(UserSession.key_hash == _digest(key)))


def end_all_sessions(session: Session, *, user: User) -> None:
    """Log the user out on every browser, including ones logged in since the user was loaded."""
    session.execute(delete(UserSession).where(UserSession.user_id == user.id))
