"""A deployment's life at the posko: check-in, check-out, ended early, cancelled; hours served.

Every change is a guarded move of `DEPLOYMENT_FLOW` (`logistics.core.status`): two coordinators
checking one volunteer in at once record one check-in, and the other gets a 409 naming from and
to. Leaving (check-out or an early end) shortens the booked period to the moment of leaving,
so the volunteer or the boat is free to be sent again from then on; a cancellation frees the
whole period. Cancelling is only for people who never arrived: once checked in, the hours they
served are history and the deployment ends instead.

Check-in opens `CHECK_IN_SLACK` before the deployment starts: volunteers travel overnight to be
on site for a morning start, and a boat is trucked in the evening before. Times are never in
the future (`FUTURE_SLACK` allows for a phone's clock running a little ahead).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from logistics.accounts.roles import Permission
from logistics.core import status
from logistics.core.atomic import all_or_nothing
from logistics.emergency.census import as_utc
from logistics.emergency.errors import ReasonRequired
from logistics.emergency.models import Event, Posko
from logistics.errors import PermissionDenied
from logistics.roster import dispatch_errors as errors
from logistics.roster.deployment_models import (
    DEPLOYMENT_STATUS_LABELS,
    Deployment,
    DeploymentStatus,
    Dispatch,
    Equipment,
)
from logistics.roster.dispatch import overlapping
from logistics.roster.models import Volunteer

CHECK_IN_SLACK = timedelta(hours=12)
FUTURE_SLACK = timedelta(minutes=5)

DEPLOYMENT_FLOW = status.Flow("roster.deployment", moves={
    DeploymentStatus.DISPATCHED: frozenset({DeploymentStatus.CHECKED_IN,
                                            DeploymentStatus.CANCELLED}),
    DeploymentStatus.CHECKED_IN: frozenset({DeploymentStatus.ENDED}),
}, labels=DEPLOYMENT_STATUS_LABELS)


def deployment_or_fail(session, deployment_id: int) -> Deployment:
    deployment = session.get(Deployment, deployment_id, populate_existing=True)
    if deployment is None:
        raise errors.UnknownDeployment()
    return deployment


def _ensure(actor) -> None:
    if not actor.can(Permission.DISPATCH):
        raise PermissionDenied()


def _moment(at: datetime | None, now: datetime) -> datetime:
    """The moment given (naive is local time) or now; refused when it lies ahead."""
    at = now if at is None else as_utc(at)
    if at > now + FUTURE_SLACK:
        raise errors.InFuture(field="at")
    return at


@all_or_nothing
def check_in(session, *, actor, deployment_id, at: datetime | None = None) -> Deployment:
    """Record arrival at the posko: from `CHECK_IN_SLACK` before the start until the end."""
    _ensure(actor)
    deployment = deployment_or_fail(session, deployment_id)
    at = _moment(at, datetime.now(UTC))
    earliest = deployment.starts_at - CHECK_IN_SLACK
    if at < earliest:
        raise errors.CheckInTooEarly(starts=deployment.starts_at, earliest=earliest, field="at")
    if at >= deployment.ends_at:
        raise errors.CheckInAfterEnd(ends=deployment.ends_at, field="at")
    _not_checked_in_elsewhere(session, deployment)
    return _move(session, deployment, DeploymentStatus.DISPATCHED, DeploymentStatus.CHECKED_IN,
                 checked_in_at=at)


@all_or_nothing
def check_out(session, *, actor, deployment_id, at: datetime | None = None) -> Deployment:
    """Record leaving the posko; the period booked ends then if that is earlier."""
    _ensure(actor)
    deployment = deployment_or_fail(session, deployment_id)
    return _leave(session, deployment, _moment(at, datetime.now(UTC)))


@all_or_nothing
def end_early(session, *, actor, deployment_id, reason, at: datetime | None = None
              ) -> Deployment:
    """End a checked-in deployment before its planned end (posko closed, volunteer ill), with
    the reason; the volunteer is checked out then and free from that moment."""
    _ensure(actor)
    if not (reason or "").strip():
        raise ReasonRequired(field="reason")
    deployment = deployment_or_fail(session, deployment_id)
    return _leave(session, deployment, _moment(at, datetime.now(UTC)),
                  ended_reason=reason.strip())


@all_or_nothing
def cancel(session, *, actor, deployment_id, reason) -> Deployment:
    """Call off a deployment before check-in (no-show, sent elsewhere): its period is free."""
    _ensure(actor)
    if not (reason or "").strip():
        raise ReasonRequired(field="reason")
    deployment = deployment_or_fail(session, deployment_id)
    return _move(session, deployment, DeploymentStatus.DISPATCHED, DeploymentStatus.CANCELLED,
                 ended_reason=reason.strip())


def _not_checked_in_elsewhere(session, deployment: Deployment) -> None:
    """One open stay per volunteer or item: the check-in window opens before the start, so a
    volunteer moving from posko A to B could be checked in at B while A's stay is still open,
    and both would count the same hours. The volunteer's (or item's) row is locked first, so
    two coordinators checking them in at two posko at once queue and the second sees the
    first's check-in."""
    if deployment.volunteer_id is not None:
        column, model, subject = Deployment.volunteer_id, Volunteer, deployment.volunteer_id
    else:
        column, model, subject = Deployment.equipment_id, Equipment, deployment.equipment_id
    session.execute(select(model.id).where(model.id == subject).with_for_update())
    row = session.execute(
        select(model.name, Posko.name, Dispatch.number)
        .join(Deployment, column == model.id)
        .join(Posko, Posko.id == Deployment.posko_id)
        .join(Dispatch, Dispatch.id == Deployment.dispatch_id)
        .where(model.id == subject, Deployment.id != deployment.id,
               Deployment.status == DeploymentStatus.CHECKED_IN)).first()
    if row is not None:
        raise errors.StillCheckedInElsewhere(name=row[0], posko=row[1], number=row[2])


