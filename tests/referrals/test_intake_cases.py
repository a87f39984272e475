"""From disaster to SLRT: assessments that meet a condition open (or add to) the household's
case at its desa's Puskesos, once, also when imported again or by two people at once."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from logistics.calendar import local_today
from logistics.core.identity import make_nik
from logistics.emergency import assessments
from logistics.emergency.assessment_models import HouseholdAssessment
from logistics.referrals import cases, intake
from logistics.referrals.case_models import Case, CaseStatus, IntakeCondition, Need, Source
from logistics.referrals.models import Household
from tests.concurrency import at_once
from tests.referrals.factories import make_kk


def _assess(app, slrt, event_id, *, kk, damage="rusak_berat", livelihood=False, deaths=0,
            serial=5101, desa=None):
    with app.app_context():
        assessment = assessments.record_household_assessment(
            db.session, actor=slrt.actor("emergency-admin"), event_id=event_id,
            desa_code=desa or slrt.DESA, assessed_on=local_today(), head_name="Zainal",
            kk_number=kk, head_nik=make_nik("17.03.01", date(1970, 1, 2), "M", serial),
            house_damage=damage, lost_livelihood=livelihood, deaths=deaths,
            members=[{"name": "Zainal", "sex": "L",
                      "nik": make_nik("17.03.01", date(1970, 1, 2), "M", serial)}])
        db.session.commit()
        return assessment.id


def _take(app, slrt, *assessment_ids):
    with app.app_context():
        rows = [db.session.get(HouseholdAssessment, i) for i in assessment_ids]
        result = intake.take_assessments(db.session, actor=slrt.actor("emergency-admin"),
                                         assessments=rows)
        db.session.commit()
        return result


def _cases(app, kk):
    with app.app_context():
        return [(case.status, case.source, case.event_id, sorted(n.category for n in case.needs))
                for case in db.session.scalars(select(Case).join(Household)
                                               .where(Household.kk_number == kk))]


def test_a_destroyed_house_opens_a_disaster_case_in_pendaftaran_linked_to_the_event(
        app, emergency, slrt):
    slrt.ensure()
    event_id = emergency.event()
    kk = make_kk("17.03.01", 5101)
    result = _take(app, slrt, _assess(app, slrt, event_id, kk=kk, livelihood=True))
    assert (len(result.cases_opened), result.needs_added) == (1, 2)
    assert _cases(app, kk) == [(CaseStatus.REGISTERED, Source.DISASTER, event_id,
                                ["mata_pencaharian", "perumahan"])]


def test_light_damage_alone_opens_nothing_and_an_assessment_without_kk_is_counted(
        app, emergency, slrt):
    slrt.ensure()
    event_id = emergency.event()
    light = _assess(app, slrt, event_id, kk=make_kk("17.03.01", 5102), damage="rusak_ringan")
    no_kk = _assess(app, slrt, event_id, kk=None, serial=5103)
    result = _take(app, slrt, light, no_kk)
    assert (result.cases_opened, result.needs_added, result.without_kk) == ([], 0, 1)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Case)) == 0


def test_importing_again_adds_nothing_and_a_second_assessment_adds_to_the_open_case(
        app, emergency, slrt):
    slrt.ensure()
    event_id = emergency.event()
    kk = make_kk("17.03.01", 5104)
    first = _assess(app, slrt, event_id, kk=kk)
    _take(app, slrt, first)
    again = _take(app, slrt, first)
    assert (again.cases_opened, again.needs_added) == ([], 0)
    later = _assess(app, slrt, event_id, kk=kk, damage="rusak_sedang", deaths=1, serial=5104)
    added = _take(app, slrt, later)
    assert (added.cases_opened, added.needs_added) == ([], 1)
    assert _cases(app, kk) == [(CaseStatus.REGISTERED, Source.DISASTER, event_id,
                                ["ahli_waris", "perumahan"])]


def test_a_walk_in_case_already_open_gets_the_disaster_need_and_the_event(
        app, emergency, slrt):
    household_id = slrt.household()
    clerk = slrt.staff("puskesos_front")
    with app.app_context():
        kk = db.session.get(Household, household_id).kk_number
        cases.open_case(db.session, actor=slrt.actor(clerk), household_id=household_id,
                        source=Source.WALK_IN,
                        needs=[{"category": "kesehatan", "description": "Berobat"}])
        db.session.commit()
    event_id = emergency.event()
    _take(app, slrt, _assess(app, slrt, event_id, kk=kk, serial=5105))
    assert _cases(app, kk) == [(CaseStatus.REGISTERED, Source.WALK_IN, event_id,
                                ["kesehatan", "perumahan"])]


def test_a_condition_switched_off_as_data_stops_the_intake(app, emergency, slrt):
    slrt.ensure()
    with app.app_context():
        for condition in db.session.scalars(select(IntakeCondition)):
            condition.is_active = condition.finding != "house_damage"
        db.session.commit()
    event_id = emergency.event()
    result = _take(app, slrt, _assess(app, slrt, event_id, kk=make_kk("17.03.01", 5106)))
    assert result.needs_added == 0


def test_two_imports_of_one_no_kk_at_once_make_one_household_one_case_one_need_each(
        app, emergency, slrt):
    slrt.ensure()
    slrt.staff("coordinator", username="second-assessor")
    event_id = emergency.event()
    kk = make_kk("17.03.01", 5107)
    ids = [_assess(app, slrt, event_id, kk=kk, serial=5107),
           _assess(app, slrt, event_id, kk=kk, serial=5107, livelihood=True)]

    def take(assessment_id):
        def work(session, actor):
            intake.take_assessments(session, actor=actor, assessments=[
                session.get(HouseholdAssessment, assessment_id)])
        return work

    outcome = at_once(app, [("emergency-admin", take(ids[0])),
                            ("second-assessor", take(ids[1]))])
    assert outcome == ["ok", "ok"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Household)
                                 .where(Household.kk_number == kk)) == 1
        needs = db.session.execute(select(Need.household_assessment_id, Need.category)
                                   .order_by(Need.household_assessment_id, Need.category)).all()
    assert [(status, source) for status, source, *_ in _cases(app, kk)] == [
        (CaseStatus.REGISTERED, Source.DISASTER)]
    assert needs == [(ids[0], "perumahan"), (ids[1], "mata_pencaharian"),
                     (ids[1], "perumahan")]
