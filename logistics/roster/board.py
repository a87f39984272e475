"""Who and what is where: the rows of an event's dispatch board, of a posko's own list of the
people sent to it, of the deployments API, and the hours served in an event.

Every list joins what a person reads beside a deployment (posko, volunteer or item, regu,
dispatch number) in one query, not one per row. The posko list carries names, roles and phones
only: posko staff call the people at their posko, and never see a NIK or where anyone lives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from logistics.accounts import scopes
from logistics.accounts.roles import Permission
from logistics.emergency import errors as emergency_errors
from logistics.emergency.lookups import posko_or_fail
from logistics.emergency.models import Event, Posko
from logistics.errors import InvalidInput, PermissionDenied
from logistics.i18n import N_
from logistics.roster import deployments
from logistics.roster.deployment_models import (
    Deployment,
    DeploymentStatus,
    Dispatch,
    Equipment,
)
from logistics.roster.models import Team, Volunteer

LIVE = (DeploymentStatus.DISPATCHED, DeploymentStatus.CHECKED_IN)


class PoskoOfAnotherEvent(InvalidInput):
    message = N_("Posko %(posko)s is not a posko of %(number)s.")


def posko_of_event(session, event: Event, posko_id: int, *, field: str | None = None) -> Posko:
    """The posko, if it belongs to the event whose board sends people to it."""
    posko = posko_or_fail(session, posko_id, field=field)
    if posko.event_id != event.id:
        raise PoskoOfAnotherEvent(posko=posko.name, number=event.number, field=field)
    return posko


@dataclass(frozen=True)
class BoardLine:
    """One deployment as a board shows it."""

    deployment: Deployment
    posko_name: str
    dispatch_number: str
    volunteer_name: str | None
    phone: str | None
    equipment_name: str | None
    equipment_code: str | None
    team_name: str | None

    @property
    def is_person(self) -> bool:
        return self.deployment.volunteer_id is not None

    @property
    def checked_in(self) -> bool:
        return self.deployment.status == DeploymentStatus.CHECKED_IN


def _lines(*conditions, order=None, limit=None):
    query = (select(Deployment, Posko.name, Dispatch.number, Volunteer.name, Volunteer.phone,
                    Equipment.name, Equipment.code, Team.name)
             .join(Posko, Posko.id == Deployment.posko_id)
             .join(Dispatch, Dispatch.id == Deployment.dispatch_id)
             .outerjoin(Volunteer, Volunteer.id == Deployment.volunteer_id)
             .outerjoin(Equipment, Equipment.id == Deployment.equipment_id)
             .outerjoin(Team, Team.id == Deployment.team_id)
             .where(*conditions))
    query = query.order_by(*(order or (Posko.code, Deployment.volunteer_id.is_(None),
                                       Deployment.starts_at, Deployment.id)))
    if limit is not None:
        query = query.limit(limit)
    return query


def _read(session, query) -> list[BoardLine]:
    return [BoardLine(*row) for row in session.execute(query)]


def subject_name(session, deployment: Deployment) -> str:
    """Whom or what the deployment sends, as a message names it."""
    if deployment.volunteer_id is not None:
        return session.get(Volunteer, deployment.volunteer_id).name
    return session.get(Equipment, deployment.equipment_id).name


def board_lines(session, *, event_id: int, now: datetime) -> list[BoardLine]:
    """The event's live deployments not over by ``now`` (on site, due, upcoming), by posko,
    people before equipment, earliest first."""
    return _read(session, _lines(Deployment.event_id == event_id, Deployment.status.in_(LIVE),
                                 Deployment.ends_at > now))


def event_posko(session, event_id: int) -> list[Posko]:
    """The event's posko, open ones first, as the board lists them."""
    return list(session.scalars(select(Posko).where(Posko.event_id == event_id)
                                .order_by(Posko.closed_on.is_not(None), Posko.code)))


def may_see_posko_people(session, actor, posko_id: int) -> bool:
    return actor.can(Permission.VIEW_POSKO_PEOPLE) and scopes.is_within(
        session, actor, Permission.VIEW_POSKO_PEOPLE, posko_id)


def posko_people(session, *, actor, posko_id: int, now: datetime
                 ) -> tuple[Posko, list[BoardLine]]:
    """Who is at the posko now or due within the check-in window, for its staff; posko staff
    only at the posko they staff (403 elsewhere)."""
    if not actor.can(Permission.VIEW_POSKO_PEOPLE):
        raise PermissionDenied()
    posko = posko_or_fail(session, posko_id)
    if not scopes.is_within(session, actor, Permission.VIEW_POSKO_PEOPLE, posko.id):
        raise emergency_errors.NotYourPosko(posko=posko.code)
    lines = _read(session, _lines(
        Deployment.posko_id == posko.id, Deployment.status.in_(LIVE),
        Deployment.ends_at > now, Deployment.starts_at <= now + deployments.CHECK_IN_SLACK,
        order=(Deployment.volunteer_id.is_(None), Deployment.status != DeploymentStatus.CHECKED_IN,
               Volunteer.name, Equipment.name, Deployment.id)))
    return posko, lines


def deployment_rows(session, *, limit: int, after: int | None = None,
                    event_id: int | None = None, posko_id: int | None = None,
                    volunteer_id: int | None = None, equipment_id: int | None = None,
                    active_at: datetime | None = None) -> list[BoardLine]:
    """Up to ``limit + 1`` deployments by id matching every filter; ``active_at`` keeps the
    live ones (dispatched or checked in) not over at that moment."""
    conditions = []
    if after is not None:
        conditions.append(Deployment.id > after)
    for column, value in ((Deployment.event_id, event_id), (Deployment.posko_id, posko_id),
                          (Deployment.volunteer_id, volunteer_id),
                          (Deployment.equipment_id, equipment_id)):
        if value is not None:
            conditions.append(column == value)
    if active_at is not None:
        conditions += [Deployment.status.in_(LIVE), Deployment.ends_at > active_at]
    return _read(session, _lines(*conditions, order=(Deployment.id,), limit=limit + 1))


@dataclass(frozen=True)
class EventHoursReport:
    """Hours served in one event: its total and each volunteer's, most first."""

    event_id: int
    number: str
    name: str
    volunteers: int
    hours: float
    people: list[deployments.PersonHours]


def event_hours(session, event: Event, *, now: datetime) -> EventHoursReport:
    """The total is the sum of the lines shown, so the column a coordinator adds up agrees."""
    people = deployments.hours_per_person(session, event_id=event.id, now=now)
    return EventHoursReport(event.id, event.number, event.name, len(people),
                            round(sum(person.hours for person in people), 2), people)
