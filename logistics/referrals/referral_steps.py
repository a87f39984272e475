"""A referral's life: proposed by the back office, decided by the manager (with the letter's
number), then followed until the receiving agency serves or refuses it.

Each step holds the case in the step it belongs to (a proposal while handling, a decision
while deciding, an agency's answer once referred), so a case moved at the same moment by
someone else makes the step wait and then refuse, rather than act on a case that moved on.
Letter numbers (RUJ-<desa>-<year>-NNNNN) come from the gap-free counter when a referral is
approved; a referral approved, reconsidered and approved again keeps the number it was given.

Who records the agency's answer: the back office, who talks to the agency, and the manager,
who may be the one the agency calls back.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from logistics.calendar import local_today
from logistics.core.atomic import all_or_nothing, idempotent
from logistics.core.numbering import next_number
from logistics.errors import InvalidInput, InvalidTransition
from logistics.i18n import N_
from logistics.referrals import errors
from logistics.referrals.case_flow import DECIDE, HANDLE, HANDLE_OR_DECIDE, hold_case
from logistics.referrals.case_models import CaseStatus, Programme, Referral, ReferralStatus
from logistics.referrals.cases import (
    case_or_fail,
    ensure_any,
    move_referral,
    reason_given,
    referral_or_fail,
    write_step,
)
from logistics.referrals.errors import CaseNotDeciding, CaseNotHandled, CaseNotReferred
from logistics.referrals.flows import REFERRAL_FLOW

C, R = CaseStatus, ReferralStatus
LETTER_PREFIX = "RUJ"
# The agency's answers, and whether each needs a reason.
OUTCOMES = {R.SENT: False, R.ACCEPTED: False, R.SERVED: False, R.REJECTED: True}


class SignerRequired(InvalidInput):
    message = N_("Name the official who signs the letter.")


@idempotent("slrt.propose_referral")
def propose_referral(session, *, actor, case_id, programme_id, recommendation=None) -> Referral:
    """Recommend a programme for a case in handling; an inactive programme or one already
    proposed for the case is refused (409). Eligibility is advice, shown, never enforced."""
    case = case_or_fail(session, case_id)
    ensure_any(session, actor, HANDLE, case.puskesos)
    hold_case(session, case, C.HANDLING, to=C.HANDLING, refusal=CaseNotHandled())
    programme = session.get(Programme, programme_id)
    if programme is None:
        raise InvalidInput(N_("No such programme."), field="programme_id")
    if not programme.is_active:
        raise errors.ProgrammeInactive(programme=programme.name, field="programme_id")
    duplicate = errors.ProgrammeAlreadyProposed(programme=programme.name, field="programme_id")
    if session.scalar(select(Referral.id).where(Referral.case_id == case.id,
                                                Referral.programme_id == programme.id)):
        raise duplicate
    try:
        with session.begin_nested():
            referral = Referral(case_id=case.id, programme_id=programme.id,
                                status=R.PROPOSED, recommendation=(recommendation or "").strip()
                                or None, recommended_by_id=actor.id)
            session.add(referral)
            session.flush()
    except IntegrityError:
        raise duplicate from None
    write_step(session, actor=actor, case_id=case.id, referral_id=referral.id, to=R.PROPOSED)
    session.refresh(case, ["referrals"])
    return referral


@all_or_nothing
def decide_referral(session, *, actor, referral_id, approve, reason=None, signer_name=None,
                    signer_position=None, letter_date=None) -> Referral:
    """The manager's decision on one proposal: approved gets the letter's number, date and
    signer; not approved needs a reason."""
    referral, case = _referral(session, actor, referral_id, DECIDE)
    target = R.APPROVED if approve else R.NOT_APPROVED
    _expect(referral, R.PROPOSED, target)
    hold_case(session, case, C.DECIDING, to=C.DECIDING, refusal=CaseNotDeciding())
    if not approve:
        move_referral(session, actor=actor, referral=referral, to=target, from_=R.PROPOSED,
                      reason=reason_given(reason), note_reason=True)
        return referral
    if not (signer_name or "").strip():
        raise SignerRequired(field="signer_name")
    number = referral.letter_number or next_number(
        session, LETTER_PREFIX, case.household.desa_code.replace(".", ""), local_today().year)
    move_referral(session, actor=actor, referral=referral, to=target, from_=R.PROPOSED,
                  letter_number=number, letter_date=letter_date or local_today(),
                  signer_name=signer_name.strip(),
                  signer_position=(signer_position or "").strip() or None, reason=None,
                  note_reason=True)
    return referral


@all_or_nothing
def reconsider_referral(session, *, actor, referral_id, reason) -> Referral:
    """Take a decision back (the manager, while the case is still in the decision step)."""
    referral, case = _referral(session, actor, referral_id, DECIDE)
    reason = reason_given(reason)
    if referral.status not in (R.APPROVED, R.NOT_APPROVED):
        _expect(referral, R.APPROVED, R.PROPOSED)
    hold_case(session, case, C.DECIDING, to=C.DECIDING, refusal=CaseNotDeciding())
    move_referral(session, actor=actor, referral=referral, to=R.PROPOSED,
                  from_=referral.status, reason=reason)
    return referral


@all_or_nothing
def record_outcome(session, *, actor, referral_id, to, reason=None) -> Referral:
    """The letter went out (dikirim), the agency accepted, served or rejected (with reason)."""
    referral, case = _referral(session, actor, referral_id, HANDLE_OR_DECIDE)
    to = R(to)
    if to not in OUTCOMES:
        raise InvalidTransition(old=REFERRAL_FLOW.label(referral.status),
                                new=REFERRAL_FLOW.label(to), old_code=referral.status,
                                new_code=to)
    reason = reason_given(reason) if OUTCOMES[to] else ((reason or "").strip() or None)
    if not REFERRAL_FLOW.allows(referral.status, to):
        _expect(referral, None, to)
    hold_case(session, case, C.REFERRED, to=C.REFERRED, refusal=CaseNotReferred())
    move_referral(session, actor=actor, referral=referral, to=to, from_=referral.status,
                  reason=reason, note_reason=OUTCOMES[to])
    return referral


def _referral(session, actor, referral_id, permissions):
    referral = referral_or_fail(session, referral_id, fresh=True)
    case = case_or_fail(session, referral.case_id)
    ensure_any(session, actor, permissions, case.puskesos)
    return referral, case


def _expect(referral: Referral, expected, to) -> None:
    """Refuse, naming from and to, a referral that is not where the step starts from."""
    if referral.status != expected:
        raise InvalidTransition(old=REFERRAL_FLOW.label(referral.status),
                                new=REFERRAL_FLOW.label(to), old_code=referral.status,
                                new_code=to)


# The operation that makes each referral move (the transition tests drive these).
REFERRAL_STEPS = {
    (R.PROPOSED, R.APPROVED): "decide_referral",
    (R.PROPOSED, R.NOT_APPROVED): "decide_referral",
    (R.APPROVED, R.PROPOSED): "reconsider_referral",
    (R.NOT_APPROVED, R.PROPOSED): "reconsider_referral",
    **{(old, new): "record_outcome" for old, news in REFERRAL_FLOW.moves.items()
       for new in news if new in OUTCOMES},
}
