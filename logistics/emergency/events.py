"""Open an event, record its emergency status decrees, open and close its posko.

Operations take the session and the actor as keyword arguments, add and flush, never commit
(docs/conventions.md). Creates are `@idempotent`, so a retried form or API call opens one
event, one posko, one status.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from logistics.accounts.roles import Permission
from logistics.calendar import local_time, local_today
from logistics.core.atomic import all_or_nothing, idempotent
from logistics.core.numbering import next_number
from logistics.emergency import errors
from logistics.emergency.lookups import desa_in_event, event_or_fail, open_event, posko_or_fail
from logistics.emergency.models import (
    PHASE_LABELS,
    Census,
    EmergencyPhase,
    EmergencyStatus,
    Event,
    Hazard,
    Posko,
    PoskoKind,
)
from logistics.emergency.request_models import OPEN_STATUSES, PoskoDelivery, StockRequest
from logistics.errors import InvalidInput, PermissionDenied
from logistics.i18n import N_
from logistics.regions.models import Level, Region
from logistics.regions.places import point_in_desa
from logistics.stock.documents import Document

FUTURE_START = N_("Cannot start in the future.")
SHOWN_REQUESTS = 10  # open requests a refused close names; more are marked "…"


def _ensure(actor, permission) -> None:
    if not actor.can(permission):
        raise PermissionDenied()


@idempotent("emergency.open_event")
def open_new_event(session, *, actor, hazard, name, started_on, region_codes,
                   description=None, today=None) -> Event:
    """Open an event over the kecamatan and desa named (at least one)."""
    _ensure(actor, Permission.MANAGE_EVENTS)
    today = today or local_today()
    if started_on > today:
        raise InvalidInput(FUTURE_START, field="started_on")
    regions = _area(session, region_codes)
    event = Event(number=next_number(session, "BCN", "", started_on.year), hazard=Hazard(hazard),
                  name=name, started_on=started_on, description=description,
                  created_by_id=actor.id, regions=regions)
    session.add(event)
    session.flush()
    return event


@all_or_nothing
def change_event(session, *, actor, event_id, region_codes=None, ended_on=None, name=None,
                 description=None, today=None) -> Event:
    """Widen or narrow the area, rename, or end the event (``ended_on``)."""
    _ensure(actor, Permission.MANAGE_EVENTS)
    today = today or local_today()
    event = event_or_fail(session, event_id)
    if region_codes is not None:
        regions = _area(session, region_codes)
        _ensure_posko_inside(session, event, regions)
        event.regions = regions
    if name is not None:
        event.name = name
    if description is not None:
        event.description = description
    if ended_on is not None:
        if ended_on < event.started_on:
            raise InvalidInput(N_("Cannot end before the event started."), field="ended_on")
        if ended_on > today:
            raise InvalidInput(N_("Cannot end in the future."), field="ended_on")
        _ensure_released_by(session, PoskoDelivery.event_id == event.id, ended_on, "ended_on")
        event.ended_on = ended_on
    session.flush()
    return event


@idempotent("emergency.record_status")
def record_status(session, *, actor, event_id, phase, decree_number, starts_on, ends_on=None,
                  today=None) -> EmergencyStatus:
    """Record an SK setting the event's phase from ``starts_on``; the status it follows ends
    the day before (a status never overlaps another), and nothing goes back to siaga."""
    _ensure(actor, Permission.MANAGE_EVENTS)
    today = today or local_today()
    event = open_event(session, event_id, today, field=None)
    phase = EmergencyPhase(phase)
    if starts_on < event.started_on:
        raise InvalidInput(N_("Cannot start before the event started."), field="starts_on")
    if ends_on is not None and ends_on < starts_on:
        raise InvalidInput(N_("Cannot end before it starts."), field="ends_on")
    # Two coordinators recording at once queue here instead of both shortening one status.
    lock_event(session, event.id)
    previous = session.scalar(select(EmergencyStatus).where(EmergencyStatus.event_id == event.id)
                              .order_by(EmergencyStatus.starts_on.desc(),
                                        EmergencyStatus.id.desc()).limit(1))
    if previous is not None:
        if starts_on <= previous.starts_on or (previous.ends_on is not None
                                              and previous.ends_on >= starts_on):
            raise errors.StatusOverlaps(decree=previous.decree_number, day=starts_on,
                                        field="starts_on")
        if phase == EmergencyPhase.ALERT and previous.phase != EmergencyPhase.ALERT:
            raise errors.PhaseGoesBack(old=PHASE_LABELS[EmergencyPhase(previous.phase)],
                                       new=PHASE_LABELS[phase], field="phase")
        if previous.ends_on is None:
            previous.ends_on = starts_on - timedelta(days=1)
    status = EmergencyStatus(event_id=event.id, phase=phase, decree_number=decree_number,
                             starts_on=starts_on, ends_on=ends_on, recorded_by_id=actor.id)
    session.add(status)
    session.flush()
    return status


@all_or_nothing
def end_status(session, *, actor, status_id, ends_on) -> EmergencyStatus:
    """End a status early (the SK was revoked or not extended); never on or after the day
    the next status starts, which would put two decrees in force at once."""
    _ensure(actor, Permission.MANAGE_EVENTS)
    status = session.get(EmergencyStatus, status_id)
    if status is None:
        raise errors.UnknownStatus(field="status_id")
    # The history is read again under the event's lock: a status recorded meanwhile counts.
    lock_event(session, status.event_id)
    session.refresh(status)
    if ends_on < status.starts_on:
        raise InvalidInput(N_("Cannot end before it starts."), field="ends_on")
    following = session.scalar(select(EmergencyStatus).where(
        EmergencyStatus.event_id == status.event_id, EmergencyStatus.id != status.id,
        EmergencyStatus.starts_on >= status.starts_on)
        .order_by(EmergencyStatus.starts_on, EmergencyStatus.id).limit(1))
    if following is not None and ends_on >= following.starts_on:
        raise errors.StatusOverlaps(decree=following.decree_number, day=following.starts_on,
                                    field="ends_on")
    _ensure_released_by(session, PoskoDelivery.emergency_status_id == status.id, ends_on,
                        "ends_on")
    status.ends_on = ends_on
    session.flush()
    return status


def _ensure_released_by(session, cited, ends_on, field: str) -> None:
    """An end recorded late is dated when it really ended, never before a release that
    already went out under it: that BAST would cite an event or a decree already over."""
    released = _last_release_day(session, cited)
    if released is not None and released > ends_on:
        raise errors.ReleasedAfterEnd(day=released, field=field)


def _last_release_day(session, cited):
    """The date of the latest release to a posko that ``cited`` selects (by posko, event or
    status), or None."""
    return session.scalar(
        select(func.max(Document.document_date))
        .join(PoskoDelivery, PoskoDelivery.document_id == Document.id).where(cited))


def lock_event(session, event_id: int) -> None:
    """Hold the event's row until commit, so writers of its history (statuses, imported
    households) queue instead of each acting on what the other has not written yet.

    PostgreSQL takes ``FOR NO KEY UPDATE``: it serialises these writers without holding up
    rows that merely point at the event (a release, a request). SQLite has no row locks;
    every writing transaction there begins with ``BEGIN IMMEDIATE`` (`app.database`), which
    serialises them already."""
    session.execute(select(Event.id).where(Event.id == event_id)
                    .with_for_update(key_share=True))


@idempotent("emergency.open_posko")
def open_posko(session, *, actor, event_id, name, kind, desa_code, opened_on=None,
               longitude=None, latitude=None, covered_m2=None, contact_name=None,
               contact_phone=None, today=None) -> Posko:
    """Open a posko at a point inside its desa, in the event's area."""
    _ensure(actor, Permission.MANAGE_EVENTS)
    today = today or local_today()
    event = open_event(session, event_id, today)
    opened_on = opened_on or today
    if opened_on > today:
        raise InvalidInput(FUTURE_START, field="opened_on")
    desa = desa_in_event(session, event, desa_code)
    point = point_in_desa(desa, longitude, latitude)
    posko = Posko(code=next_number(session, "PSK", "", opened_on.year), event_id=event.id,
                  name=name, kind=PoskoKind(kind), desa_code=desa.code, point=point,
                  covered_m2=covered_m2, contact_name=contact_name, contact_phone=contact_phone,
                  opened_on=opened_on)
    session.add(posko)
    session.flush()
    return posko


