"""The case page's forms: each step posts here and comes back to the case page, with the
refusal beside its field (409 naming from and to when someone else moved the case first)."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user
from marshmallow import ValidationError

from app.errors import field_messages, status_for
from app.extensions import db
from app.forms_support import typed
from app.i18n import translate_error
from app.referrals.blueprint import bp
from app.referrals.case_support import TokenForm
from app.referrals.case_views import case_page_response
from app.security import require
from logistics.accounts.roles import Permission
from logistics.core import idempotency
from logistics.errors import DomainError
from logistics.referrals import case_flow, cases, referral_steps
from logistics.referrals import case_schemas as s

REGISTER_OR_HANDLE = (Permission.REGISTER_CASES, Permission.HANDLE_CASES)


def _fields(*names) -> dict:
    return {name: request.form.get(name, "").strip() for name in names
            if request.form.get(name, "").strip()}


def _act(case_id, operation, done, /, *, roles, schema=None, payload=None, keyed=False,
         **arguments):
    """Refuse a role that may not make this step here (before reading the form), check the
    form, run the step, commit; or show the case page again with the messages."""
    case = cases.visible_case(db.session, current_user, case_id)
    cases.ensure_any(db.session, current_user, roles, case.puskesos)
    form = TokenForm()
    if not form.validate_on_submit():
        return case_page_response(case_id, problems={"_": [gettext(
            "The form has expired; please try again.")]}, status=400)
    payload = payload or {}
    if keyed and idempotency.made_with(db.session, current_user, form.form_token.data):
        return redirect(url_for("referrals.case_page", case_id=case_id))
    try:
        data = schema().load(typed(schema(), payload)) if schema else {}
        if keyed:
            arguments["idempotency_key"] = form.form_token.data
        operation(db.session, actor=current_user, **arguments, **data)
    except ValidationError as error:
        return case_page_response(case_id, problems=field_messages(error.messages),
                                  values=payload, status=422)
    except DomainError as error:
        db.session.rollback()
        return case_page_response(case_id, problems={error.field or "_": [
            translate_error(error)]}, values=payload, status=status_for(error))
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("referrals.case_page", case_id=case_id))


def _case_of(referral_id: int) -> int:
    return cases.referral_or_fail(db.session, referral_id).case_id


@bp.post("/cases/<int:case_id>/needs")
@require(Permission.VIEW_CASES)
def case_add_need(case_id: int):
    return _act(case_id, cases.add_need, gettext("The need was added."),
                roles=REGISTER_OR_HANDLE, schema=s.SlrtNeedIn,
                payload=_fields("category", "description"), case_id=case_id)


@bp.post("/cases/<int:case_id>/handling")
@require(Permission.HANDLE_CASES)
def case_take(case_id: int):
    return _act(case_id, case_flow.take_into_handling, gettext("The case is now in handling."),
                roles=case_flow.HANDLE,
                case_id=case_id)


@bp.post("/cases/<int:case_id>/findings")
@require(Permission.HANDLE_CASES)
def case_findings(case_id: int):
    return _act(case_id, case_flow.record_findings, gettext("The findings were saved."),
                roles=case_flow.HANDLE,
                schema=s.FindingsIn, payload=_fields("findings"), case_id=case_id)


@bp.post("/cases/<int:case_id>/referrals")
@require(Permission.HANDLE_CASES)
def case_propose(case_id: int):
    return _act(case_id, referral_steps.propose_referral, gettext("The referral was proposed."),
                roles=case_flow.HANDLE,
                schema=s.ProposeIn, payload=_fields("programme_id", "recommendation"),
                keyed=True, case_id=case_id)


@bp.post("/cases/<int:case_id>/decision")
@require(Permission.HANDLE_CASES)
def case_to_decision(case_id: int):
    return _act(case_id, case_flow.send_to_decision,
                gettext("The case was sent to the service decision."),
                roles=case_flow.HANDLE, case_id=case_id)


@bp.post("/cases/<int:case_id>/referred")
@require(Permission.DECIDE_CASES)
def case_refer(case_id: int):
    return _act(case_id, case_flow.refer_case, gettext("The case is referred."),
                roles=case_flow.DECIDE, case_id=case_id)


@bp.post("/cases/<int:case_id>/close")
@require(Permission.VIEW_CASES)
def case_close(case_id: int):
    return _act(case_id, case_flow.close_case, gettext("The case is closed."),
                roles=case_flow.HANDLE_OR_DECIDE,
                schema=s.CloseIn, payload=_fields("outcome", "reason"), case_id=case_id)


@bp.post("/cases/<int:case_id>/step-back")
@require(Permission.VIEW_CASES)
def case_step_back(case_id: int):
    return _act(case_id, case_flow.step_back, gettext("The case went one step back."),
                roles=case_flow.HANDLE_OR_DECIDE,
                schema=s.StepBackIn, payload=_fields("reason", "to"), case_id=case_id)


@bp.post("/referrals/<int:referral_id>/decision")
@require(Permission.DECIDE_CASES)
def referral_decide(referral_id: int):
    case_id = _case_of(referral_id)
    payload = {**_fields("reason", "signer_name", "signer_position", "letter_date"),
               "approve": request.form.get("decision") == "approve"}
    return _act(case_id, referral_steps.decide_referral, gettext("The decision was recorded."),
                roles=case_flow.DECIDE,
                schema=s.DecideIn, payload=payload, referral_id=referral_id)


@bp.post("/referrals/<int:referral_id>/reconsider")
@require(Permission.DECIDE_CASES)
def referral_reconsider(referral_id: int):
    case_id = _case_of(referral_id)
    return _act(case_id, referral_steps.reconsider_referral,
                gettext("The decision was taken back."), roles=case_flow.DECIDE,
                schema=s.SlrtReasonIn,
                payload=_fields("reason"), referral_id=referral_id)


@bp.post("/referrals/<int:referral_id>/outcome")
@require(Permission.VIEW_CASES)
def referral_outcome(referral_id: int):
    case_id = _case_of(referral_id)
    return _act(case_id, referral_steps.record_outcome, gettext("The referral was updated."),
                roles=case_flow.HANDLE_OR_DECIDE,
                schema=s.OutcomeIn, payload=_fields("to", "reason"), referral_id=referral_id)