def _leave(session, deployment: Deployment, at: datetime, **values) -> Deployment:
    if deployment.status == DeploymentStatus.DISPATCHED:
        raise errors.NotCheckedIn(old=DEPLOYMENT_FLOW.label(deployment.status),
                                  new=DEPLOYMENT_FLOW.label(DeploymentStatus.ENDED),
                                  old_code=deployment.status, new_code=DeploymentStatus.ENDED)
    if deployment.status != DeploymentStatus.CHECKED_IN:
        return _move(session, deployment, DeploymentStatus.CHECKED_IN, DeploymentStatus.ENDED)
    if at < deployment.checked_in_at:
        raise errors.LeftBeforeCheckIn(checked_in=deployment.checked_in_at, field="at")
    if deployment.starts_at < at < deployment.ends_at:
        values["ends_at"] = at  # frees the rest of the period for another dispatch
    elif at <= deployment.starts_at:
        values.update(_stay_before_start(session, deployment, at))
    return _move(session, deployment, DeploymentStatus.CHECKED_IN, DeploymentStatus.ENDED,
                 checked_out_at=at, **values)


def _stay_before_start(session, deployment: Deployment, at: datetime) -> dict:
    """Sent home before the planned start (check-in opens early): the booking becomes the
    time they were really there, from check-in to check-out, so the whole planned period is
    free for another dispatch. That short stay may not overlap another live booking (a
    no-show not yet cancelled): the coordinator is told which one to settle first."""
    stay = {"starts_at": deployment.checked_in_at,
            "ends_at": max(at, deployment.checked_in_at + timedelta(seconds=1))}
    for column, subject in ((Deployment.volunteer_id, deployment.volunteer_id),
                            (Deployment.equipment_id, deployment.equipment_id)):
        if subject is None:
            continue
        clashes = [clash for clash in overlapping(session, column, [subject], **stay).values()
                   if clash[0].id != deployment.id]
        if clashes:
            other, number, posko = clashes[0]
            raise errors.StayOverlaps(posko=posko, number=number, starts=other.starts_at,
                                      ends=other.ends_at, field="at")
    return stay


def _move(session, deployment, old, new, **values) -> Deployment:
    status.move(session, Deployment, deployment.id, DEPLOYMENT_FLOW, to=new, from_=old,
                **values)
    session.refresh(deployment)
    return deployment


# --- hours served ------------------------------------------------------------------------------

def served(deployment: Deployment, now: datetime) -> timedelta:
    """Time on site: from check-in to check-out; a stay not checked out counts until now or
    the planned end, whichever is first. Nothing before check-in, nothing when cancelled."""
    if deployment.checked_in_at is None or deployment.status == DeploymentStatus.CANCELLED:
        return timedelta(0)
    left = deployment.checked_out_at or min(now, deployment.ends_at)
    return max(left - deployment.checked_in_at, timedelta(0))


@dataclass(frozen=True)
class PersonHours:
    volunteer_id: int
    name: str
    deployments: int
    hours: float


@dataclass(frozen=True)
class EventHours:
    event_id: int
    number: str
    name: str
    volunteers: int
    hours: float


def _hours(delta: timedelta) -> float:
    return round(delta.total_seconds() / 3600, 2)


def _served_rows(session, *conditions):
    return session.execute(
        select(Deployment, Volunteer.name, Event.number, Event.name)
        .join(Volunteer, Deployment.volunteer_id == Volunteer.id)
        .join(Event, Deployment.event_id == Event.id)
        .where(Deployment.checked_in_at.is_not(None),
               Deployment.status != DeploymentStatus.CANCELLED, *conditions))


def hours_per_person(session, *, event_id: int | None = None, now: datetime | None = None
                     ) -> list[PersonHours]:
    """Hours each volunteer served (in one event, or in all), most first."""
    now = now or datetime.now(UTC)
    conditions = [Deployment.event_id == event_id] if event_id is not None else []
    totals, counts, names = defaultdict(timedelta), defaultdict(int), {}
    for deployment, name, _, _ in _served_rows(session, *conditions):
        totals[deployment.volunteer_id] += served(deployment, now)
        counts[deployment.volunteer_id] += 1
        names[deployment.volunteer_id] = name
    rows = [PersonHours(volunteer_id, names[volunteer_id], counts[volunteer_id],
                        _hours(total)) for volunteer_id, total in totals.items()]
    return sorted(rows, key=lambda row: (-row.hours, row.name, row.volunteer_id))


def hours_per_event(session, *, volunteer_id: int | None = None, now: datetime | None = None
                    ) -> list[EventHours]:
    """Hours volunteers served per event (all of them, or one volunteer's), latest event first."""
    now = now or datetime.now(UTC)
    conditions = [Deployment.volunteer_id == volunteer_id] if volunteer_id is not None else []
    totals, people, events = defaultdict(timedelta), defaultdict(set), {}
    for deployment, _, number, name in _served_rows(session, *conditions):
        totals[deployment.event_id] += served(deployment, now)
        people[deployment.event_id].add(deployment.volunteer_id)
        events[deployment.event_id] = (number, name)
    rows = [EventHours(event_id, *events[event_id], len(people[event_id]), _hours(total))
            for event_id, total in totals.items()]
    return sorted(rows, key=lambda row: -row.event_id)
