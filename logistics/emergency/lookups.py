"""Find an event, posko or desa by id or code, or refuse with the message the reader needs."""

from __future__ import annotations

from sqlalchemy import select

from logistics.emergency import errors
from logistics.emergency.models import Event, Posko, event_regions
from logistics.regions.models import Region
from logistics.regions.places import desa_or_fail  # noqa: F401 (callers import it here)


def event_or_fail(session, event_id: int, *, field: str | None = None) -> Event:
    event = session.get(Event, event_id)
    if event is None:
        raise errors.UnknownEvent(field=field)
    return event


def open_event(session, event_id: int, today, *, field: str | None = "event_id") -> Event:
    """An event still taking records: one that has not ended before ``today``."""
    event = event_or_fail(session, event_id, field=field)
    if event.ended_on is not None and event.ended_on < today:
        raise errors.EventEnded(number=event.number, ended_on=event.ended_on, field=field)
    return event


def posko_or_fail(session, posko_id: int, *, field: str | None = None) -> Posko:
    posko = session.get(Posko, posko_id)
    if posko is None:
        raise errors.UnknownPosko(field=field)
    return posko


def posko_taking_requests(session, posko: Posko, *, field: str | None = None) -> Posko:
    """The posko, read again under a share lock, if its close is not recorded.

    A close locks the posko row for update and then looks for open requests: a request
    asked, sent or approved at once either commits first and stops the close, or waits here
    and sees it closed. Once the close is recorded nothing new is asked of the posko, also on
    its last day: the close found nothing waiting and nothing may wait after it.
    """
    session.execute(select(Posko.id).where(Posko.id == posko.id).with_for_update(read=True))
    session.refresh(posko)
    if posko.closed_on is not None:
        raise errors.PoskoClosed(posko=posko.code, closed_on=posko.closed_on, field=field)
    return posko


def event_area_codes(session, event_id: int) -> set[str]:
    """The kecamatan and desa an event names (its area is their union)."""
    return set(session.scalars(select(event_regions.c.region_code)
                               .where(event_regions.c.event_id == event_id)))


def desa_in_event(session, event: Event, code: str, *, field: str = "desa_code") -> Region:
    """The desa, if the event names it or its kecamatan; refused otherwise."""
    desa = desa_or_fail(session, code, field=field)
    named = event_area_codes(session, event.id)
    if desa.code not in named and desa.parent_code not in named:
        raise errors.DesaOutsideEvent(desa=desa.name, number=event.number, field=field)
    return desa
