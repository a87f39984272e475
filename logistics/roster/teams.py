"""Regu: volunteers sent together under a leader.

A volunteer is in one regu at a time (the member table's key is the volunteer, and its
constraint answers a race with the same refusal as the check). The leader is always a member
and was active when chosen: creating a regu makes its leader a member, and the leader cannot
leave until another leads. Every change to a regu's members locks the regu's row first, so
"make X leader" and "remove X" by two coordinators cannot both pass their checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from logistics.accounts.roles import Permission
from logistics.core.atomic import all_or_nothing, idempotent
from logistics.roster import errors
from logistics.roster.lookups import (
    active_or_fail,
    ensure_can,
    kecamatan_or_fail,
    team_or_fail,
    volunteer_or_fail,
)
from logistics.roster.models import Team, TeamMember, Volunteer


@idempotent("roster.create_team")
def create_team(session, *, actor, name, leader_id, member_ids=(),
                kecamatan_code=None) -> Team:
    """Form a regu under an active leader, with the members named (the leader is one)."""
    ensure_can(actor, Permission.MANAGE_ROSTER)
    name = _unique_name(session, name)
    kecamatan = kecamatan_or_fail(session, kecamatan_code)
    fields = {leader_id: "leader_id"}
    for index, volunteer_id in enumerate(member_ids):
        fields.setdefault(volunteer_id, f"member_ids.{index}")
    _lock_volunteers(session, fields)
    for volunteer_id, field in fields.items():
        active_or_fail(volunteer_or_fail(session, volunteer_id, field=field), field=field)
        _not_in_a_team(session, volunteer_id, field=field)
    team = Team(name=name, kecamatan_code=kecamatan, leader_id=leader_id)
    session.add(team)
    session.flush()
    session.add_all(TeamMember(volunteer_id=volunteer_id, team_id=team.id)
                    for volunteer_id in fields)
    session.flush()
    return team


@all_or_nothing
def change_team(session, *, actor, team_id, name=None, kecamatan_code=None) -> Team:
    """Rename the regu or set its kecamatan."""
    ensure_can(actor, Permission.MANAGE_ROSTER)
    team = team_or_fail(session, team_id)
    if name is not None and " ".join(name.split()) != team.name:
        team.name = _unique_name(session, name)
    if kecamatan_code is not None:
        team.kecamatan_code = kecamatan_or_fail(session, kecamatan_code)
    session.flush()
    return team


@all_or_nothing
def add_member(session, *, actor, team_id, volunteer_id) -> Team:
    """Put an active volunteer in the regu; one already in it stays, once."""
    ensure_can(actor, Permission.MANAGE_ROSTER)
    team = _locked(session, team_id)
    volunteer = volunteer_or_fail(session, volunteer_id, field="volunteer_id", lock=True)
    current = session.get(TeamMember, volunteer.id)
    if current is not None and current.team_id == team.id:
        return team
    active_or_fail(volunteer, field="volunteer_id")
    _not_in_a_team(session, volunteer.id, field="volunteer_id")
    session.add(TeamMember(volunteer_id=volunteer.id, team_id=team.id))
    session.flush()
    return team


@all_or_nothing
def remove_member(session, *, actor, team_id, volunteer_id) -> Team:
    """Take a volunteer out of the regu; its leader leaves only after another leads."""
    ensure_can(actor, Permission.MANAGE_ROSTER)
    team = _locked(session, team_id)
    volunteer = volunteer_or_fail(session, volunteer_id, field="volunteer_id")
    membership = _membership(session, team, volunteer)
    if team.leader_id == volunteer.id:
        raise errors.LeaderCannotLeave(name=volunteer.name, team=team.name, field="volunteer_id")
    session.delete(membership)
    session.flush()
    return team


@all_or_nothing
def set_leader(session, *, actor, team_id, volunteer_id) -> Team:
    """Make an active member the regu's leader."""
    ensure_can(actor, Permission.MANAGE_ROSTER)
    team = _locked(session, team_id)
    volunteer = volunteer_or_fail(session, volunteer_id, field="volunteer_id")
    _membership(session, team, volunteer)
    active_or_fail(volunteer, field="volunteer_id")
    team.leader_id = volunteer.id
    session.flush()
    return team


def members_of(session, team_id: int) -> list[Volunteer]:
    """The regu's members, its leader first, then by name."""
    team = team_or_fail(session, team_id)
    members = session.scalars(select(Volunteer).join(TeamMember).where(
        TeamMember.team_id == team.id).order_by(Volunteer.name, Volunteer.id))
    return sorted(members, key=lambda volunteer: volunteer.id != team.leader_id)


def team_of(session, volunteer_id: int) -> Team | None:
    """The regu the volunteer is in, if any."""
    return session.scalar(select(Team).join(TeamMember).where(
        TeamMember.volunteer_id == volunteer_id))


def _unique_name(session, name: str) -> str:
    name = " ".join(name.split())
    if session.scalar(select(Team.id).where(func.lower(Team.name) == name.lower())):
        raise errors.DuplicateTeamName(name=name, field="name")
    return name


def _locked(session, team_id: int) -> Team:
    session.execute(select(Team.id).where(Team.id == team_id).with_for_update())
    team = session.get(Team, team_id, populate_existing=True)
    if team is None:
        raise errors.UnknownTeam()
    return team


def _lock_volunteers(session, ids) -> None:
    """Lock the volunteers' rows in id order (one order for every writer: no deadlock)."""
    session.execute(select(Volunteer.id).where(Volunteer.id.in_(sorted(ids)))
                    .order_by(Volunteer.id).with_for_update())


def _not_in_a_team(session, volunteer_id: int, *, field: str) -> None:
    row = session.execute(select(Volunteer.name, Team.name)
                          .join(TeamMember, TeamMember.volunteer_id == Volunteer.id)
                          .join(Team, Team.id == TeamMember.team_id)
                          .where(Volunteer.id == volunteer_id)).first()
    if row is not None:
        raise errors.AlreadyInTeam(name=row[0], team=row[1], field=field)


def _membership(session, team: Team, volunteer: Volunteer) -> TeamMember:
    membership = session.get(TeamMember, volunteer.id)
    if membership is None or membership.team_id != team.id:
        raise errors.NotInTeam(name=volunteer.name, team=team.name, field="volunteer_id")
    return membership


@dataclass(frozen=True)
class TeamLine:
    team: Team
    leader_name: str | None
    members: int


def team_lines(session) -> list[TeamLine]:
    """Every regu by name, with its leader's name and how many members it has, in one query."""
    counts = (select(TeamMember.team_id, func.count().label("members"))
              .group_by(TeamMember.team_id).subquery())
    rows = session.execute(
        select(Team, Volunteer.name, func.coalesce(counts.c.members, 0))
        .outerjoin(Volunteer, Volunteer.id == Team.leader_id)
        .outerjoin(counts, counts.c.team_id == Team.id)
        .order_by(Team.name, Team.id))
    return [TeamLine(team, leader, members) for team, leader, members in rows]
