"""Send volunteers, a regu and equipment to a posko for a period, never booking anyone twice.

A dispatch is all or nothing: thirty volunteers of which one clashes write nothing, and the
refusal names that line. Overlap is the rule people rely on ("Pak Budi cannot be at two posko"),
also when two coordinators press at the same moment:

1. every volunteer and item row is locked, volunteers then equipment, each in id order
   (``SELECT … FOR UPDATE`` on PostgreSQL, so two dispatches never wait on each other in a
   cycle; SQLite's writers are already one at a time from ``BEGIN IMMEDIATE``);
2. only then are live deployments read for overlaps, so the second of two racing dispatches
   sees the first one's rows and is refused with a 409 naming it;
3. on PostgreSQL the exclusion constraints ``volunteer_never_twice``/``equipment_never_twice``
   refuse whatever slipped past (a writer that skipped this module); the clash is then read
   again and named the same way.

Periods are half-open, as ``tstzrange`` is: a deployment ending at 08.00 and the next one
starting at 08.00 do not clash. A cancelled deployment frees its period; an ended one keeps
the (shortened) period it was served in.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from logistics.accounts.roles import Permission
from logistics.calendar import local_time, local_today
from logistics.core.atomic import idempotent
from logistics.core.constraints import constraint_of
from logistics.core.numbering import next_number
from logistics.emergency import errors as emergency_errors
from logistics.emergency.census import as_utc
from logistics.emergency.lookups import open_event, posko_or_fail
from logistics.emergency.models import Posko
from logistics.errors import PermissionDenied
from logistics.roster import availability, messages
from logistics.roster import dispatch_errors as errors
from logistics.roster.deployment_models import (
    EQUIPMENT_STATUS_LABELS,
    BookedTwice,
    Deployment,
    DeploymentStatus,
    Dispatch,
    Equipment,
    EquipmentStatus,
)
from logistics.roster.models import (
    VOLUNTEER_STATUS_LABELS,
    Skill,
    Team,
    TeamMember,
    Volunteer,
    VolunteerStatus,
)

NUMBER_PREFIX = "DSP"
MAX_DAYS = 60  # a tanggap darurat is declared for 14 days and extended; beyond this is a typo
LEADER_ROLE, MEMBER_ROLE = "Ketua regu", "Anggota regu"


@idempotent("roster.dispatch")
def dispatch(session, *, actor, posko_id, starts_at: datetime, ends_at: datetime,
             volunteers=(), equipment=(), team_id=None, team_role=None, report_to=None,
             notes=None, today=None) -> Dispatch:
    """Send people and equipment to a posko for one period; refused whole, naming the line,
    when anyone cannot go or is already deployed then."""
    if not actor.can(Permission.DISPATCH):
        raise PermissionDenied()
    today = today or local_today()
    starts_at, ends_at = as_utc(starts_at), as_utc(ends_at)
    posko = _open_posko(session, posko_id, starts_at, today)
    _check_period(starts_at, ends_at)
    people = _people(session, volunteers, team_id, team_role)
    items = [(index, line["equipment_id"], line["role"]) for index, line in enumerate(equipment)]
    if not people and not items:
        raise errors.NothingToDispatch(field="volunteers")
    found = _lock(session, Volunteer, [person.volunteer_id for person in people])
    kit = _lock(session, Equipment, [item_id for _, item_id, _ in items])
    errors.refuse(_volunteer_problems(session, people, found, starts_at, ends_at)
                  + _equipment_problems(items, kit))
    errors.refuse(_clashes(session, people, found, items, kit, starts_at, ends_at))
    record = Dispatch(number=next_number(session, NUMBER_PREFIX, "", today.year),
                      event_id=posko.event_id, posko_id=posko.id, report_to=report_to,
                      notes=notes, dispatched_by_id=actor.id)
    session.add(record)
    session.flush()
    common = dict(dispatch_id=record.id, event_id=posko.event_id, posko_id=posko.id,
                  starts_at=starts_at, ends_at=ends_at, status=DeploymentStatus.DISPATCHED)
    rows = [Deployment(volunteer_id=person.volunteer_id, team_id=person.team_id,
                       role=person.role, skill_code=person.skill_code, **common)
            for person in people]
    rows += [Deployment(equipment_id=item_id, role=role, **common) for _, item_id, role in items]
    _insert(session, rows, lambda: _clashes(session, people, found, items, kit, starts_at,
                                            ends_at))
    session.refresh(record, ["deployments"])
    messages.record_messages(session, record, posko)
    return record


class _Person:
    """One volunteer to send, and where a refusal about them belongs."""

    __slots__ = ("volunteer_id", "role", "skill_code", "team_id", "field", "position")

    def __init__(self, volunteer_id, role, *, skill_code=None, team_id=None, field, position):
        self.volunteer_id, self.role, self.skill_code = volunteer_id, role, skill_code
        self.team_id, self.field, self.position = team_id, field, position


def _open_posko(session, posko_id, starts_at: datetime, today) -> Posko:
    """The posko, of an event still running, and open on the first day it is staffed."""
    posko = posko_or_fail(session, posko_id, field="posko_id")
    event = open_event(session, posko.event_id, today, field="posko_id")
    first_day = max(local_time(starts_at).date(), today)
    if event.ended_on is not None and event.ended_on < first_day:
        raise emergency_errors.EventEnded(number=event.number, ended_on=event.ended_on,
                                          field="posko_id")
    if posko.closed_on is not None and posko.closed_on < first_day:
        raise emergency_errors.PoskoClosed(posko=posko.name, closed_on=posko.closed_on,
                                           field="posko_id")
    return posko


def _check_period(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise errors.PeriodBackwards(field="ends_at")
    if ends_at <= datetime.now(UTC):
        raise errors.PeriodOver(field="ends_at")
    if ends_at - starts_at > timedelta(days=MAX_DAYS):
        raise errors.PeriodTooLong(days=MAX_DAYS, field="ends_at")


def _people(session, volunteers, team_id, team_role) -> list[_Person]:
    """The volunteers named one by one, then the regu's members (its leader first)."""
    people = [_Person(line["volunteer_id"], line["role"], skill_code=line.get("skill_code"),
                      field=f"volunteers.{index}", position=index + 1)
              for index, line in enumerate(volunteers)]
    if team_id is None:
        return people
    team = session.get(Team, team_id)
    if team is None:
        raise errors.UnknownTeam(field="team_id")
    members = sorted(session.scalars(select(TeamMember.volunteer_id)
                                     .where(TeamMember.team_id == team.id)),
                     key=lambda member: (member != team.leader_id, member))
    if not members:
        raise errors.TeamEmpty(team=team.name, field="team_id")
    for member in members:
        role = team_role or (LEADER_ROLE if member == team.leader_id else MEMBER_ROLE)
        people.append(_Person(member, role, team_id=team.id, field="team_id", position=None))
    return people


