"""The operations the profile and overview pages added: one skill at a time (also by two
coordinators at once), renaming a catalogue line, taking back only periods not over, where each
item is deployed, and the regu overview."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from logistics.calendar import local_today
from logistics.errors import InvalidInput
from logistics.roster import availability, equipment, errors, skills, teams
from logistics.roster.models import VolunteerSkill
from tests.concurrency import at_once
from tests.roster.dispatch_factories import hours_from_now
from tests.roster.factories import COORDINATOR

TODAY = local_today()


def held(volunteer_id) -> dict[str, int]:
    return {line.skill_code: line.level for line in db.session.scalars(
        select(VolunteerSkill).where(VolunteerSkill.volunteer_id == volunteer_id))}


def test_one_skill_is_added_changed_and_removed_leaving_the_others(app, roster):
    roster.seed_skills()
    person = roster.volunteer()
    with app.app_context():
        actor = roster.actor()
        for code, level in (("ldp", 1), ("evakuasi", 2), ("ldp", 3)):
            skills.set_volunteer_skill(db.session, actor=actor, volunteer_id=person,
                                       skill_code=code, level=level)
        db.session.commit()
        assert held(person) == {"ldp": 3, "evakuasi": 2}
        skills.remove_volunteer_skill(db.session, actor=actor, volunteer_id=person,
                                      skill_code="ldp")
        skills.remove_volunteer_skill(db.session, actor=actor, volunteer_id=person,
                                      skill_code="ldp")  # already off: nothing to do
        db.session.commit()
        assert held(person) == {"evakuasi": 2}
        with pytest.raises(InvalidInput) as refused:
            skills.set_volunteer_skill(db.session, actor=actor, volunteer_id=person,
                                       skill_code="ldp", level=4)
        assert refused.value.field == "level"
        with pytest.raises(errors.UnknownSkill):
            skills.set_volunteer_skill(db.session, actor=actor, volunteer_id=person,
                                       skill_code="terbang", level=1)
        db.session.rollback()
        assert held(person) == {"evakuasi": 2}


def test_two_coordinators_giving_one_skill_at_once_leave_one_line(app, roster):
    roster.seed_skills()
    roster.coordinator("koordinator-2")
    person = roster.volunteer()

    def give(level):
        return lambda session, actor: skills.set_volunteer_skill(
            session, actor=actor, volunteer_id=person, skill_code="dapur_umum", level=level)

    for attempt in range(3):
        outcomes = at_once(app, [(COORDINATOR, give(1 + attempt % 3)),
                                 ("koordinator-2", give(3 - attempt % 3))])
        assert outcomes == ["ok", "ok"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(VolunteerSkill)) == 1


def test_a_skill_is_renamed_but_never_to_another_skills_name(app, roster):
    roster.coordinator()
    roster.seed_skills()
    with app.app_context():
        actor = roster.actor()
        skills.rename_skill(db.session, actor=actor, code="ldp", name="  LDP  (psikososial) ")
        db.session.commit()
        assert db.session.get(skills.Skill, "ldp").name == "LDP (psikososial)"
        with pytest.raises(errors.DuplicateSkill) as clash:
            skills.rename_skill(db.session, actor=actor, code="ldp", name="logistik")
        assert clash.value.field == "name"
        with pytest.raises(errors.SkillNotFound):
            skills.rename_skill(db.session, actor=actor, code="terbang", name="Terbang")
        # Its own name in other letters is no clash.
        skills.rename_skill(db.session, actor=actor, code="ldp", name="ldp (PSIKOSOSIAL)")


def test_only_a_period_not_over_and_of_that_volunteer_is_taken_back(app, roster):
    person, other = roster.volunteer(), roster.volunteer()
    with app.app_context():
        actor = roster.actor()

        def declare(first, last):
            return availability.declare_unavailable(
                db.session, actor=actor, volunteer_id=person,
                starts_on=TODAY + timedelta(first), ends_on=TODAY + timedelta(last)).id

        past, ending_today, future = declare(-9, -1), declare(0, 0), declare(5, 6)
        db.session.commit()
        with pytest.raises(errors.PeriodOver):
            availability.withdraw_unavailable(db.session, actor=actor, unavailability_id=past)
        with pytest.raises(errors.UnknownUnavailability):
            availability.withdraw_unavailable(db.session, actor=actor, volunteer_id=other,
                                              unavailability_id=future)
        for period in (ending_today, future):
            availability.withdraw_unavailable(db.session, actor=actor, volunteer_id=person,
                                              unavailability_id=period)
        db.session.commit()
        assert [row.id for row in availability.periods_of(db.session, person)] == [past]


def test_the_register_names_where_each_item_is_or_goes_next(app, dispatching):
    out, booked, idle = (dispatching.equipment() for _ in range(3))
    dispatching.send(period=hours_from_now(-2, 10), equipment=[
        {"equipment_id": out, "role": "evakuasi"}])
    dispatching.send(period=hours_from_now(30, 10), equipment=[
        {"equipment_id": out, "role": "evakuasi"}, {"equipment_id": booked, "role": "air"}])
    dispatching.send(period=hours_from_now(60, 10), equipment=[
        {"equipment_id": booked, "role": "air"}])
    now = hours_from_now(0, 0)[0]
    with app.app_context():
        found = equipment.bookings(db.session, [out, booked, idle], now)
        assert set(found) == {out, booked}
        assert found[out].is_under_way(now)
        assert not found[booked].is_under_way(now)
        assert found[booked].deployment.starts_at == hours_from_now(30, 10)[0]
        assert equipment.bookings(db.session, [], now) == {}


def test_the_regu_overview_counts_members_and_names_leaders(app, roster):
    leader, member, alone = roster.volunteer(name="Ketua"), roster.volunteer(), \
        roster.volunteer(name="Sendiri")
    with app.app_context():
        actor = roster.actor()
        teams.create_team(db.session, actor=actor, name="Regu B", leader_id=leader,
                          member_ids=[member])
        teams.create_team(db.session, actor=actor, name="Regu A", leader_id=alone)
        db.session.commit()
        lines = teams.team_lines(db.session)
        assert [(line.team.name, line.leader_name, line.members) for line in lines] == [
            ("Regu A", "Sendiri", 1), ("Regu B", "Ketua", 2)]
