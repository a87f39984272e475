"""The roster as a coordinator filters it: by kind, status, kecamatan, skill, who is free on
a day or at a moment, and whose certificate runs out soon. Keyset-paged by id
(`app.pagination.keyset_page` takes the ``limit + 1`` rows), with what `VolunteerOut` shows
loaded in a fixed number of queries, not one per row. And a volunteer's deployments, for the
profile."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from logistics.emergency.models import Event, Posko
from logistics.regions.models import Region
from logistics.roster.availability import unavailable_volunteer_ids
from logistics.roster.deployment_models import Deployment, DeploymentStatus
from logistics.roster.models import Training, Volunteer, VolunteerSkill
from logistics.roster.trainings import latest_of_each


def volunteer_rows(session, *, limit: int = 50, after: int | None = None,
                   kind: str | None = None, status: str | None = None,
                   kecamatan_code: str | None = None, skill_code: str | None = None,
                   free_on: date | None = None, not_deployed_at: datetime | None = None,
                   expiring: tuple[date, date] | None = None) -> list[Volunteer]:
    """Up to ``limit + 1`` volunteers after ``after`` (by id) matching every filter given;
    ``free_on`` leaves out those who declared that day unavailable, ``not_deployed_at`` those
    on a live deployment at that moment, and ``expiring`` (first, last day) keeps those whose
    latest certificate of some kind expires between those days."""
    query = (select(Volunteer).order_by(Volunteer.id).limit(limit + 1)
             .options(selectinload(Volunteer.skills), selectinload(Volunteer.promotions),
                      selectinload(Volunteer.home_desa)))
    if after is not None:
        query = query.where(Volunteer.id > after)
    if kind is not None:
        query = query.where(Volunteer.kind == kind)
    if status is not None:
        query = query.where(Volunteer.status == status)
    if kecamatan_code is not None:
        query = query.where(Volunteer.home_desa_code.in_(
            select(Region.code).where(Region.parent_code == kecamatan_code)))
    if skill_code is not None:
        query = query.where(Volunteer.id.in_(select(VolunteerSkill.volunteer_id).where(
            VolunteerSkill.skill_code == skill_code)))
    if free_on is not None:
        away = unavailable_volunteer_ids(session, free_on, free_on)
        if away:
            query = query.where(Volunteer.id.not_in(away))
    if not_deployed_at is not None:
        query = query.where(Volunteer.id.not_in(
            select(Deployment.volunteer_id).where(
                Deployment.volunteer_id.is_not(None),
                Deployment.status.in_([DeploymentStatus.DISPATCHED,
                                       DeploymentStatus.CHECKED_IN]),
                Deployment.starts_at <= not_deployed_at,
                Deployment.ends_at > not_deployed_at)))
    if expiring is not None:
        first, last = expiring
        query = query.where(Volunteer.id.in_(select(Training.volunteer_id).where(
            Training.expires_on.is_not(None), Training.expires_on >= first,
            Training.expires_on <= last, latest_of_each())))
    return list(session.scalars(query))


@dataclass(frozen=True)
class DeploymentLine:
    deployment: Deployment
    event_number: str
    event_name: str
    posko_name: str


def deployments_of(session, volunteer_id: int, *, limit: int = 100) -> list[DeploymentLine]:
    """The volunteer's deployments with their event and posko, latest first."""
    rows = session.execute(
        select(Deployment, Event.number, Event.name, Posko.name)
        .join(Event, Event.id == Deployment.event_id)
        .join(Posko, Posko.id == Deployment.posko_id)
        .where(Deployment.volunteer_id == volunteer_id)
        .order_by(Deployment.starts_at.desc(), Deployment.id.desc()).limit(limit))
    return [DeploymentLine(*row) for row in rows]