def _lock(session, model, ids) -> dict:
    """Load and lock the rows in id order; fresh, as another writer may just have changed them."""
    if not ids:
        return {}
    rows = session.scalars(select(model).where(model.id.in_(set(ids))).order_by(model.id)
                           .with_for_update().execution_options(populate_existing=True))
    return {row.id: row for row in rows}


def _volunteer_problems(session, people, found, starts_at, ends_at) -> list:
    """Every person who cannot go, each on their line: unknown, named twice, not active,
    a declared unavailable period, an unknown skill."""
    problems, first_line = [], {}
    away = availability.clashing_periods(session, list(found), starts_at, ends_at)
    skills = {person.skill_code for person in people if person.skill_code}
    known_skills = set(session.scalars(select(Skill.code).where(Skill.code.in_(skills))))
    for person in people:
        field = f"{person.field}.volunteer_id" if person.position else person.field
        volunteer = found.get(person.volunteer_id)
        if volunteer is None:
            problems.append(errors.UnknownVolunteer(volunteer=person.volunteer_id, field=field))
            continue
        earlier = first_line.setdefault(volunteer.id, person)
        if earlier is not person:
            problems.append(_twice(volunteer, person, earlier, session))
        elif volunteer.status != VolunteerStatus.ACTIVE:
            problems.append(errors.VolunteerNotActive(
                name=volunteer.name, status=VOLUNTEER_STATUS_LABELS[volunteer.status],
                field=field))
        elif volunteer.id in away:
            period = away[volunteer.id]
            problems.append(errors.VolunteerUnavailable(
                name=volunteer.name, starts_on=period.starts_on, ends_on=period.ends_on,
                field=field))
        if person.skill_code and person.skill_code not in known_skills:
            problems.append(errors.UnknownSkill(code=person.skill_code,
                                                field=f"{person.field}.skill_code"))
    return problems


