"""What dispatch suggestions read: who could go (in a box around the posko), what ranking needs
to know about them, and which equipment is free.

"Could go" is decided in SQL, so the spatial search counts only real candidates: active, holding
one of the skills asked for, no declared unavailable day touching the period, and no live
deployment overlapping it (the same overlap `dispatch` refuses: half-open periods, cancelled
ones free). Details (certificates, recent deployments) are read per batch of candidates, only
for those the ranking still needs to look at.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import null, select

from logistics.regions.models import Region
from logistics.roster import availability
from logistics.roster.deployment_models import (
    Deployment,
    DeploymentStatus,
    Equipment,
    EquipmentStatus,
)
from logistics.roster.models import (
    Training,
    TrainingKind,
    Volunteer,
    VolunteerSkill,
    VolunteerStatus,
)
from logistics.roster.ranking import LOAD_WINDOW, Certificate


@dataclass(frozen=True)
class Box:
    """Degrees of latitude and longitude: south <= lat <= north, west <= lon <= east."""

    south: float
    north: float
    west: float
    east: float


@dataclass(frozen=True)
class SkillRow:
    volunteer_id: int
    skill_code: str
    level: int
    lon: float | None
    lat: float | None
    desa_code: str | None


@dataclass(frozen=True)
class History:
    """A volunteer's recent past as ranking weighs it."""

    certificates: dict[str, Certificate]
    last_ended_at: datetime | None
    hours: float


def busy_ids(session, starts_at: datetime, ends_at: datetime) -> set[int]:
    """Volunteers who cannot be sent in the period: a declared unavailable day touching it, or
    a live deployment overlapping it. Two reads of the period's rows, once per suggestion,
    rather than a check per candidate row (which cost 100 ms per 2,000 homes on SQLite)."""
    away = availability.unavailable_volunteer_ids(session, starts_at, ends_at)
    deployed = session.scalars(select(Deployment.volunteer_id).where(
        Deployment.volunteer_id.is_not(None), Deployment.status != DeploymentStatus.CANCELLED,
        Deployment.starts_at < ends_at, Deployment.ends_at > starts_at))
    return away | set(deployed)


def skilled_rows(session, skills, *, box: Box | None = None, desa_codes=None,
                 busy=frozenset()) -> list[SkillRow]:
    """One row per active volunteer not in ``busy`` and skill asked for: with ``box``, those
    whose home point lies in it (read through the home point index); with ``desa_codes``,
    those without a home point living in those desa; with neither, everyone."""
    desa = Volunteer.home_desa_code if box is None else null()  # in the box: the index alone
    query = (select(Volunteer.id, VolunteerSkill.skill_code, VolunteerSkill.level,
                    Volunteer.home_lon, Volunteer.home_lat, desa)
             .join(VolunteerSkill, VolunteerSkill.volunteer_id == Volunteer.id)
             .where(VolunteerSkill.skill_code.in_(list(skills)),
                    Volunteer.status == VolunteerStatus.ACTIVE))
    if box is not None:
        query = query.where(Volunteer.home_lat.between(box.south, box.north),
                            Volunteer.home_lon.between(box.west, box.east))
    elif desa_codes is not None:
        if not desa_codes:
            return []
        query = query.where(Volunteer.home_lat.is_(None),
                            Volunteer.home_desa_code.in_(list(desa_codes)))
    return [SkillRow(*row) for row in session.execute(query) if row[0] not in busy]


def pointless_desa(session) -> dict[str, tuple[float, float, str]]:
    """The centre (lon, lat) and name of each desa where some volunteer has no home point:
    their distance is reckoned from there. Read through the home point index (its nulls)."""
    codes = select(Volunteer.home_desa_code).where(Volunteer.home_lat.is_(None)).distinct()
    rows = session.execute(select(Region.code, Region.name, Region.centroid, Region.boundary)
                           .where(Region.code.in_(codes)))
    found = {}
    for code, name, centroid, boundary in rows:
        point = centroid if centroid is not None else (
            boundary.centroid if boundary is not None else None)
        if point is not None:
            found[code] = (point.x, point.y, name)
    return found


