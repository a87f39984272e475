"""Periods a volunteer said they cannot be sent (work, illness, family), and who is free.

Days are whole local days, both ends included. One volunteer's periods never overlap: a second
period over the same days would be a duplicate whose removal leaves the person still marked
away, so a longer absence is declared by withdrawing the first and declaring the whole. The
volunteer's row is locked while the periods are checked, so two coordinators recording at the
same moment queue instead of both writing.

Dispatch asks `unavailable_volunteer_ids` (one query for a whole suggestion list) or
`clashing_period` (to name the period in its refusal).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from logistics.accounts.roles import Permission
from logistics.calendar import field_timezone, local_today
from logistics.core.atomic import all_or_nothing, idempotent
from logistics.errors import InvalidInput
from logistics.roster import errors
from logistics.roster.lookups import ensure_can, volunteer_or_fail
from logistics.roster.models import Unavailability


@idempotent("roster.declare_unavailable")
def declare_unavailable(session, *, actor, volunteer_id, starts_on, ends_on,
                        reason=None) -> Unavailability:
    """Record that the volunteer cannot be sent from ``starts_on`` to ``ends_on``."""
    ensure_can(actor, Permission.MANAGE_ROSTER)
    if ends_on < starts_on:
        raise InvalidInput(errors.ENDS_BEFORE_START, field="ends_on")
    volunteer = volunteer_or_fail(session, volunteer_id, field="volunteer_id", lock=True)
    clash = clashing_period(session, volunteer.id, starts_on, ends_on)
    if clash is not None:
        raise errors.UnavailabilityOverlaps(starts_on=clash.starts_on, ends_on=clash.ends_on,
                                            field="starts_on")
    period = Unavailability(volunteer_id=volunteer.id, starts_on=starts_on, ends_on=ends_on,
                            reason=" ".join(reason.split()) if reason else None,
                            recorded_by_id=actor.id)
    session.add(period)
    session.flush()
    return period


@all_or_nothing
def withdraw_unavailable(session, *, actor, unavailability_id, volunteer_id=None,
                         today=None) -> None:
    """Remove a declared period that is not over yet (the volunteer can come after all).

    A period already over is history (why nobody was sent that week) and stays. With
    ``volunteer_id`` the period must be that volunteer's, so a page or URL naming a person
    cannot remove another's period."""
    ensure_can(actor, Permission.MANAGE_ROSTER)
    period = session.get(Unavailability, unavailability_id)
    if period is None or volunteer_id is not None and period.volunteer_id != volunteer_id:
        raise errors.UnknownUnavailability()
    if period.ends_on < (today or local_today()):
        raise errors.PeriodOver(starts_on=period.starts_on, ends_on=period.ends_on)
    session.delete(period)
    session.flush()


def periods_of(session, volunteer_id: int, *, from_day: date | None = None) -> list[Unavailability]:
    """The volunteer's periods, earliest first; with ``from_day`` only those not over by then."""
    query = select(Unavailability).where(Unavailability.volunteer_id == volunteer_id)
    if from_day is not None:
        query = query.where(Unavailability.ends_on >= from_day)
    return list(session.scalars(query.order_by(Unavailability.starts_on)))


def _days(starts_on, ends_on) -> tuple[date, date]:
    """Dates as given; a datetime (a deployment's start or end) as its date in the kabupaten.

    A deployment's end is exclusive, like its ``tstzrange``: one ending at midnight does not
    touch the next day."""
    if isinstance(ends_on, datetime):
        ends_on = ends_on - timedelta(microseconds=1)
    return tuple(value.astimezone(field_timezone()).date() if isinstance(value, datetime)
                 else value for value in (starts_on, ends_on))


def clashing_period(session, volunteer_id: int, starts_on, ends_on) -> Unavailability | None:
    """The first declared period of the volunteer overlapping the days given, or None."""
    first, last = _days(starts_on, ends_on)
    return session.scalar(select(Unavailability).where(
        Unavailability.volunteer_id == volunteer_id,
        Unavailability.starts_on <= last, Unavailability.ends_on >= first)
        .order_by(Unavailability.starts_on).limit(1))


def clashing_periods(session, volunteer_ids, starts_on, ends_on) -> dict[int, Unavailability]:
    """Each volunteer's first declared period touching the days given, in one query."""
    if not volunteer_ids:
        return {}
    first, last = _days(starts_on, ends_on)
    rows = session.scalars(select(Unavailability).where(
        Unavailability.volunteer_id.in_(volunteer_ids),
        Unavailability.starts_on <= last, Unavailability.ends_on >= first)
        .order_by(Unavailability.starts_on.desc(), Unavailability.id.desc()))
    return {row.volunteer_id: row for row in rows}  # the earliest wins: it is written last


def is_available(session, volunteer_id: int, starts_on, ends_on) -> bool:
    """Whether no declared period of the volunteer touches the days given."""
    return clashing_period(session, volunteer_id, starts_on, ends_on) is None


def unavailable_volunteer_ids(session, starts_on, ends_on) -> set[int]:
    """Every volunteer with a declared period touching the days given (dates, or datetimes
    read as local days), in one query."""
    first, last = _days(starts_on, ends_on)
    return set(session.scalars(select(Unavailability.volunteer_id).distinct().where(
        Unavailability.starts_on <= last, Unavailability.ends_on >= first)))
