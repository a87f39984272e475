"""Reviewer's probes of the SLRT domain: the ways real users break a pipeline (large families,
the same NIK twice, moves back and forth, retries, two people at once, conditions edited as
data). A probe whose docstring starts with DEFECT fails on purpose until the fault is fixed;
the others pin behaviour that must not regress."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.extensions import db
from logistics.calendar import local_today
from logistics.core.identity import IdentityError, make_nik, parse_kk, parse_nik
from logistics.emergency import assessments
from logistics.emergency.assessment_models import HouseholdAssessment
from logistics.errors import DomainError
from logistics.referrals import (
    case_flow,
    cases,
    errors,
    households,
    intake,
    programmes,
    referral_steps,
)
from logistics.referrals.case_models import (
    Case,
    CaseStatus,
    Referral,
    ReferralStatus,
    Step,
)
from logistics.referrals.flows import ANSWERED
from logistics.referrals.models import Membership, Person
from tests.concurrency import at_once
from tests.referrals.case_support import NEED, pipeline  # noqa: F401
from tests.referrals.factories import make_kk

C, R = CaseStatus, ReferralStatus
KEC = "17.03.01"


def nik(serial, sex="M", born=date(1980, 4, 12)):
    return make_nik(KEC, born, sex, serial)


def member(serial, relation="anak", sex="L", born=date(2010, 1, 15)):
    return {"nik": nik(serial, "F" if sex == "P" else "M", born), "name": f"Warga {serial}",
            "sex": sex, "birth_date": born, "relation": relation}


def register(slrt, clerk, kk_serial, members, **extra):
    return households.register_household(
        db.session, actor=slrt.actor(clerk), kk_number=make_kk(KEC, kk_serial),
        desa_code=slrt.DESA, address="Jl. Kenanga 3", members=members, **extra)


def _assess(app, slrt, event_id, *, kk, members, head_nik=None, head_name="Zainal"):
    with app.app_context():
        assessment = assessments.record_household_assessment(
            db.session, actor=slrt.actor("emergency-admin"), event_id=event_id,
            desa_code=slrt.DESA, assessed_on=local_today(), head_name=head_name, kk_number=kk,
            head_nik=head_nik, house_damage="rusak_berat", members=members)
        db.session.commit()
        return assessment.id


def _take(app, slrt, *ids):
    with app.app_context():
        result = intake.take_assessments(
            db.session, actor=slrt.actor("emergency-admin"),
            assessments=[db.session.get(HouseholdAssessment, i) for i in ids])
        db.session.commit()
        return result


def _case_invariants(case_id):
    """Every status change of the case has its step; a closed case has every referral
    answered; the last case step lands on the case's status."""
    case = db.session.get(Case, case_id, populate_existing=True)
    case_steps = db.session.scalars(select(Step).where(Step.case_id == case_id,
                                                       Step.referral_id.is_(None))
                                    .order_by(Step.id)).all()
    assert case_steps[-1].to_status == case.status
    for before, after in zip(case_steps, case_steps[1:], strict=False):
        assert after.from_status == before.to_status
    if case.status == C.CLOSED:
        assert all(r.status in ANSWERED for r in case.referrals)
    for referral in case.referrals:
        last = db.session.scalar(select(Step).where(Step.referral_id == referral.id)
                                 .order_by(Step.id.desc()).limit(1))
        assert last.to_status == referral.status


# --- households ------------------------------------------------------------------------------

def test_probe_a_family_of_25_registers_whole(app, slrt):
    """Pinned: a large extended family (25 on one card) registers with everyone on it."""
    clerk = slrt.staff("puskesos_front", username="fo-big")
    rows = [member(1, "kepala")] + [member(100 + i, "famili_lain") for i in range(24)]
    with app.app_context():
        household = register(slrt, clerk, 901, rows)
        db.session.commit()
        assert len(household.members) == 25
        assert household.head.nik == rows[0]["nik"]


def test_probe_nik_corrected_to_one_already_used_is_refused_and_nothing_changes(app, slrt):
    """Pinned: correcting a mistyped NIK to the NIK of someone in another household is a
    409 with the number masked, and the member keeps the NIK it had."""
    clerk = slrt.staff("puskesos_front", username="fo-fix")
    with app.app_context():
        first = register(slrt, clerk, 902, [member(11, "kepala"), member(12)])
        second = register(slrt, clerk, 903, [member(21, "kepala"), member(22)])
        db.session.commit()
        victim = second.members[1].person
        before = victim.nik
        taken = first.members[1].person.nik
        with pytest.raises(errors.PersonInAnotherHousehold) as refused:
            households.edit_member(db.session, actor=slrt.actor(clerk),
                                   household_id=second.id, person_id=victim.id, nik=taken)
        db.session.rollback()
        assert taken not in str(refused.value.params)
        assert db.session.get(Person, victim.id, populate_existing=True).nik == before


