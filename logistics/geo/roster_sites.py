"""The roster map's data: volunteers per kecamatan and who is present at each posko, as
counts only.

Privacy is the point of this module's shape: it never selects a volunteer's name, NIK,
phone or home point. A volunteer is placed by the kecamatan of their home desa and counted
there; at a posko, by the deployment. Nothing here can draw a person's house.

Decisions:
- **active**: volunteers with status active (suspended and inactive are not counted);
- **deployed**: active volunteers with a deployment dispatched or checked in whose period
  holds ``now`` (`present_per_posko` uses the same rule);
- **available**: active, not deployed now, and no declared unavailable period touching
  ``today``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import and_, case, func, select

from logistics.emergency.models import Posko
from logistics.geo.figures import regions_with_parents
from logistics.geo.places import Translate, centroids, place_of, untranslated
from logistics.i18n import N_
from logistics.regions.models import Level, Region
from logistics.roster.deployment_models import Deployment, DeploymentStatus
from logistics.roster.models import Skill, Unavailability, Volunteer, VolunteerStatus
from maps.rows import AreaRow, DeploymentRow

LIVE = (DeploymentStatus.DISPATCHED, DeploymentStatus.CHECKED_IN)
NO_SKILL = N_("No skill named")


def _present(now: datetime):
    return and_(Deployment.status.in_(LIVE), Deployment.starts_at <= now,
                Deployment.ends_at > now)


def present_per_posko(session, *, now: datetime, event_id: int | None = None
                      ) -> dict[int, tuple[int, int, dict[str | None, int]]]:
    """Per posko: (volunteers, equipment, volunteers per skill name) present at ``now``, in
    one query. A volunteer sent without a skill counts under None."""
    query = (select(Deployment.posko_id, Skill.name,
                    func.count(Deployment.volunteer_id), func.count(Deployment.equipment_id))
             .outerjoin(Skill, Skill.code == Deployment.skill_code)
             .where(_present(now))
             .group_by(Deployment.posko_id, Skill.name))
    if event_id is not None:
        query = query.where(Deployment.event_id == event_id)
    found: dict[int, list] = {}
    for posko_id, skill, volunteers, equipment in session.execute(query):
        entry = found.setdefault(posko_id, [0, 0, defaultdict(int)])
        entry[0] += volunteers
        entry[1] += equipment
        if volunteers:
            entry[2][skill] += volunteers
    return {posko_id: (v, e, dict(skills)) for posko_id, (v, e, skills) in found.items()}


def deployment_rows(session, *, now: datetime, event_id: int | None = None,
                    translate: Translate = untranslated,
                    unplaced: list[str] | None = None) -> list[DeploymentRow]:
    """Each posko with someone or something present at ``now``, by posko code; counts only.
    A posko without a point is drawn at its desa's centroid (``is_approximate``)."""
    present = present_per_posko(session, now=now, event_id=event_id)
    if not present:
        return []
    posko = list(session.scalars(select(Posko).where(Posko.id.in_(present))
                                 .order_by(Posko.code)))
    places = centroids(session, (p.desa_code for p in posko if p.point is None))
    rows: list[DeploymentRow] = []
    for entry in posko:
        place = place_of(entry.point, entry.desa_code, places)
        if place is None:
            if unplaced is not None:
                unplaced.append(entry.code)
            continue
        volunteers, equipment, skills = present[entry.id]
        rows.append(DeploymentRow(
            posko_id=entry.id, posko_code=entry.code, posko_name=entry.name,
            lat=place.lat, lon=place.lon, is_approximate=place.is_approximate,
            volunteers=volunteers, equipment=equipment,
            by_skill={(skill if skill is not None else translate(NO_SKILL)): count
                      for skill, count in sorted(skills.items(),
                                                 key=lambda pair: (pair[0] is None,
                                                                   pair[0] or ""))}))
    return rows


def kecamatan_volunteers(session, *, today: date, now: datetime,
                         kabupaten_code: str | None = None) -> list[AreaRow]:
    """Every kecamatan held (of ``kabupaten_code`` if given), by code, with its volunteers
    ``active``, ``available`` and ``deployed``: aggregates of the home desa's kecamatan."""
    deployed = select(Deployment.volunteer_id).where(
        _present(now), Deployment.volunteer_id.is_not(None))
    away = select(Unavailability.volunteer_id).where(
        Unavailability.starts_on <= today, Unavailability.ends_on >= today)
    is_deployed = Volunteer.id.in_(deployed)
    counts = session.execute(
        select(Region.parent_code, func.count(Volunteer.id),
               func.sum(case((is_deployed, 1), else_=0)),
               func.sum(case((and_(~is_deployed, ~Volunteer.id.in_(away)), 1), else_=0)))
        .join(Region, Region.code == Volunteer.home_desa_code)
        .where(Volunteer.status == VolunteerStatus.ACTIVE)
        .group_by(Region.parent_code))
    per_kecamatan = {code: {"active": int(active), "available": int(available or 0),
                            "deployed": int(busy or 0)}
                     for code, active, busy, available in counts}
    query = select(Region.code).where(Region.level == Level.KECAMATAN)
    if kabupaten_code:
        query = query.where(Region.parent_code == kabupaten_code)
    codes = list(session.scalars(query))
    zero = {"active": 0, "available": 0, "deployed": 0}
    return [AreaRow(code=region.code, name=region.name, kind=region.kind,
                    parent_name=parent_name or "", geometry=region.boundary,
                    figures=dict(per_kecamatan.get(region.code, zero)))
            for region, parent_name in regions_with_parents(session, codes)]
