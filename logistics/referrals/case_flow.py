"""A case's steps: handling, findings, decision, referral, close, and one step back.

Every move goes through `CASE_FLOW` with a guarded update and leaves a `Step`. The move comes
first: a case that is not where the step starts from gets the same 409 naming from and to as a
racing writer who lost, before any rule is asked. The rules then run inside the same savepoint,
so a refusal leaves neither the move nor its step behind.

Who does what: the back office (HANDLE_CASES) takes a case into handling, records findings,
proposes referrals and sends the case to the decision; the manager (DECIDE_CASES) decides and
refers; either may close a case or send it one step back (the back office only as far as its
own steps: the referral step is the manager's to undo).
"""

from __future__ import annotations

from sqlalchemy import func, select

from logistics.accounts.roles import Permission
from logistics.calendar import local_today
from logistics.core import status
from logistics.core.atomic import all_or_nothing
from logistics.db import utcnow
from logistics.errors import InvalidTransition
from logistics.referrals import errors
from logistics.referrals.case_models import Case, CaseStatus, Outcome, Referral, ReferralStatus
from logistics.referrals.cases import (
    case_or_fail,
    ensure_any,
    move_referral,
    reason_given,
    write_step,
)
from logistics.referrals.errors import CaseNotHandled, NothingProposed, ReferralAlreadySent
from logistics.referrals.flows import ANSWERED, BACK, CASE_FLOW

C, R = CaseStatus, ReferralStatus
HANDLE = (Permission.HANDLE_CASES,)
HANDLE_OR_DECIDE = (Permission.HANDLE_CASES, Permission.DECIDE_CASES)
DECIDE = (Permission.DECIDE_CASES,)


def move_case(session, *, actor, case: Case, to: str, from_: str | None,
              reason: str | None = None, **values) -> str:
    """Move the case (from ``from_``, or from where it is) and write its step."""
    old = status.move(session, Case, case.id, CASE_FLOW, to=to, from_=from_,
                      status_since=utcnow(), **values)
    write_step(session, actor=actor, case_id=case.id, from_=old, to=to, reason=reason)
    session.refresh(case)
    return old


def hold_case(session, case: Case, expected: str, *, to: str, refusal=None) -> None:
    """Lock the case while it stays in ``expected`` (a write racing to move it waits); a case
    elsewhere is refused with ``refusal`` or, by default, as the move from it to ``to``."""
    current = session.scalar(select(Case.status).where(Case.id == case.id)
                             .execution_options(populate_existing=True))
    if current == expected and status.move_if(session, Case, case.id, CASE_FLOW,
                                               old=expected, new=expected):
        session.refresh(case)
        return
    if refusal is not None:
        raise refusal
    raise InvalidTransition(old=CASE_FLOW.label(current), new=CASE_FLOW.label(to),
                            old_code=current, new_code=to)


def _case(session, actor, case_id, permissions) -> Case:
    case = case_or_fail(session, case_id)
    ensure_any(session, actor, permissions, case.puskesos)
    return case


@all_or_nothing
def take_into_handling(session, *, actor, case_id) -> Case:
    """The back office takes a registered case: verification starts."""
    case = _case(session, actor, case_id, HANDLE)
    move_case(session, actor=actor, case=case, to=C.HANDLING, from_=C.REGISTERED)
    return case


@all_or_nothing
def record_findings(session, *, actor, case_id, findings) -> Case:
    """The back office's verification text (home visit, register check) while handling."""
    case = _case(session, actor, case_id, HANDLE)
    hold_case(session, case, C.HANDLING, to=C.HANDLING, refusal=CaseNotHandled())
    case.findings = reason_given(findings, field="findings")
    session.flush()
    return case


@all_or_nothing
def send_to_decision(session, *, actor, case_id) -> Case:
    """Hand the recommendations to the manager: at least one referral must await the decision
    (proposed, or approved before the manager sent the case back for more work)."""
    case = _case(session, actor, case_id, HANDLE)
    move_case(session, actor=actor, case=case, to=C.DECIDING, from_=C.HANDLING)
    if not _count(session, case.id, {R.PROPOSED, R.APPROVED}):
        raise NothingProposed()
    return case