def test_probe_a_member_moved_and_moved_back_has_one_open_place_and_the_history(app, slrt):
    """Pinned: moving out and back leaves three memberships, one open, in the first home."""
    clerk = slrt.staff("puskesos_front", username="fo-move")
    with app.app_context():
        home = register(slrt, clerk, 904, [member(31, "kepala"), member(32)])
        away = register(slrt, clerk, 905, [member(41, "kepala")])
        db.session.commit()
        person_id = home.members[1].person_id
        households.move_member(db.session, actor=slrt.actor(clerk), household_id=home.id,
                               person_id=person_id, to_household_id=away.id, reason="kerja")
        households.move_member(db.session, actor=slrt.actor(clerk), household_id=away.id,
                               person_id=person_id, to_household_id=home.id, reason="pulang",
                               relation="anak")
        db.session.commit()
        rows = db.session.scalars(select(Membership).where(Membership.person_id == person_id)
                                  .order_by(Membership.id)).all()
        assert [(m.household_id, m.ended_on is None) for m in rows] == [
            (home.id, False), (away.id, False), (home.id, True)]


@pytest.mark.parametrize("typed", [
    "17030112049000", "170301120490001", "17030112049000123",
    "１７０３０１１２０４９０００１２", "١٧٠٣٠١١٢٠٤٩٠٠٠١٢", "1703/0112/0490/0012"])
def test_probe_kk_and_nik_of_wrong_shape_are_refused(typed):
    """Pinned: 14, 15 and 17 digits, full-width or Arabic-Indic digits and slashes are no
    NIK and no No. KK (the database would store them as they came)."""
    with pytest.raises(IdentityError):
        parse_nik(typed)
    with pytest.raises(IdentityError):
        parse_kk(typed)


def test_probe_a_kk_with_a_region_that_is_not_a_kecamatan_is_refused():
    """Pinned: a province+kabupaten code with a non-existent kecamatan part is refused."""
    with pytest.raises(IdentityError):
        parse_kk("1703991403190001")


# --- cases, referrals, retries and races --------------------------------------------------------

def test_probe_open_case_retried_with_its_key_makes_one_case_one_need(app, slrt, pipeline):  # noqa: F811
    """Pinned: the front office's double tap (same Idempotency-Key) opens one case."""
    household_id = slrt.household()
    first = pipeline.open(household_id, idempotency_key="tap-1")
    second = pipeline.open(household_id, idempotency_key="tap-1")
    assert first == second
    with app.app_context():
        assert len(db.session.get(Case, first).needs) == 1


def test_probe_two_back_offices_take_one_case_at_once(app, slrt, pipeline):  # noqa: F811
    """Pinned: two back offices taking one case: one wins, the other is refused (409), one
    step written."""
    other = slrt.staff("puskesos_back", username="bo2")
    case_id = pipeline.open()

    def take(session, actor):
        case_flow.take_into_handling(session, actor=actor, case_id=case_id)

    outcome = at_once(app, [(pipeline.back, take), (other, take)])
    assert sorted(outcome) == ["InvalidTransition", "ok"]
    with app.app_context():
        _case_invariants(case_id)
        assert db.session.scalar(select(func.count(Step.id)).where(
            Step.case_id == case_id, Step.to_status == C.HANDLING)) == 1


def test_probe_manager_decides_while_back_office_steps_back(app, slrt, pipeline):  # noqa: F811
    """Pinned: a decision racing a step back: whichever wins, history and status agree."""
    case_id, referral_id = pipeline.case_at(C.DECIDING)

    def decide(session, actor):
        referral_steps.decide_referral(session, actor=actor, referral_id=referral_id,
                                       approve=True, signer_name="Drs. Sutrisno")

    def back(session, actor):
        case_flow.step_back(session, actor=actor, case_id=case_id, reason="Data kurang")

    outcome = at_once(app, [(pipeline.manager, decide), (pipeline.back, back)])
    assert "ok" in outcome
    with app.app_context():
        _case_invariants(case_id)


def test_probe_closing_while_an_outcome_is_recorded(app, slrt, pipeline):  # noqa: F811
    """Pinned: the manager closes while the back office records "served": a closed case
    never has a referral still out at the agency."""
    case_id, referral_id = pipeline.referral_at(R.ACCEPTED)

    def serve(session, actor):
        referral_steps.record_outcome(session, actor=actor, referral_id=referral_id,
                                      to=R.SERVED)

    def close(session, actor):
        case_flow.close_case(session, actor=actor, case_id=case_id, outcome="tertangani")

    outcome = at_once(app, [(pipeline.back, serve), (pipeline.manager, close)])
    assert outcome[0] == "ok"
    with app.app_context():
        _case_invariants(case_id)


