"""Find a volunteer, regu, item or skill by id or code, or refuse with the message the reader
needs; and the one permission check every roster write starts with.

The roster is kabupaten-wide: whoever holds MANAGE_ROSTER (or DISPATCH) holds it everywhere,
so there is no scope to register (`logistics.accounts.scopes`).
"""

from __future__ import annotations

from sqlalchemy import select

from logistics.errors import PermissionDenied
from logistics.regions.models import Level, Region
from logistics.roster import errors
from logistics.roster.deployment_models import Equipment
from logistics.roster.models import (
    VOLUNTEER_STATUS_LABELS,
    Skill,
    Team,
    Volunteer,
    VolunteerStatus,
)


def ensure_can(actor, permission) -> None:
    if not actor.can(permission):
        raise PermissionDenied()


def volunteer_or_fail(session, volunteer_id: int, *, field: str | None = None,
                      lock: bool = False) -> Volunteer:
    """The volunteer; ``lock`` holds the row until commit (writers about one volunteer queue
    there: two unavailable periods declared at once, two regu taking the same person)."""
    if lock:
        session.execute(select(Volunteer.id).where(Volunteer.id == volunteer_id)
                        .with_for_update())
    volunteer = session.get(Volunteer, volunteer_id, populate_existing=lock)
    if volunteer is None:
        raise errors.UnknownVolunteer(field=field)
    return volunteer


def active_or_fail(volunteer: Volunteer, *, field: str | None = None) -> Volunteer:
    if volunteer.status != VolunteerStatus.ACTIVE:
        raise errors.NotActive(name=volunteer.name,
                               status=VOLUNTEER_STATUS_LABELS[VolunteerStatus(volunteer.status)],
                               field=field)
    return volunteer


def team_or_fail(session, team_id: int, *, field: str | None = None) -> Team:
    team = session.get(Team, team_id)
    if team is None:
        raise errors.UnknownTeam(field=field)
    return team


def equipment_or_fail(session, equipment_id: int, *, field: str | None = None) -> Equipment:
    equipment = session.get(Equipment, equipment_id)
    if equipment is None:
        raise errors.UnknownEquipment(field=field)
    return equipment


def skill_or_fail(session, code: str, *, field: str = "skill_code") -> Skill:
    skill = session.get(Skill, code)
    if skill is None:
        raise errors.UnknownSkill(code=code, field=field)
    return skill


def kecamatan_or_fail(session, code: str | None, *, field: str = "kecamatan_code"):
    """The kecamatan's code, or None when none is named."""
    if code is None:
        return None
    region = session.get(Region, code)
    if region is None or region.level != Level.KECAMATAN:
        raise errors.RegionNotKecamatan(code=code, field=field)
    return region.code
