"""The release form's posko picker, and the recipient rules it checks in the form's one round.

The web layer is where stock and emergency meet: the stock domain knows a posko only through
`logistics.stock.recipients`, so listing the posko to pick from happens here.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select

from logistics.core.settings import settings_for
from logistics.emergency.models import Event, Posko
from logistics.errors import DomainError
from logistics.stock.errors import AuthorityRequired
from logistics.stock.recipients import posko_recipient


def open_posko_by_event(session, on_day: date) -> list[tuple[str, list[tuple[int, str]]]]:
    """The posko open on ``on_day`` of events not ended, grouped by event (newest first), each
    labelled "code name" so two "Balai Desa" differ."""
    rows = session.execute(
        select(Event.number, Event.name, Posko.id, Posko.code, Posko.name).join(Posko.event)
        .where(Posko.opened_on <= on_day,
               or_(Posko.closed_on.is_(None), Posko.closed_on >= on_day),
               or_(Event.ended_on.is_(None), Event.ended_on >= on_day))
        .order_by(Event.started_on.desc(), Event.id.desc(), Posko.code))
    groups: dict[str, list[tuple[int, str]]] = {}
    for number, event_name, posko_id, code, name in rows:
        groups.setdefault(f"{event_name} ({number})", []).append((posko_id, f"{code} {name}"))
    return list(groups.items())


def release_problems(session, data: dict, *, warehouse, today: date,
                     known: set) -> list[DomainError]:
    """What the release would be refused for about its recipient, checked with the schema so
    one answer names every mistake: a posko that cannot receive on the document's date, and a
    lumbung sosial release with neither a decree in force at that posko nor a written order.
    The operation checks both again when it posts."""
    found: list[DomainError] = []
    decree = None
    if data.get("posko_id") is not None and "posko_id" not in known:
        try:
            decree = posko_recipient(session, data["posko_id"],
                                     data.get("document_date") or today).authority_ref
        except DomainError as problem:
            found.append(problem)
    if (settings_for(session).stock_emergency_gate and warehouse.is_lumbung_sosial
            and not (data.get("authority_ref") or "").strip() and not decree
            and not found and not known & {"authority_ref", "posko_id", "document_date"}):
        found.append(AuthorityRequired(field="authority_ref"))
    return found
