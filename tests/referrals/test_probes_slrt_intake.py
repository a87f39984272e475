"""Reviewer's probes of the disaster-to-SLRT intake: the household it makes from an
assessment, re-imports after a close, and intake conditions edited as data. A probe whose
docstring starts with DEFECT fails on purpose until the fault is fixed; the others pin
behaviour that must not regress."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.extensions import db
from logistics.calendar import local_today
from logistics.core.identity import make_nik
from logistics.emergency import assessments
from logistics.errors import InvalidInput
from logistics.referrals import case_flow, programmes
from logistics.referrals.case_models import Case, IntakeCondition
from logistics.referrals.models import Household, Person, Relation
from tests.referrals.case_support import pipeline  # noqa: F401
from tests.referrals.factories import make_kk
from tests.referrals.test_probes_slrt import KEC, _assess, _take, member, nik, register

# --- the intake ------------------------------------------------------------------------------

def test_probe_intake_household_keeps_a_head_when_the_first_member_lives_elsewhere(
        app, emergency, slrt):
    """DEFECT: the intake makes the first member the head and skips a member whose NIK lives
    in another household; when the first member is that one, the new household has no head
    at all (and its letters, queues and exports show no family). Expected: the household made
    from the assessment has exactly one head, the first member it keeps."""
    clerk = slrt.staff("puskesos_front", username="fo-intake")
    slrt.ensure()
    event_id = emergency.event()
    with app.app_context():
        register(slrt, clerk, 906, [member(51, "kepala")])  # the father is registered already
        db.session.commit()
    kk = make_kk(KEC, 907)
    father = member(51, "kepala")["nik"]
    _take(app, slrt, _assess(app, slrt, event_id, kk=kk, head_nik=father, members=[
        {"name": "Warga 51", "sex": "L", "nik": father},
        {"name": "Anak", "sex": "P", "nik": nik(52, "F", date(2005, 5, 5))}]))
    with app.app_context():
        household = db.session.scalar(select(Household).where(Household.kk_number == kk))
        relations = [m.relation for m in household.members]
        assert relations.count(Relation.HEAD) == 1, relations


def test_probe_intake_head_without_members_takes_the_sex_of_the_nik(app, emergency, slrt):
    """DEFECT: an assessment that lists no members registers its head as male ("L") whatever
    the NIK says, so a woman-headed family (NIK day + 40) gets a person whose sex contradicts
    the NIK, which the member form then refuses to save. Expected: the sex read from the
    NIK (intake.py `_register_from`, the ``"L"`` default)."""
    slrt.ensure()
    event_id = emergency.event()
    kk = make_kk(KEC, 908)
    head = make_nik(KEC, date(1975, 6, 7), "F", 81)
    with app.app_context():
        assessment = assessments.record_household_assessment(
            db.session, actor=slrt.actor("emergency-admin"), event_id=event_id,
            desa_code=slrt.DESA, assessed_on=local_today(), head_name="Siti", kk_number=kk,
            head_nik=head, house_damage="rusak_berat", members=[])
        db.session.commit()
        assessment_id = assessment.id
    _take(app, slrt, assessment_id)
    with app.app_context():
        person = db.session.scalar(select(Person).where(Person.nik == head))
        assert person is not None
        assert person.sex == "P"


def test_probe_closing_then_reimporting_the_same_assessment_does_not_reopen(
        app, emergency, slrt, pipeline):  # noqa: F811
    """Pinned: a case closed after a disaster intake stays closed when the same Kobo export
    is imported again: no new case, no new need."""
    slrt.ensure()
    event_id = emergency.event()
    kk = make_kk(KEC, 909)
    members = [{"name": "Zainal", "sex": "L", "nik": nik(91)}]
    assessment_id = _assess(app, slrt, event_id, kk=kk, head_nik=nik(91), members=members)
    _take(app, slrt, assessment_id)
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).join(Household)
                                    .where(Household.kk_number == kk))
    pipeline.handle(case_id)
    pipeline.run(case_flow.close_case, pipeline.back, case_id=case_id, outcome="tertangani")
    again = _take(app, slrt, assessment_id)
    assert (again.cases_opened, again.needs_added) == ([], 0)
    with app.app_context():
        assert db.session.scalar(select(func.count(Case.id)).join(Household)
                                 .where(Household.kk_number == kk)) == 1


@pytest.mark.parametrize(("finding", "garbage"), [
    ("deaths", "dua"), ("deaths", "-1"), ("house_damage", "berat"),
    ("lost_livelihood", "mungkin")])
def test_probe_intake_threshold_garbage_is_refused_when_saved(app, slrt, finding, garbage):
    """DEFECT: `programmes.update_intake_condition` stores any text as a condition's value;
    ``deaths = "dua"`` or ``house_damage = "berat"`` then silently never match (the intake
    swallows the ValueError), so disaster households stop entering the pipeline with no one
    told. Expected: a value the condition's test cannot read is a 422 on ``value``
    (InvalidInput), and the stored value is unchanged."""
    slrt.ensure()
    admin = slrt.staff("admin", username="admin-intake")
    with app.app_context():
        condition = db.session.scalar(select(IntakeCondition)
                                      .where(IntakeCondition.finding == finding).limit(1))
        if condition is None:
            pytest.skip(f"no default condition tests {finding}")
        before = condition.value
        with pytest.raises(InvalidInput):
            programmes.update_intake_condition(db.session, actor=slrt.actor(admin),
                                               condition_id=condition.id, value=garbage)
        db.session.rollback()
        assert db.session.get(IntakeCondition, condition.id,
                              populate_existing=True).value == before


def test_probe_intake_head_is_the_assessed_head_not_the_first_listed_member(
        app, emergency, slrt):
    """DEFECT: when the assessor lists the family without repeating the head (head_name and
    head_nik given, members = the others), the intake makes the first listed member the
    kepala and leaves the real head out. Expected: the assessment's head (head_nik, else
    head_name) heads the household; the listed members join as members (intake.py
    `_register_from`: ``Relation.HEAD if position == 0``)."""
    slrt.ensure()
    event_id = emergency.event()
    kk = make_kk(KEC, 910)
    head = nik(95)
    _take(app, slrt, _assess(app, slrt, event_id, kk=kk, head_nik=head, head_name="Zainal",
                             members=[{"name": "Rina", "sex": "P",
                                       "nik": nik(96, "F", date(2008, 2, 2))}]))
    with app.app_context():
        household = db.session.scalar(select(Household).where(Household.kk_number == kk))
        assert household.head is not None
        assert household.head.nik == head
