"""Per-desa figures of an event, each from one grouped query: the latest rapid assessment of
each desa and the household assessments by damage. Counts only; no household is read whole.
"""

from __future__ import annotations

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased

from logistics.emergency.assessment_models import (
    HouseDamage,
    HouseholdAssessment,
    RapidAssessment,
)
from logistics.emergency.models import event_regions
from logistics.regions.models import Level, Region

# Rapid-assessment figures a desa's row carries, as ``reported_<name>``: what assessors
# reported on their latest visit (a desa's displaced may shelter with family, not in a posko).
RAPID_FIGURES = ("displaced", "dead", "missing", "injured", "houses_heavy", "houses_moderate",
                 "houses_light")


def rapid_per_desa(session, event_id: int) -> dict[str, dict[str, int]]:
    """The latest rapid assessment of each desa (by date, then id): ``reported_*`` and
    ``access_cut`` (1 when the latest visit found the desa cut off)."""
    ranked = (select(RapidAssessment.id, func.row_number().over(
        partition_by=RapidAssessment.desa_code,
        order_by=(RapidAssessment.assessed_on.desc(), RapidAssessment.id.desc())).label("rank"))
        .where(RapidAssessment.event_id == event_id).subquery())
    columns = [getattr(RapidAssessment, name) for name in RAPID_FIGURES]
    rows = session.execute(
        select(RapidAssessment.desa_code, *columns, RapidAssessment.access_cut)
        .join(ranked, and_(ranked.c.id == RapidAssessment.id, ranked.c.rank == 1)))
    found = {}
    for code, *values, access_cut in rows:
        figures = {f"reported_{name}": int(value or 0)
                   for name, value in zip(RAPID_FIGURES, values, strict=True)}
        figures["access_cut"] = int(bool(access_cut))
        found[code] = figures
    return found


def households_per_desa(session, event_id: int) -> dict[str, dict[str, int]]:
    """Household assessments of each desa: ``households_assessed``, ``houses_heavy`` (rusak
    berat) and ``houses_damaged`` (rusak ringan or sedang)."""
    heavy = func.sum(case((HouseholdAssessment.house_damage == HouseDamage.HEAVY, 1), else_=0))
    damaged = func.sum(case((HouseholdAssessment.house_damage.in_(
        (HouseDamage.LIGHT, HouseDamage.MODERATE)), 1), else_=0))
    rows = session.execute(
        select(HouseholdAssessment.desa_code, func.count(HouseholdAssessment.id), heavy, damaged)
        .where(HouseholdAssessment.event_id == event_id)
        .group_by(HouseholdAssessment.desa_code))
    return {code: {"households_assessed": int(total), "houses_heavy": int(heavy or 0),
                   "houses_damaged": int(damaged or 0)}
            for code, total, heavy, damaged in rows}


def named_desa(session, event_id: int) -> set[str]:
    """The desa the event names itself (not every desa of a kecamatan it names)."""
    return set(session.scalars(
        select(Region.code).join(event_regions, event_regions.c.region_code == Region.code)
        .where(event_regions.c.event_id == event_id, Region.level == Level.DESA)))


def regions_with_parents(session, codes) -> list[tuple[Region, str | None]]:
    """The regions named, by code, each with its parent's name, in one query."""
    if not codes:
        return []
    parent = aliased(Region)
    return list(session.execute(
        select(Region, parent.name).outerjoin(parent, parent.code == Region.parent_code)
        .where(Region.code.in_(set(codes))).order_by(Region.code)))
