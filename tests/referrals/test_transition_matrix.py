"""The whole transition matrix of a case and of a referral: for every (from, to) pair, a case
brought to ``from`` through the real operations is asked to move to ``to``. An allowed move
succeeds and leaves a step naming from and to; a forbidden one is refused by every operation
that could make it, with a 409 naming from and to, and changes nothing."""

from __future__ import annotations

import itertools

import pytest

from logistics.errors import InvalidTransition
from logistics.referrals import case_flow, referral_steps
from logistics.referrals.case_flow import CASE_STEPS
from logistics.referrals.case_models import CaseStatus, ReferralStatus
from logistics.referrals.flows import CASE_FLOW, REFERRAL_FLOW
from logistics.referrals.referral_steps import REFERRAL_STEPS
from tests.referrals.case_support import pipeline  # noqa: F401

C, R = CaseStatus, ReferralStatus


def _case_attempts(p, case_id, to):
    """Every operation that moves a case to ``to``, with who makes it."""
    forward = {C.HANDLING: (case_flow.take_into_handling, p.back, {}),
               C.DECIDING: (case_flow.send_to_decision, p.back, {}),
               C.REFERRED: (case_flow.refer_case, p.manager, {}),
               C.CLOSED: (case_flow.close_case, p.manager,
                          {"outcome": "tidak_tertangani", "reason": "Pindah domisili."})}
    attempts = {"step_back": (case_flow.step_back, p.manager,
                              {"reason": "Data perlu diperiksa ulang.", "to": to})}
    if to in forward:
        attempts[forward[to][0].__name__] = forward[to]
    return attempts


def _referral_attempts(p, to):
    if to in (R.APPROVED, R.NOT_APPROVED):
        return {"decide_referral": (
            referral_steps.decide_referral, p.manager,
            {"approve": to == R.APPROVED, "reason": "Belum memenuhi syarat.",
             "signer_name": "Drs. Sutrisno"})}
    if to == R.PROPOSED:
        return {"reconsider_referral": (referral_steps.reconsider_referral, p.manager,
                                        {"reason": "Data desil diperbarui."})}
    return {"record_outcome": (referral_steps.record_outcome, p.back,
                               {"to": to, "reason": "Kuota penuh."})}


@pytest.mark.parametrize(("old", "new"), list(itertools.product(C, C)))
def test_case_move(pipeline, old, new):  # noqa: F811
    case_id, _ = pipeline.case_at(old, then=new)
    attempts = _case_attempts(pipeline, case_id, new)
    if CASE_FLOW.allows(old, new):
        operation, username, arguments = attempts[CASE_STEPS[(old, new)]]
        pipeline.run(operation, username, case_id=case_id, **arguments)
        assert pipeline.state(case_id)[0] == new
        step = pipeline.last_step(case_id, of_case=True)
        assert (step.from_status, step.to_status) == (old, new)
        return
    before = pipeline.state(case_id)
    for operation, username, arguments in attempts.values():
        with pytest.raises(InvalidTransition) as refused:
            pipeline.run(operation, username, case_id=case_id, **arguments)
        assert (refused.value.params["old_code"], refused.value.params["new_code"]) == (old, new)
        assert pipeline.state(case_id) == before


@pytest.mark.parametrize(("old", "new"), list(itertools.product(R, R)))
def test_referral_move(pipeline, old, new):  # noqa: F811
    case_id, referral_id = pipeline.referral_at(old, then=new)
    attempts = _referral_attempts(pipeline, new)
    if REFERRAL_FLOW.allows(old, new):
        operation, username, arguments = attempts[REFERRAL_STEPS[(old, new)]]
        pipeline.run(operation, username, referral_id=referral_id, **arguments)
        assert pipeline.state(case_id)[1] == (new,)
        step = pipeline.last_step(case_id)
        assert (step.from_status, step.to_status, step.referral_id) == (old, new, referral_id)
        return
    before = pipeline.state(case_id)
    for operation, username, arguments in attempts.values():
        with pytest.raises(InvalidTransition) as refused:
            pipeline.run(operation, username, referral_id=referral_id, **arguments)
        assert (refused.value.params["old_code"], refused.value.params["new_code"]) == (old, new)
        assert pipeline.state(case_id) == before


def test_every_allowed_move_has_its_operation():
    allowed = {(old, new) for old, news in CASE_FLOW.moves.items() for new in news}
    assert set(CASE_STEPS) == allowed
    allowed = {(old, new) for old, news in REFERRAL_FLOW.moves.items() for new in news}
    assert set(REFERRAL_STEPS) == allowed