def test_probe_two_approvals_at_once_get_distinct_letter_numbers(app, slrt, pipeline):  # noqa: F811
    """Pinned: two managers approving in one desa at once: letter numbers never collide."""
    other = slrt.staff("puskesos_manager", username="mgr2")
    firsts = [pipeline.case_at(C.DECIDING) for _ in range(2)]

    def approve(referral_id):
        def work(session, actor):
            referral_steps.decide_referral(session, actor=actor, referral_id=referral_id,
                                           approve=True, signer_name="Drs. Sutrisno")
        return work

    outcome = at_once(app, [(pipeline.manager, approve(firsts[0][1])),
                            (other, approve(firsts[1][1]))])
    assert outcome == ["ok", "ok"]
    with app.app_context():
        numbers = db.session.scalars(select(Referral.letter_number)
                                     .where(Referral.letter_number.is_not(None))).all()
        assert len(numbers) == len(set(numbers)) == 2


def test_probe_step_back_after_a_letter_went_out_is_refused_and_leaves_nothing(
        app, slrt, pipeline):  # noqa: F811
    """Pinned: once a letter is sent the referral step cannot be undone; nothing written."""
    case_id, _ = pipeline.referral_at(R.SENT)
    before = pipeline.state(case_id)
    with app.app_context(), pytest.raises(DomainError):
        case_flow.step_back(db.session, actor=slrt.actor(pipeline.manager), case_id=case_id,
                            reason="Salah program")
    assert pipeline.state(case_id) == before


def test_probe_a_referral_to_an_inactive_programme_is_refused(app, slrt, pipeline):  # noqa: F811
    """Pinned: a programme switched off takes no referral (409), nothing written."""
    case_id, _ = pipeline.case_at(C.HANDLING)
    programme_id = pipeline.programme("PIP")
    admin = slrt.staff("admin", username="admin-prog")
    with app.app_context():
        programmes.update_programme(db.session, actor=slrt.actor(admin),
                                    programme_id=programme_id, is_active=False)
        db.session.commit()
    before = pipeline.state(case_id)
    with app.app_context(), pytest.raises(errors.ProgrammeInactive):
        referral_steps.propose_referral(db.session, actor=slrt.actor(pipeline.back),
                                        case_id=case_id, programme_id=programme_id)
    assert pipeline.state(case_id) == before


def test_probe_every_move_of_a_long_walk_has_its_step(app, slrt, pipeline):  # noqa: F811
    """Pinned: back and forth through the flow, the step history always agrees."""
    case_id, referral_id = pipeline.case_at(C.DECIDING)
    pipeline.run(case_flow.step_back, pipeline.manager, case_id=case_id, reason="Cek ulang")
    pipeline.to_decision(case_id)
    pipeline.approve(referral_id)
    pipeline.refer(case_id)
    pipeline.run(case_flow.step_back, pipeline.manager, case_id=case_id, reason="Ganti")
    pipeline.run(referral_steps.reconsider_referral, pipeline.manager,
                 referral_id=referral_id, reason="Ganti")
    pipeline.refuse(referral_id)
    pipeline.run(case_flow.close_case, pipeline.manager, case_id=case_id,
                 outcome="tidak_tertangani", reason="Tidak ada program")
    with app.app_context():
        _case_invariants(case_id)


def test_probe_one_open_case_per_household_when_two_clerks_open_at_once(app, slrt, pipeline):  # noqa: F811
    """Pinned: two front offices opening a case for one family at once: one case, two needs."""
    household_id = slrt.household()
    other = slrt.staff("puskesos_front", username="fo2")

    def open_(session, actor):
        cases.open_case(session, actor=actor, household_id=household_id,
                        source="datang_langsung", needs=[NEED])

    assert at_once(app, [(pipeline.front, open_), (other, open_)]) == ["ok", "ok"]
    with app.app_context():
        rows = db.session.scalars(select(Case).where(Case.household_id == household_id)).all()
        assert len(rows) == 1
        assert len(rows[0].needs) == 2


def test_probe_a_case_sent_back_to_handling_with_an_approved_letter_can_be_closed(
        app, slrt, pipeline):  # noqa: F811
    """DEFECT (dead end): the manager approves a referral, then sends the case back to
    handling; now neither back office nor manager can close it (409 "referral(s) still
    await an answer; record them first"), though nothing is at an agency and an approved
    referral can only be reconsidered in penetapan. Expected: closing from handling ends an
    approved, unsent referral (with its step), or the refusal says to send the case to
    decision and reconsider. Fault: case_flow.close_case counts APPROVED as waiting."""
    case_id, referral_id = pipeline.case_at(C.DECIDING)
    pipeline.approve(referral_id)
    pipeline.run(case_flow.step_back, pipeline.manager, case_id=case_id, reason="Cek ulang")
    pipeline.run(case_flow.close_case, pipeline.manager, case_id=case_id,
                 outcome="tidak_tertangani", reason="Keluarga pindah ke luar kabupaten")
    with app.app_context():
        _case_invariants(case_id)

