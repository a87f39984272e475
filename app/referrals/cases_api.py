"""Cases over the API: the front office opens, the back office handles and proposes, the
manager decides and refers, either follows the referrals to the agency's answer.

Creates take an ``Idempotency-Key``; every step is a POST that answers the whole case, 409
naming from and to when the case is elsewhere, 422 with field messages for bad input.
"""

from __future__ import annotations

from flask_login import current_user

from app.api_support import ApiBlueprint
from app.emergency.requests_api import IdempotencyHeader
from app.extensions import db
from app.pagination import keyset_page, page_schema
from app.referrals.case_support import case_record
from app.security import require
from logistics.accounts.roles import Permission
from logistics.referrals import case_flow, cases, referral_steps
from logistics.referrals import case_schemas as s

blp = ApiBlueprint("slrt_cases_api", __name__, url_prefix="/api/v1/slrt",
                   description="SLRT cases: open, handle, propose, decide, refer, follow, close")

CasePage = page_schema(s.CaseListOut, "SlrtCasePage")


def _answer(case_id: int) -> dict:
    db.session.commit()
    return case_record(db.session, cases.case_or_fail(db.session, case_id, fresh=True))


@blp.post("/cases")
@require(Permission.REGISTER_CASES)
@blp.arguments(s.CaseIn)
@blp.arguments(IdempotencyHeader, location="headers")
@blp.response(201, s.CaseOut)
def post_case(data, header):
    """Open a case for a household, or add the needs to its open case."""
    case = cases.open_case(db.session, actor=current_user, idempotency_key=header["key"],
                           **data)
    return _answer(case.id)


@blp.get("/cases")
@require(Permission.VIEW_CASES)
@blp.arguments(s.CaseQuery, location="query")
@blp.response(200, CasePage)
def get_cases(args):
    """Cases of the Puskesos you work for, newest first."""
    limit = args.pop("limit")
    rows = cases.list_cases(db.session, current_user, **args, limit=limit + 1)
    return keyset_page(rows, limit=limit, key=lambda case: str(case.id))


@blp.get("/cases/<int:case_id>")
@require(Permission.VIEW_CASES)
@blp.response(200, s.CaseOut)
def get_case(case_id):
    """The case with its needs, referrals (with eligibility advice) and step history."""
    return case_record(db.session, cases.visible_case(db.session, current_user, case_id))


@blp.post("/cases/<int:case_id>/needs")
@require(Permission.VIEW_CASES)
@blp.arguments(s.SlrtNeedIn)
@blp.response(201, s.CaseOut)
def post_need(data, case_id):
    """Add a need to an open case (front or back office)."""
    cases.add_need(db.session, actor=current_user, case_id=case_id, **data)
    return _answer(case_id)


@blp.post("/cases/<int:case_id>/handling")
@require(Permission.HANDLE_CASES)
@blp.response(200, s.CaseOut)
def post_handling(case_id):
    """The back office takes the case (pendaftaran -> penanganan)."""
    case_flow.take_into_handling(db.session, actor=current_user, case_id=case_id)
    return _answer(case_id)


@blp.post("/cases/<int:case_id>/findings")
@require(Permission.HANDLE_CASES)
@blp.arguments(s.FindingsIn)
@blp.response(200, s.CaseOut)
def post_findings(data, case_id):
    """Record the verification's findings while handling."""
    case_flow.record_findings(db.session, actor=current_user, case_id=case_id, **data)
    return _answer(case_id)


@blp.post("/cases/<int:case_id>/referrals")
@require(Permission.HANDLE_CASES)
@blp.arguments(s.ProposeIn)
@blp.arguments(IdempotencyHeader, location="headers")
@blp.response(201, s.CaseOut)
def post_referral(data, header, case_id):
    """Propose a programme with a recommendation (409: inactive or already proposed)."""
    referral_steps.propose_referral(db.session, actor=current_user, case_id=case_id,
                                    idempotency_key=header["key"], **data)
    return _answer(case_id)


@blp.post("/cases/<int:case_id>/decision")
@require(Permission.HANDLE_CASES)
@blp.response(200, s.CaseOut)
def post_to_decision(case_id):
    """Send the proposals to the manager (penanganan -> penetapan)."""
    case_flow.send_to_decision(db.session, actor=current_user, case_id=case_id)
    return _answer(case_id)


@blp.post("/cases/<int:case_id>/referred")
@require(Permission.DECIDE_CASES)
@blp.response(200, s.CaseOut)
def post_referred(case_id):
    """Move the case to rujukan: every proposal decided, at least one approved."""
    case_flow.refer_case(db.session, actor=current_user, case_id=case_id)
    return _answer(case_id)


@blp.post("/cases/<int:case_id>/close")
@require(Permission.VIEW_CASES)
@blp.arguments(s.CloseIn)
@blp.response(200, s.CaseOut)
def post_close(data, case_id):
    """Close resolved, or unresolved with a reason (back office or manager)."""
    case_flow.close_case(db.session, actor=current_user, case_id=case_id, **data)
    return _answer(case_id)


@blp.post("/cases/<int:case_id>/step-back")
@require(Permission.VIEW_CASES)
@blp.arguments(s.StepBackIn)
@blp.response(200, s.CaseOut)
def post_step_back(data, case_id):
    """Send the case one step back, with a reason."""
    case_flow.step_back(db.session, actor=current_user, case_id=case_id, **data)
    return _answer(case_id)


@blp.post("/referrals/<int:referral_id>/decision")
@require(Permission.DECIDE_CASES)
@blp.arguments(s.DecideIn)
@blp.response(200, s.CaseOut)
def post_referral_decision(data, referral_id):
    """Approve (letter number, date, signer) or refuse with a reason."""
    referral = referral_steps.decide_referral(db.session, actor=current_user,
                                              referral_id=referral_id, **data)
    return _answer(referral.case_id)


@blp.post("/referrals/<int:referral_id>/reconsider")
@require(Permission.DECIDE_CASES)
@blp.arguments(s.SlrtReasonIn)
@blp.response(200, s.CaseOut)
def post_reconsider(data, referral_id):
    """Take a decision back while the case is in penetapan."""
    referral = referral_steps.reconsider_referral(db.session, actor=current_user,
                                                  referral_id=referral_id, **data)
    return _answer(referral.case_id)


@blp.post("/referrals/<int:referral_id>/outcome")
@require(Permission.VIEW_CASES)
@blp.arguments(s.OutcomeIn)
@blp.response(200, s.CaseOut)
def post_outcome(data, referral_id):
    """Sent, accepted, served, or rejected with a reason (back office or manager)."""
    referral = referral_steps.record_outcome(db.session, actor=current_user,
                                             referral_id=referral_id, **data)
    return _answer(referral.case_id)
