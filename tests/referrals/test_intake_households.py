"""Which assessments enter the SLRT pipeline, and the household they enter as (by No. KK)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from sqlalchemy import func, select

from app.extensions import db
from logistics.calendar import local_today
from logistics.core.identity import make_nik
from logistics.emergency import assessments
from logistics.referrals import intake
from logistics.referrals.case_models import IntakeCondition
from logistics.referrals.models import Household, Membership, Person
from tests.referrals.factories import make_kk


def _condition(finding, value, active=True):
    return IntakeCondition(code=finding, finding=finding, value=value, category="lainnya",
                           description="-", is_active=active)


def _assessment(damage="tidak_rusak", livelihood=False, deaths=0, disabled=False):
    member = SimpleNamespace(is_disabled=disabled, is_pregnant=False)
    return SimpleNamespace(house_damage=damage, lost_livelihood=livelihood, deaths=deaths,
                           members=[member])


def test_house_damage_condition_holds_at_its_level_and_above_only():
    heavy_or_worse = [_condition("house_damage", "rusak_sedang")]
    assert intake.conditions_met(heavy_or_worse, _assessment("rusak_berat"))
    assert intake.conditions_met(heavy_or_worse, _assessment("rusak_sedang"))
    assert not intake.conditions_met(heavy_or_worse, _assessment("rusak_ringan"))


def test_inactive_unknown_or_misconfigured_conditions_never_match():
    conditions = [_condition("deaths", "1", active=False), _condition("flood_depth", "2"),
                  _condition("deaths", "satu")]
    assert intake.conditions_met(conditions, _assessment(deaths=3)) == []


def test_each_met_condition_is_listed_once():
    conditions = [_condition("lost_livelihood", "true"), _condition("deaths", "1"),
                  _condition("disabled_member", "true")]
    met = intake.conditions_met(conditions, _assessment(livelihood=True, deaths=1))
    assert [c.finding for c in met] == ["lost_livelihood", "deaths"]


def _record(app, emergency, slrt, *, kk, members):
    event_id = emergency.event()
    with app.app_context():
        actor = slrt.actor("emergency-admin")
        assessment = assessments.record_household_assessment(
            db.session, actor=actor, event_id=event_id, desa_code=slrt.DESA,
            assessed_on=local_today(), head_name=members[0]["name"], kk_number=kk,
            head_nik=members[0].get("nik"), house_damage="rusak_berat", members=members)
        db.session.commit()
        return assessment.id


def test_a_new_no_kk_registers_the_household_with_its_members_at_the_desa_puskesos(
        app, emergency, slrt):
    puskesos_id = slrt.puskesos_id(slrt.DESA)
    nik = make_nik("17.03.01", date(1975, 5, 5), "M", 4101)
    kk = make_kk("17.03.01", 4101)
    assessment_id = _record(app, emergency, slrt, kk=kk, members=[
        {"name": "Sapri", "sex": "L", "nik": nik}, {"name": "Rina", "sex": "P"}])
    with app.app_context():
        from logistics.emergency.assessment_models import HouseholdAssessment

        assessment = db.session.get(HouseholdAssessment, assessment_id)
        found = intake.household_for(db.session, actor=slrt.actor("emergency-admin"),
                                     assessment=assessment, intake=intake.Intake())
        db.session.commit()
        assert found.kk_number == kk
        assert found.puskesos_id == puskesos_id
        assert [m.person.name for m in found.members] == ["Sapri", "Rina"]
        assert found.head.nik == nik
        assert found.head.birth_date == date(1975, 5, 5)


def test_a_known_no_kk_is_reused_and_a_member_living_elsewhere_is_not_copied(
        app, emergency, slrt):
    existing = slrt.household(members=2)
    with app.app_context():
        household = db.session.get(Household, existing)
        kk, head_nik = household.kk_number, household.head.nik
    assessment_id = _record(app, emergency, slrt, kk=kk,
                            members=[{"name": "Sapri", "sex": "L", "nik": head_nik}])
    other_kk = make_kk("17.03.01", 4102)
    second_id = _record(app, emergency, slrt, kk=other_kk,
                        members=[{"name": "Sapri", "sex": "L", "nik": head_nik},
                                 {"name": "Anak", "sex": "P"}])
    with app.app_context():
        from logistics.emergency.assessment_models import HouseholdAssessment

        actor = slrt.actor("emergency-admin")
        same = intake.household_for(db.session, actor=actor, intake=intake.Intake(),
                                    assessment=db.session.get(HouseholdAssessment,
                                                              assessment_id))
        assert same.id == existing
        other = intake.household_for(db.session, actor=actor, intake=intake.Intake(),
                                     assessment=db.session.get(HouseholdAssessment, second_id))
        db.session.commit()
        assert [m.person.name for m in other.members] == ["Anak"]
        people = db.session.scalar(select(func.count()).select_from(Person)
                                   .where(Person.nik == head_nik))
        open_places = db.session.scalar(
            select(func.count()).select_from(Membership).join(Person)
            .where(Person.nik == head_nik, Membership.ended_on.is_(None)))
        assert (people, open_places) == (1, 1)
