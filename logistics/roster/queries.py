"""The roster as a coordinator filters it: by kind, status, kecamatan, skill and who is free on
a day. Keyset-paged by id (`app.pagination.keyset_page` takes the ``limit + 1`` rows), with
what `VolunteerOut` shows loaded in a fixed number of queries, not one per row."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from logistics.regions.models import Region
from logistics.roster.availability import unavailable_volunteer_ids
from logistics.roster.models import Volunteer, VolunteerSkill


def volunteer_rows(session, *, limit: int = 50, after: int | None = None,
                   kind: str | None = None, status: str | None = None,
                   kecamatan_code: str | None = None, skill_code: str | None = None,
                   free_on: date | None = None) -> list[Volunteer]:
    """Up to ``limit + 1`` volunteers after ``after`` (by id) matching every filter given;
    ``free_on`` leaves out those who declared that day unavailable."""
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
    return list(session.scalars(query))
