"""The case pipeline's rules beyond the flow: one open case per household, programmes that no
longer take referrals, duplicates, closing with referrals out, reasons, scope and races."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from logistics.errors import PermissionDenied
from logistics.referrals import case_flow, cases, errors, programmes, referral_steps
from logistics.referrals.case_models import Case, Need, Programme, Referral, Step
from logistics.referrals.errors import NothingProposed, ReferralAlreadySent
from tests.concurrency import at_once
from tests.referrals.case_support import NEED, C, R, pipeline  # noqa: F401


def _count(app, model, **where):
    with app.app_context():
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return db.session.scalar(query)


def test_open_case_is_numbered_in_registration_with_a_first_step(app, pipeline):  # noqa: F811
    case_id = pipeline.open()
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.status == C.REGISTERED
        assert case.number.startswith("SLRT-1703012001-")
        assert case.number.endswith("-00001")
        assert [n.category for n in case.needs] == ["kesehatan"]
        step = db.session.scalar(select(Step).where(Step.case_id == case_id))
        assert (step.from_status, step.to_status) == (None, C.REGISTERED)


def test_second_open_for_a_household_adds_needs_to_its_open_case(app, pipeline, slrt):  # noqa: F811
    household = slrt.household()
    first = pipeline.open(household)
    second = pipeline.run(cases.open_case, pipeline.front, household_id=household,
                          source="penjangkauan",
                          needs=[{"category": "pangan", "description": "Kurang pangan."}])
    assert second == first
    assert _count(app, Case, household_id=household) == 1
    assert _count(app, Need, case_id=first) == 2


def test_a_closed_case_lets_a_new_one_open(app, pipeline, slrt):  # noqa: F811
    case_id, _ = pipeline.case_at(C.CLOSED)
    with app.app_context():
        household = db.session.get(Case, case_id).household_id
    assert pipeline.open(household) != case_id
    with pytest.raises(Exception, match="closed"):
        pipeline.run(cases.add_need, pipeline.back, case_id=case_id, **NEED)


def test_open_case_retried_with_its_key_opens_once(app, pipeline, slrt):  # noqa: F811
    household = slrt.household()
    first = pipeline.open(household, idempotency_key="k-1")
    assert pipeline.open(household, idempotency_key="k-1") == first
    assert _count(app, Need, case_id=first) == 1


def test_inactive_programme_is_refused(app, pipeline):  # noqa: F811
    case_id, _ = pipeline.case_at(C.HANDLING)
    with app.app_context():
        db.session.get(Programme, pipeline.programme("BPNT")).is_active = False
        db.session.commit()
    with pytest.raises(errors.ProgrammeInactive):
        pipeline.propose(case_id, "BPNT")


def test_same_programme_twice_is_refused(app, pipeline):  # noqa: F811
    case_id, _ = pipeline.case_at(C.HANDLING)
    with pytest.raises(errors.ProgrammeAlreadyProposed):
        pipeline.propose(case_id, "PKH")
    assert _count(app, Referral, case_id=case_id) == 1


def test_decision_needs_a_proposal(pipeline):  # noqa: F811
    case_id = pipeline.open()
    pipeline.handle(case_id)
    with pytest.raises(NothingProposed):
        pipeline.to_decision(case_id)
    assert pipeline.state(case_id)[0] == C.HANDLING


def test_referral_step_needs_every_proposal_decided_and_one_approved(pipeline):  # noqa: F811
    case_id, first = pipeline.case_at(C.HANDLING)
    second = pipeline.propose(case_id, "BAZNAS")
    pipeline.to_decision(case_id)
    pipeline.refuse(first)
    with pytest.raises(errors.NothingDecided):
        pipeline.refer(case_id)
    pipeline.refuse(second)
    with pytest.raises(errors.NoReferralApproved):
        pipeline.refer(case_id)
    assert pipeline.state(case_id)[0] == C.DECIDING


def test_close_is_refused_while_a_referral_is_out(pipeline):  # noqa: F811
    case_id, referral_id = pipeline.referral_at(R.SENT)
    with pytest.raises(errors.CaseHasOpenReferrals):
        pipeline.run(case_flow.close_case, pipeline.manager, case_id=case_id,
                     outcome="tertangani")
    pipeline.outcome(referral_id, R.REJECTED, reason="Kuota habis.")
    pipeline.run(case_flow.close_case, pipeline.manager, case_id=case_id,
                 outcome="tidak_tertangani", reason="Tidak ada program lain.")
    assert pipeline.state(case_id)[0] == C.CLOSED


def test_unresolved_close_rejection_and_step_back_need_a_reason(pipeline):  # noqa: F811
    case_id, referral_id = pipeline.case_at(C.HANDLING)
    before = pipeline.state(case_id)
    with pytest.raises(errors.ReasonRequired):
        pipeline.run(case_flow.step_back, pipeline.back, case_id=case_id, reason="  ")
    with pytest.raises(errors.ReasonRequired):
        pipeline.run(case_flow.close_case, pipeline.back, case_id=case_id,
                     outcome="tidak_tertangani")
    assert pipeline.state(case_id) == before
    _, sent = pipeline.referral_at(R.SENT)
    with pytest.raises(errors.ReasonRequired):
        pipeline.outcome(sent, R.REJECTED, reason="")


def test_step_back_from_referral_is_refused_once_a_letter_went_out(pipeline):  # noqa: F811
    case_id, _ = pipeline.referral_at(R.SENT)
    with pytest.raises(ReferralAlreadySent):
        pipeline.run(case_flow.step_back, pipeline.manager, case_id=case_id, reason="Salah.")
    assert pipeline.state(case_id)[0] == C.REFERRED


def test_closing_while_deciding_ends_open_proposals(app, pipeline):  # noqa: F811
    case_id, referral_id = pipeline.case_at(C.DECIDING)
    pipeline.run(case_flow.close_case, pipeline.manager, case_id=case_id,
                 outcome="tertangani", reason="Selesai dengan konseling.")
    assert pipeline.state(case_id)[:2] == (C.CLOSED, (R.NOT_APPROVED,))


def test_staff_of_another_puskesos_are_refused_and_write_nothing(app, pipeline, slrt):  # noqa: F811
    case_id, referral_id = pipeline.case_at(C.HANDLING)
    before = pipeline.state(case_id)
    stranger = slrt.staff("puskesos_back", slrt.OTHER_DESA, username="bo-other")
    manager = slrt.staff("puskesos_manager", slrt.OTHER_DESA, username="mgr-other")
    front = slrt.staff("puskesos_front", slrt.OTHER_DESA, username="fo-other")
    for operation, username, arguments in (
            (case_flow.send_to_decision, stranger, {"case_id": case_id}),
            (case_flow.record_findings, stranger, {"case_id": case_id, "findings": "x"}),
            (case_flow.close_case, manager, {"case_id": case_id, "outcome": "tertangani"}),
            (referral_steps.propose_referral, stranger,
             {"case_id": case_id, "programme_id": pipeline.programme("BPNT")}),
            (cases.add_need, front, {"case_id": case_id, **NEED}),
            (cases.open_case, front, {"household_id": slrt.household(), "source":
                                      "datang_langsung", "needs": [NEED]})):
        with pytest.raises(PermissionDenied):
            pipeline.run(operation, username, **arguments)
    assert pipeline.state(case_id) == before
    assert _count(app, Case) == 1


def test_a_front_office_may_not_handle_nor_decide(pipeline):  # noqa: F811
    case_id = pipeline.open()
    with pytest.raises(PermissionDenied):
        pipeline.run(case_flow.take_into_handling, pipeline.front, case_id=case_id)
    pipeline.handle(case_id)
    with pytest.raises(PermissionDenied):
        pipeline.run(case_flow.close_case, pipeline.front, case_id=case_id,
                     outcome="tertangani")


def test_two_back_office_users_moving_one_case_at_once_one_wins(app, pipeline, slrt):  # noqa: F811
    case_id = pipeline.open()
    other = slrt.staff("puskesos_back", username="bo2")
    results = at_once(app, [
        (name, lambda session, actor: case_flow.take_into_handling(session, actor=actor,
                                                                   case_id=case_id))
        for name in (pipeline.back, other)])
    assert sorted(results) == ["InvalidTransition", "ok"]
    assert _count(app, Step, case_id=case_id) == 2


def test_two_opens_for_one_household_at_once_make_one_case(app, pipeline, slrt):  # noqa: F811
    household = slrt.household()
    other = slrt.staff("puskesos_front", username="fo2")
    results = at_once(app, [
        (name, lambda session, actor, text=text: cases.open_case(
            session, actor=actor, household_id=household, source="datang_langsung",
            needs=[{"category": "pangan", "description": text}]))
        for name, text in ((pipeline.front, "satu"), (other, "dua"))])
    assert results == ["ok", "ok"]
    assert _count(app, Case, household_id=household) == 1
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.household_id == household))
        assert sorted(n.description for n in case.needs) == ["dua", "satu"]
        assert case.number.endswith("-00001")


def test_letter_numbers_are_unique_and_gap_free_under_two_managers(app, pipeline, slrt):  # noqa: F811
    referrals = []
    for _ in range(2):
        case_id, first = pipeline.case_at(C.HANDLING)
        second = pipeline.propose(case_id, "BAZNAS")
        pipeline.to_decision(case_id)
        referrals += [first, second]
    other = slrt.staff("puskesos_manager", username="mgr2")

    def decide(referral_id):
        return lambda session, actor: referral_steps.decide_referral(
            session, actor=actor, referral_id=referral_id, approve=True, signer_name="Kadis")

    results = at_once(app, [(pipeline.manager if i % 2 else other, decide(r))
                            for i, r in enumerate(referrals)])
    assert results == ["ok"] * 4
    with app.app_context():
        numbers = sorted(db.session.scalars(select(Referral.letter_number)))
    assert [n.rsplit("-", 1)[1] for n in numbers] == ["00001", "00002", "00003", "00004"]


def test_eligibility_is_advice_never_a_refusal(app, pipeline, slrt):  # noqa: F811
    household = slrt.household(register=None, decile=8)
    case_id = pipeline.open(household)
    pipeline.handle(case_id)
    referral_id = pipeline.propose(case_id, "BPNT")  # pangan, desil 1-4, register: proposed
    with app.app_context():
        referral = db.session.get(Referral, referral_id)
        notes = programmes.advice(referral.programme, referral.case.household,
                                  [n.category for n in referral.case.needs])
    assert [note.fits for note in notes] == [False, False, False]
    assert notes[0].params == {"decile": 8, "max": 4}


def test_a_case_sent_back_after_an_approval_is_decided_again_under_the_same_letter(
        app, pipeline):  # noqa: F811
    case_id, referral_id = pipeline.case_at(C.DECIDING)
    pipeline.approve(referral_id)
    with app.app_context():
        number = db.session.get(Referral, referral_id).letter_number
    pipeline.run(case_flow.step_back, pipeline.manager, case_id=case_id,
                 reason="Lengkapi hasil kunjungan rumah.")
    assert pipeline.state(case_id)[:2] == (C.HANDLING, (R.PROPOSED,))
    pipeline.run(case_flow.record_findings, pipeline.back, case_id=case_id,
                 findings="Kunjungan kedua: kondisi sesuai.")
    pipeline.to_decision(case_id)
    pipeline.approve(referral_id)
    pipeline.refer(case_id)
    assert pipeline.state(case_id)[:2] == (C.REFERRED, (R.APPROVED,))
    with app.app_context():
        assert db.session.get(Referral, referral_id).letter_number == number
