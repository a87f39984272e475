"""Regu: an active leader who is a member, one regu per volunteer (also when two coordinators
take the same person at once), a leader who leaves only after another leads. Equipment: one
code per item however it is typed, and a status that moves as the flow allows."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from logistics.errors import InvalidTransition, PermissionDenied
from logistics.roster import equipment, errors, teams
from logistics.roster.deployment_models import Equipment
from logistics.roster.models import TeamMember
from logistics.roster.schemas import (
    EquipmentChangeIn,
    EquipmentIn,
    TeamChangeIn,
    TeamIn,
    TeamMemberIn,
)
from tests.app.test_input_bounds import _unbounded
from tests.concurrency import at_once
from tests.roster.factories import COORDINATOR


def _team(roster, leader_id, member_ids=(), name="Regu Dapur Umum 1", **fields):
    return teams.create_team(db.session, actor=roster.actor(), name=name, leader_id=leader_id,
                             member_ids=list(member_ids), **fields)


def test_a_regu_is_formed_with_its_leader_as_a_member(app, roster, volunteers_few):
    few = volunteers_few
    with app.app_context():
        team = _team(roster, few["tagana"], [few["sahabat"], few["sahabat"], few["tagana_2"]],
                     kecamatan_code=roster.KECAMATAN)
        db.session.commit()
        members = teams.members_of(db.session, team.id)
        assert [member.id for member in members][0] == few["tagana"]
        assert {member.id for member in members} == {few["tagana"], few["sahabat"],
                                                     few["tagana_2"]}
        assert teams.team_of(db.session, few["sahabat"]).id == team.id


def test_a_suspended_leader_or_member_is_refused_on_its_field(app, roster, volunteers_few):
    few = volunteers_few
    with app.app_context():
        with pytest.raises(errors.NotActive) as refused:
            _team(roster, few["suspended"])
        assert refused.value.field == "leader_id"
        with pytest.raises(errors.NotActive) as refused:
            _team(roster, few["tagana"], [few["sahabat"], few["suspended"]])
        assert refused.value.field == "member_ids.1"
        with pytest.raises(errors.UnknownVolunteer) as refused:
            _team(roster, few["tagana"], [999_999])
        assert refused.value.field == "member_ids.0"


def test_a_volunteer_is_in_one_regu_and_a_name_is_used_once(app, roster, volunteers_few):
    few = volunteers_few
    with app.app_context():
        first = _team(roster, few["tagana"], [few["sahabat"]])
        db.session.commit()
        with pytest.raises(errors.AlreadyInTeam) as refused:
            _team(roster, few["tagana_2"], [few["sahabat_far"], few["sahabat"]], name="Regu 2")
        assert refused.value.field == "member_ids.1"
        assert refused.value.params["team"] == "Regu Dapur Umum 1"
        with pytest.raises(errors.DuplicateTeamName) as refused:
            _team(roster, few["tagana_2"], name=" regu  dapur umum 1 ")
        assert refused.value.field == "name"
        second = _team(roster, few["tagana_2"], name="Regu 2")
        with pytest.raises(errors.AlreadyInTeam):
            teams.add_member(db.session, actor=roster.actor(), team_id=second.id,
                             volunteer_id=few["sahabat"])
        again = teams.add_member(db.session, actor=roster.actor(), team_id=first.id,
                                 volunteer_id=few["sahabat"])  # already there: stays once
        assert again.id == first.id
        with pytest.raises(errors.NotActive):
            teams.add_member(db.session, actor=roster.actor(), team_id=second.id,
                             volunteer_id=few["suspended"])


def test_the_leader_leaves_only_after_another_member_leads(app, roster, volunteers_few):
    few = volunteers_few
    with app.app_context():
        team = _team(roster, few["tagana"], [few["sahabat"]])
        db.session.commit()
        with pytest.raises(errors.LeaderCannotLeave):
            teams.remove_member(db.session, actor=roster.actor(), team_id=team.id,
                                volunteer_id=few["tagana"])
        with pytest.raises(errors.NotInTeam) as refused:
            teams.set_leader(db.session, actor=roster.actor(), team_id=team.id,
                             volunteer_id=few["tagana_2"])
        assert refused.value.field == "volunteer_id"
        teams.set_leader(db.session, actor=roster.actor(), team_id=team.id,
                         volunteer_id=few["sahabat"])
        teams.remove_member(db.session, actor=roster.actor(), team_id=team.id,
                            volunteer_id=few["tagana"])
        db.session.commit()
        assert [member.id for member in teams.members_of(db.session, team.id)] == [
            few["sahabat"]]
        with pytest.raises(errors.NotInTeam):
            teams.remove_member(db.session, actor=roster.actor(), team_id=team.id,
                                volunteer_id=few["tagana"])


def test_a_regu_is_renamed_and_placed_in_a_kecamatan_only(app, roster, volunteers_few):
    with app.app_context():
        team = _team(roster, volunteers_few["tagana"])
        teams.change_team(db.session, actor=roster.actor(), team_id=team.id, name="Regu LDP",
                          kecamatan_code=roster.OTHER_KECAMATAN)
        assert (team.name, team.kecamatan_code) == ("Regu LDP", roster.OTHER_KECAMATAN)
        with pytest.raises(errors.RegionNotKecamatan) as refused:
            teams.change_team(db.session, actor=roster.actor(), team_id=team.id,
                              kecamatan_code=roster.DESA)
        assert refused.value.field == "kecamatan_code"


def test_two_coordinators_taking_one_volunteer_into_two_regu_at_once_one_wins(
        app, roster, volunteers_few):
    few = volunteers_few
    roster.coordinator("koordinator-2")
    with app.app_context():
        first = _team(roster, few["tagana"], name="Regu A").id
        second = _team(roster, few["tagana_2"], name="Regu B").id
        db.session.commit()

    def take(team_id):
        return lambda session, actor: teams.add_member(session, actor=actor, team_id=team_id,
                                                       volunteer_id=few["sahabat"])

    outcomes = at_once(app, [(COORDINATOR, take(first)), ("koordinator-2", take(second))])
    assert sorted(outcomes) == ["AlreadyInTeam", "ok"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(TeamMember).where(
            TeamMember.volunteer_id == few["sahabat"])) == 1


def test_a_membership_the_check_missed_is_told_by_the_key_as_the_same_rule(
        app, roster, volunteers_few, monkeypatch):
    few = volunteers_few
    with app.app_context():
        _team(roster, few["tagana"], [few["sahabat"]], name="Regu A")
        db.session.commit()
        monkeypatch.setattr(teams, "_not_in_a_team", lambda *args, **kwargs: None)
        with pytest.raises(errors.AlreadyInTeam) as refused:
            _team(roster, few["tagana_2"], [few["sahabat_far"], few["sahabat"]], name="Regu B")
        assert refused.value.field == "member_ids.1"
        assert refused.value.params == {"name": refused.value.params["name"], "team": "Regu A"}


# --- equipment ----------------------------------------------------------------------------

def _item(roster, code="BD 8012 AC", **fields):
    values = {"kind": "perahu_karet", "name": "Perahu karet 1", **fields}
    return equipment.register_equipment(db.session, actor=roster.actor(), code=code, **values)


def test_one_code_per_item_however_it_is_typed(app, roster):
    roster.coordinator()
    with app.app_context():
        item = _item(roster, code="bd  8012 ac", kecamatan_code=roster.KECAMATAN)
        db.session.commit()
        assert (item.code, item.status) == ("BD 8012 AC", "ready")
        with pytest.raises(errors.DuplicateEquipmentCode) as refused:
            _item(roster, code=" Bd 8012 AC")
        assert refused.value.field == "code"
        other = _item(roster, code="TRK-01", kind="truk", name="Truk logistik")
        with pytest.raises(errors.DuplicateEquipmentCode):
            equipment.change_equipment(db.session, actor=roster.actor(),
                                       equipment_id=other.id, code="bd 8012 ac")
        with pytest.raises(errors.RegionNotKecamatan):
            _item(roster, code="GEN-1", kind="genset", kecamatan_code=roster.DESA)


def test_a_code_taken_in_a_race_is_the_same_refusal(app, roster, monkeypatch):
    roster.coordinator()
    with app.app_context():
        _item(roster)
        db.session.commit()
        monkeypatch.setattr(equipment, "_free_code", lambda session, code: code.upper())
        with pytest.raises(errors.DuplicateEquipmentCode):
            _item(roster, code="BD 8012 AC")
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(Equipment)) == 1


def test_equipment_status_moves_as_the_flow_allows_and_retired_is_for_good(app, roster):
    roster.coordinator()
    with app.app_context():
        item = _item(roster)
        for new in ("maintenance", "ready", "retired"):
            equipment.change_equipment(db.session, actor=roster.actor(), equipment_id=item.id,
                                       status=new)
            assert item.status == new
        with pytest.raises(InvalidTransition):
            equipment.change_equipment(db.session, actor=roster.actor(), equipment_id=item.id,
                                       status="ready")
        db.session.commit()
        assert equipment.equipment_list(db.session) == []
        assert [row.id for row in equipment.equipment_list(db.session,
                                                           with_status="retired")] == [item.id]


def test_leadership_reads_but_does_not_register_equipment(app, roster, make_user):
    boss = make_user(role="leadership")
    with app.app_context(), pytest.raises(PermissionDenied):
        equipment.register_equipment(db.session, actor=roster.actor(boss), code="X",
                                     kind="radio", name="HT")


@pytest.mark.parametrize("schema", [TeamIn, TeamChangeIn, TeamMemberIn, EquipmentIn,
                                    EquipmentChangeIn])
def test_team_and_equipment_schemas_are_built_from_the_bounded_fields(schema):
    assert _unbounded(schema) == []
