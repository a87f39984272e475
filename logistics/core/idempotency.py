"""Idempotency keys: a retried create returns what its first try made, for every module.

A client (API ``Idempotency-Key`` header, a form's one-time token, an offline form's queue)
sends a key with a create. The key row is claimed in the same transaction as the thing it
creates, so it exists exactly when the creation committed. The fingerprint covers only what the
client sent: a retry after midnight, whose defaulted date would differ, is still the same
request.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from enum import Enum

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column

from logistics.db import Base, UTCDateTime, utcnow
from logistics.errors import IdempotencyKeyReused

# Arguments an operation receives that the client did not send.
NOT_SENT = frozenset({"today"})


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"

    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    operation: Mapped[str] = mapped_column(String(60))
    fingerprint: Mapped[str] = mapped_column(String(64))
    # What the first try created: a row of ``resource_table`` with this id.
    resource_table: Mapped[str | None] = mapped_column(String(60))
    resource_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<IdempotencyKey {self.operation} {self.resource_table}:{self.resource_id}>"


def fingerprint_of(operation: str, arguments: dict) -> str:
    """Hash the operation's name and the arguments the client sent."""
    sent = {name: value for name, value in arguments.items() if name not in NOT_SENT}
    text = json.dumps([operation, sent], sort_keys=True, default=_plain)
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(value):
    if isinstance(value, bytes | bytearray):
        return "sha256:" + hashlib.sha256(value).hexdigest()
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return str(value)


def replay(session, actor, key: str, fingerprint: str):
    """The resource an earlier try with this key created, or None; another request -> 409."""
    claim = session.get(IdempotencyKey, (actor.id, key), populate_existing=True)
    if claim is None:
        return None
    if claim.fingerprint != fingerprint:
        raise IdempotencyKeyReused()
    return _load(session, claim)


def made_with(session, actor, key: str):
    """What this actor's key already made, or None, without comparing requests: a page whose
    one-time token comes back (a double tap, a resend after midnight) shows what was made
    instead of checking the form again against rules that moved with the date."""
    claim = session.get(IdempotencyKey, (actor.id, key))
    return None if claim is None or claim.resource_id is None else _load(session, claim)


def claim(session, actor, key: str, operation: str, fingerprint: str) -> IdempotencyKey:
    """Insert the key now: a concurrent try with the same key fails here, before it writes."""
    row = IdempotencyKey(actor_id=actor.id, key=key, operation=operation,
                         fingerprint=fingerprint)
    session.add(row)
    session.flush()
    return row


def record(session, row: IdempotencyKey, resource) -> None:
    row.resource_table, row.resource_id = resource.__table__.name, resource.id
    session.flush()


def _load(session, claim: IdempotencyKey):
    for mapper in Base.registry.mappers:
        if getattr(mapper.class_, "__tablename__", None) == claim.resource_table:
            return session.get(mapper.class_, claim.resource_id, populate_existing=True)
    raise LookupError(f"no model for table {claim.resource_table}")


def is_key_clash(constraint) -> bool:
    return constraint is not None and constraint.table is IdempotencyKey.__table__


def earlier_keys(session, actor) -> list[IdempotencyKey]:
    """The actor's keys, newest first (for support: what did my retries return?)."""
    return list(session.scalars(select(IdempotencyKey).where(IdempotencyKey.actor_id == actor.id)
                                .order_by(IdempotencyKey.created_at.desc())))