@all_or_nothing
def refer_case(session, *, actor, case_id) -> Case:
    """The manager sends the case on: every proposal decided, at least one approved."""
    case = _case(session, actor, case_id, DECIDE)
    move_case(session, actor=actor, case=case, to=C.REFERRED, from_=C.DECIDING)
    if _count(session, case.id, {R.PROPOSED}):
        raise errors.NothingDecided()
    if not _count(session, case.id, {R.APPROVED}):
        raise errors.NoReferralApproved()
    return case


@all_or_nothing
def close_case(session, *, actor, case_id, outcome, reason=None) -> Case:
    """Close the case, resolved or not (unresolved needs a reason); refused while a referral
    is out at an agency or approved and not sent. Proposals never decided end with it, as not
    approved, each with its step."""
    case = _case(session, actor, case_id, HANDLE_OR_DECIDE)
    outcome = Outcome(outcome)
    if outcome == Outcome.UNRESOLVED:
        reason = reason_given(reason)
    reason = (reason or "").strip() or None
    move_case(session, actor=actor, case=case, to=C.CLOSED, from_=None, reason=reason,
              outcome=outcome.value, close_reason=reason, closed_on=local_today())
    waiting = _count(session, case.id, set(R) - ANSWERED - {R.PROPOSED})
    if waiting:
        raise errors.CaseHasOpenReferrals(count=waiting)
    for referral in list(case.referrals):
        if referral.status == R.PROPOSED:
            move_referral(session, actor=actor, referral=referral, to=R.NOT_APPROVED,
                          from_=R.PROPOSED, reason=reason, note_reason=True)
    return case


@all_or_nothing
def step_back(session, *, actor, case_id, reason, to=None) -> Case:
    """Send the case one step back, saying why (``to``: the step expected, if the caller
    names one). The referral step goes back only while none of its letters has been sent;
    the decision step going back returns its approved, unsent referrals to proposals."""
    case = _case(session, actor, case_id, HANDLE_OR_DECIDE)
    reason = reason_given(reason)
    current = case.status
    target = to or BACK.get(current) or C.REGISTERED
    if BACK.get(current) != target:
        raise InvalidTransition(old=CASE_FLOW.label(current), new=CASE_FLOW.label(target),
                                old_code=current, new_code=target)
    if current == C.REFERRED:
        ensure_any(session, actor, DECIDE, case.puskesos)
    move_case(session, actor=actor, case=case, to=target, from_=current, reason=reason)
    if current == C.REFERRED and _count(session, case.id, set(R) - {
            R.PROPOSED, R.APPROVED, R.NOT_APPROVED}):
        raise ReferralAlreadySent()
    if current == C.DECIDING:
        # Back to handling undoes the decision step: an approved letter not sent is a
        # proposal again (it keeps its number), so the case can be re-decided or closed.
        for referral in list(case.referrals):
            if referral.status == R.APPROVED:
                move_referral(session, actor=actor, referral=referral, to=R.PROPOSED,
                              from_=R.APPROVED, reason=reason)
    return case


def _count(session, case_id: int, statuses) -> int:
    return session.scalar(select(func.count(Referral.id)).where(
        Referral.case_id == case_id, Referral.status.in_([str(s) for s in statuses])))


# What the case page offers and the transition tests drive: the operation that makes each move.
CASE_STEPS = {
    (C.REGISTERED, C.HANDLING): "take_into_handling",
    (C.HANDLING, C.DECIDING): "send_to_decision",
    (C.DECIDING, C.REFERRED): "refer_case",
    **{(later, earlier): "step_back" for later, earlier in BACK.items()},
    **{(old, C.CLOSED): "close_case" for old in (C.HANDLING, C.DECIDING, C.REFERRED)},
}