def _twice(volunteer, person, earlier, session):
    """The later of two lines naming one volunteer; a member of the regu named by hand too is
    refused on the hand-written line."""
    if earlier.team_id is not None or person.team_id is not None:
        line = person if person.position else earlier
        team = session.get(Team, earlier.team_id or person.team_id)
        return errors.VolunteerInTeam(name=volunteer.name, team=team.name,
                                      field=f"{line.field}.volunteer_id")
    return errors.VolunteerNamedTwice(name=volunteer.name, position=earlier.position,
                                      field=f"{person.field}.volunteer_id")


def _equipment_problems(items, kit) -> list:
    problems, first_line = [], {}
    for index, item_id, _ in items:
        field = f"equipment.{index}.equipment_id"
        item = kit.get(item_id)
        if item is None:
            problems.append(errors.UnknownEquipment(equipment=item_id, field=field))
            continue
        earlier = first_line.setdefault(item.id, index)
        if earlier != index:
            problems.append(errors.EquipmentNamedTwice(item=item.name, position=earlier + 1,
                                                       field=field))
        elif item.status != EquipmentStatus.READY:
            problems.append(errors.EquipmentNotReady(
                item=item.name, status=EQUIPMENT_STATUS_LABELS[item.status], field=field))
    return problems


def _clashes(session, people, found, items, kit, starts_at, ends_at) -> list:
    """A 409 per line whose volunteer or item is already deployed for an overlapping period,
    naming the dispatch, the posko and the period it clashes with."""
    busy_people = overlapping(session, Deployment.volunteer_id, list(found), starts_at, ends_at)
    busy_kit = overlapping(session, Deployment.equipment_id, list(kit), starts_at, ends_at)
    problems = []
    for person in people:
        if (clash := busy_people.get(person.volunteer_id)) is not None:
            deployment, number, posko = clash
            field = f"{person.field}.volunteer_id" if person.position else person.field
            problems.append(errors.VolunteerAlreadyDeployed(
                name=found[person.volunteer_id].name, posko=posko, number=number,
                starts=deployment.starts_at, ends=deployment.ends_at,
                deployment_id=deployment.id, field=field))
    for index, item_id, _ in items:
        if (clash := busy_kit.get(item_id)) is not None:
            deployment, number, posko = clash
            problems.append(errors.EquipmentAlreadyDeployed(
                item=kit[item_id].name, posko=posko, number=number, starts=deployment.starts_at,
                ends=deployment.ends_at, deployment_id=deployment.id,
                field=f"equipment.{index}.equipment_id"))
    return problems


def overlapping(session, column, ids, starts_at, ends_at) -> dict[int, tuple]:
    """Per volunteer (or item) id, its earliest live deployment overlapping the period, with
    the dispatch number and posko name that identify it to a person."""
    if not ids:
        return {}
    rows = session.execute(
        select(Deployment, Dispatch.number, Posko.name)
        .join(Dispatch, Deployment.dispatch_id == Dispatch.id)
        .join(Posko, Deployment.posko_id == Posko.id)
        .where(column.in_(ids), Deployment.status != DeploymentStatus.CANCELLED,
               Deployment.starts_at < ends_at, Deployment.ends_at > starts_at)
        .order_by(Deployment.starts_at.desc(), Deployment.id.desc()))
    return {getattr(deployment, column.key): (deployment, number, posko)
            for deployment, number, posko in rows}


def _insert(session, rows, clashes) -> None:
    """Insert the deployments; on PostgreSQL a clash the locks did not catch is refused by the
    exclusion constraint, then read again so the refusal names the deployment it met."""
    try:
        with session.begin_nested():
            session.add_all(rows)
            session.flush()
    except IntegrityError as error:
        constraint = constraint_of(error)
        if constraint is None or constraint.info.get("violation") is not BookedTwice:
            raise
        errors.refuse(clashes())
        raise BookedTwice() from error