def histories(session, volunteer_ids, skills, starts_at: datetime, now: datetime
              ) -> dict[int, History]:
    """Per volunteer: the latest specialist certificate of each skill asked for, when their
    last deployment before the period ended, and the hours served in the 90 days before it
    (`deployments.served`: check-in to check-out, clipped to the window). Plain columns, not
    ORM rows: this runs per batch of candidates."""
    ids = list(volunteer_ids)
    certificates: dict[int, dict[str, tuple]] = defaultdict(dict)
    for volunteer, skill, number, ended_on, training_id, expires_on in session.execute(
            select(Training.volunteer_id, Training.skill_code, Training.certificate_no,
                   Training.ended_on, Training.id, Training.expires_on).where(
                Training.volunteer_id.in_(ids), Training.kind == TrainingKind.SPECIALIST,
                Training.skill_code.in_(list(skills)))):
        held = certificates[volunteer].get(skill)
        if held is None or (ended_on, training_id) > held[0]:  # the latest renews the rest
            certificates[volunteer][skill] = ((ended_on, training_id),
                                              Certificate(number, expires_on))
    window_start = starts_at - LOAD_WINDOW
    until = min(now, starts_at)
    last: dict[int, datetime] = {}
    hours: dict[int, float] = defaultdict(float)
    for volunteer, ends_at, checked_in_at, checked_out_at in session.execute(
            select(Deployment.volunteer_id, Deployment.ends_at, Deployment.checked_in_at,
                   Deployment.checked_out_at).where(
                Deployment.volunteer_id.in_(ids),
                Deployment.status != DeploymentStatus.CANCELLED,
                Deployment.starts_at < starts_at, Deployment.ends_at > window_start)):
        if ends_at <= starts_at and (volunteer not in last or ends_at > last[volunteer]):
            last[volunteer] = ends_at
        if checked_in_at is not None:
            left = min(checked_out_at or min(until, ends_at), until)
            begun = max(checked_in_at, window_start)
            if left > begun:
                hours[volunteer] += (left - begun).total_seconds() / 3600
    return {volunteer: History(
        {skill: held[1] for skill, held in certificates.get(volunteer, {}).items()},
        last.get(volunteer), hours.get(volunteer, 0.0)) for volunteer in ids}


def people(session, volunteer_ids) -> dict[int, tuple[str, str, str | None]]:
    """Name, kind and phone of each volunteer shown (never the NIK or the home point)."""
    rows = session.execute(select(Volunteer.id, Volunteer.name, Volunteer.kind, Volunteer.phone)
                           .where(Volunteer.id.in_(list(volunteer_ids))))
    return {volunteer_id: (name, kind, phone) for volunteer_id, name, kind, phone in rows}


def free_equipment(session, kinds, starts_at: datetime, ends_at: datetime
                   ) -> list[tuple[Equipment, tuple[float, float] | None, str | None]]:
    """Ready items of the kinds asked for, not deployed in the period, each with the centre
    (lon, lat) and name of the kecamatan it is based in when known."""
    busy = set(session.scalars(select(Deployment.equipment_id).where(
        Deployment.equipment_id.is_not(None), Deployment.status != DeploymentStatus.CANCELLED,
        Deployment.starts_at < ends_at, Deployment.ends_at > starts_at)))  # a correlated
    # NOT EXISTS per item scanned every deployment on SQLite (equipment_id mostly NULL)
    rows = session.execute(
        select(Equipment, Region.name, Region.centroid, Region.boundary)
        .outerjoin(Region, Region.code == Equipment.kecamatan_code)
        .where(Equipment.kind.in_(list(kinds)), Equipment.status == EquipmentStatus.READY)
        .order_by(Equipment.id))
    found = []
    for item, name, centroid, boundary in rows:
        if item.id in busy:
            continue
        point = centroid if centroid is not None else (
            boundary.centroid if boundary is not None else None)
        found.append((item, (point.x, point.y) if point is not None else None, name))
    return found