@all_or_nothing
def change_posko(session, *, actor, posko_id, today=None, **changes) -> Posko:
    """Move, resize, re-contact or close a posko (``closed_on``)."""
    _ensure(actor, Permission.MANAGE_EVENTS)
    today = today or local_today()
    posko = posko_or_fail(session, posko_id)
    # Locked (read again) for the close: a request added at once either commits first and
    # is seen below, or waits for the close (its key to the posko conflicts with the lock).
    session.execute(select(Posko.id).where(Posko.id == posko.id).with_for_update())
    session.refresh(posko)
    if "longitude" in changes or "latitude" in changes:
        desa = session.get(Region, posko.desa_code)
        posko.point = point_in_desa(desa, changes.pop("longitude", None),
                                    changes.pop("latitude", None))
    closed_on = changes.pop("closed_on", None)
    if closed_on is not None:
        if closed_on < posko.opened_on:
            raise InvalidInput(N_("Cannot close before it opened."), field="closed_on")
        if closed_on > today:
            raise InvalidInput(N_("Cannot close in the future."), field="closed_on")
        _ensure_no_open_requests(session, posko)
        _ensure_nothing_after(session, posko, closed_on)
        posko.closed_on = closed_on
    for name in ("name", "covered_m2", "contact_name", "contact_phone"):
        if name in changes:
            setattr(posko, name, changes[name])
    session.flush()
    return posko


