"""Regu and equipment writes over the API, as on their pages: the list of regu, one regu with
its members (names, kinds, NIA and phones: never NIK or home), forming one under a leader,
adding and removing members; registering and correcting equipment (its list is in
`volunteers_api`).
"""

from __future__ import annotations

from flask_login import current_user

from app.api_support import ApiBlueprint
from app.extensions import db
from app.security import require
from app.stock.api import IdempotencyHeader
from logistics.accounts.roles import Permission
from logistics.roster import equipment, teams
from logistics.roster import schemas as s
from logistics.roster.lookups import team_or_fail

blp = ApiBlueprint("roster_teams_api", __name__, url_prefix="/api/v1/roster",
                   description="Regu (teams) and equipment")


def _detail(team) -> dict:
    return {"id": team.id, "name": team.name, "kecamatan_code": team.kecamatan_code,
            "leader_id": team.leader_id, "members": teams.members_of(db.session, team.id)}


@blp.get("/teams")
@require(Permission.VIEW_ROSTER)
@blp.response(200, s.TeamLineOut(many=True))
def get_teams():
    """Every regu by name, with its leader and number of members."""
    return teams.team_lines(db.session)


@blp.get("/teams/<int:team_id>")
@require(Permission.VIEW_ROSTER)
@blp.response(200, s.TeamDetailOut)
def get_team(team_id):
    """A regu with its members, its leader first."""
    return _detail(team_or_fail(db.session, team_id))


@blp.post("/teams")
@require(Permission.MANAGE_ROSTER)
@blp.arguments(s.TeamIn)
@blp.arguments(IdempotencyHeader, location="headers")
@blp.response(201, s.TeamDetailOut)
def post_team(data, header):
    """Form a regu under an active leader (a member), with the members named; anyone already
    in a regu is a 409 on their field."""
    team = teams.create_team(db.session, actor=current_user, idempotency_key=header["key"],
                             **data)
    db.session.commit()
    return _detail(team)


@blp.post("/teams/<int:team_id>/members")
@require(Permission.MANAGE_ROSTER)
@blp.arguments(s.TeamMemberIn)
@blp.response(200, s.TeamDetailOut)
def post_team_member(data, team_id):
    """Put an active volunteer into the regu (one already in it stays, once)."""
    team = teams.add_member(db.session, actor=current_user, team_id=team_id, **data)
    db.session.commit()
    return _detail(team)


@blp.delete("/teams/<int:team_id>/members/<int:volunteer_id>")
@require(Permission.MANAGE_ROSTER)
@blp.response(200, s.TeamDetailOut)
def delete_team_member(team_id, volunteer_id):
    """Take a member out; the leader only after another leads (409)."""
    team = teams.remove_member(db.session, actor=current_user, team_id=team_id,
                               volunteer_id=volunteer_id)
    db.session.commit()
    return _detail(team)


@blp.post("/equipment")
@require(Permission.MANAGE_ROSTER)
@blp.arguments(s.EquipmentIn)
@blp.arguments(IdempotencyHeader, location="headers")
@blp.response(201, s.EquipmentOut)
def post_equipment(data, header):
    """Register an item under a code no other item has (409 otherwise); it starts ready."""
    item = equipment.register_equipment(db.session, actor=current_user,
                                        idempotency_key=header["key"], **data)
    db.session.commit()
    return item


@blp.patch("/equipment/<int:equipment_id>")
@require(Permission.MANAGE_ROSTER)
@blp.arguments(s.EquipmentChangeIn, required=False)
@blp.response(200, s.EquipmentOut)
def patch_equipment(data, equipment_id):
    """Correct the record or move its status; only what is sent changes. A retired item
    stays retired (409)."""
    item = equipment.change_equipment(db.session, actor=current_user,
                                      equipment_id=equipment_id, **(data or {}))
    db.session.commit()
    return item
