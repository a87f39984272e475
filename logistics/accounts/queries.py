"""Read users and tokens."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from logistics.accounts.errors import UnknownUser
from logistics.accounts.models import ApiToken, User
from logistics.accounts.roles import Role, role_can


def get_user_by_username(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    if user is None:
        raise UnknownUser(username=username)
    return user


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise UnknownUser(username=f"#{user_id}")
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.role, User.username)))


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    return list(session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())
    ))


def page_users(session: Session, *, after: str | None = None, limit: int) -> list[User]:
    """Up to ``limit`` accounts by username, after the username ``after`` (keyset)."""
    query = select(User).order_by(User.username).limit(limit)
    if after is not None:
        query = query.where(User.username > after)
    return list(session.scalars(query))


def page_tokens(session: Session, user: User, *, after: int | None = None,
                limit: int) -> list[ApiToken]:
    """Up to ``limit`` of the user's tokens, newest first, older than the token ``after``."""
    query = (select(ApiToken).where(ApiToken.user_id == user.id)
             .order_by(ApiToken.id.desc()).limit(limit))
    if after is not None:
        query = query.where(ApiToken.id < after)
    return list(session.scalars(query))


def roles_holding(*permissions) -> list[Role]:
    """The roles granted any of ``permissions`` (everywhere or within a scope), in role order."""
    return [role for role in Role if any(role_can(role, p) for p in permissions if p)]


def active_users_in(session: Session, roles, *, limit: int = 10) -> list[User]:
    """Up to ``limit`` active accounts of these roles, by role then name: whom to ask."""
    order = {role.value: index for index, role in enumerate(Role)}
    users = session.scalars(select(User).where(
        User.role.in_([Role(role).value for role in roles]), User.is_active.is_(True))
        .order_by(User.full_name, User.id)).all()
    return sorted(users, key=lambda user: order[user.role])[:limit]