def _ensure_no_open_requests(session, posko: Posko) -> None:
    """Refuse to close a posko whose requests still wait: none could be delivered after."""
    numbers = list(session.scalars(select(StockRequest.number).where(
        StockRequest.posko_id == posko.id, StockRequest.status.in_(OPEN_STATUSES))
        .order_by(StockRequest.id).limit(SHOWN_REQUESTS + 1)))
    if numbers:
        shown = ", ".join(numbers[:SHOWN_REQUESTS])
        raise errors.PoskoHasOpenRequests(
            posko=posko.code, numbers=shown + (", …" if len(numbers) > SHOWN_REQUESTS else ""),
            field="closed_on")


def _ensure_posko_inside(session, event: Event, regions: list[Region]) -> None:
    """A narrower area keeps every posko of the event inside it: a posko stands in a desa of
    its event's area (`open_posko`), and its requests and releases cite the event."""
    named = {region.code for region in regions}
    for posko in session.scalars(select(Posko).where(Posko.event_id == event.id)
                                 .order_by(Posko.code)):
        desa = session.get(Region, posko.desa_code)
        if desa.code not in named and desa.parent_code not in named:
            raise errors.PoskoOutsideArea(posko=posko.code, desa=desa.name,
                                          field="region_codes")


def _ensure_nothing_after(session, posko: Posko, closed_on) -> None:
    """A close recorded late is dated when the posko really closed, never before a census
    counted there or a release delivered there: the totals would drop people it was seen
    sheltering, and the ledger would show goods delivered to a closed posko."""
    counted = session.scalar(select(func.max(Census.counted_at))
                             .where(Census.posko_id == posko.id))
    released = _last_release_day(session, PoskoDelivery.posko_id == posko.id)
    last = max([day for day in (counted and local_time(counted).date(), released) if day],
               default=None)
    if last is not None and last > closed_on:
        raise errors.PoskoUsedAfterClose(posko=posko.code, day=last, field="closed_on")


def _area(session, region_codes) -> list[Region]:
    codes = list(dict.fromkeys(region_codes))
    if not codes:
        raise InvalidInput(N_("Name at least one kecamatan or desa."), field="region_codes")
    found = {region.code: region for region in
             session.scalars(select(Region).where(Region.code.in_(codes)))}
    for code in codes:
        region = found.get(code)
        if region is None or region.level not in (Level.KECAMATAN, Level.DESA):
            raise errors.RegionNotKecamatanOrDesa(code=code, field="region_codes")
    return [found[code] for code in sorted(codes)]
