"""Case pages: the Puskesos list, the front office's new-case form for a household, and the
case page where each role finds the forms it may use at the case's current step.

A household's numbers are shown as the viewer may see them (`personal_number`); a viewer who
sees them in full is noted in the audit trail.
"""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from marshmallow import ValidationError

from app.errors import field_messages, status_for
from app.extensions import db
from app.forms_support import id_from_text, reshows_on_expiry, typed
from app.i18n import translate_error
from app.referrals.blueprint import bp
from app.referrals.case_support import TokenForm, advice_for, category_label
from app.security import require
from logistics.accounts.roles import Permission
from logistics.core import idempotency
from logistics.errors import DomainError
from logistics.referrals import access, cases, errors, programmes
from logistics.referrals import case_schemas as s
from logistics.referrals.audit import record_access
from logistics.referrals.case_flow import BACK
from logistics.referrals.case_models import (
    CATEGORY_LABELS,
    SOURCE_LABELS,
    Case,
    CaseStatus,
    ReferralStatus,
)
from logistics.referrals.flows import CASE_FLOW, REFERRAL_FLOW
from logistics.referrals.models import AuditAction, Household
from logistics.referrals.referral_steps import OUTCOMES

C, R = CaseStatus, ReferralStatus


@bp.app_context_processor
def _case_helpers():
    return {"case_status": lambda value: gettext(CASE_FLOW.label(value)),
            "referral_status": lambda value: gettext(REFERRAL_FLOW.label(value)),
            "category_label": category_label,
            "source_label": lambda value: gettext(SOURCE_LABELS.get(value, value))}


@bp.get("/cases")
@require(Permission.VIEW_CASES)
def cases_list():
    """The cases of the Puskesos the viewer works for, newest first, by step."""
    status = request.args.get("status")
    status = status if status in tuple(C) else None
    after = request.args.get("after", type=id_from_text)
    rows = cases.list_cases(db.session, current_user, status=status, after=after, limit=51)
    return render_template("referrals/case_list.html", rows=rows[:50], status=status,
                           more=rows[49].id if len(rows) > 50 else None, statuses=list(C))


def _household_or_fail(household_id) -> Household:
    household = db.session.get(Household, household_id) if household_id else None
    if household is None:
        raise errors.UnknownHousehold()
    access.ensure_may(db.session, current_user, Permission.REGISTER_CASES, household.puskesos)
    return household


@bp.route("/cases/new", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.REGISTER_CASES)
def new_case():
    """Register a complaint for a household (front office): a new case, or new needs on the
    household's open case."""
    household_id = request.values.get("household_id", type=id_from_text)
    if household_id is None:  # a case is opened from its household's page
        flash(gettext("Open the household first, then register its complaint."), "info")
        return redirect(url_for("referrals.cases_list"))
    household = _household_or_fail(household_id)
    open_case = db.session.scalar(db.select(Case).where(Case.household_id == household.id,
                                                         Case.status != C.CLOSED))
    form, problems, values, status = TokenForm(), {}, {}, 200
    if request.method == "POST" and form.validate_on_submit():
        earlier = idempotency.made_with(db.session, current_user, form.form_token.data)
        if isinstance(earlier, Case):
            return redirect(url_for("referrals.case_page", case_id=earlier.id))
        values = {name: request.form.get(name, "").strip()
                  for name in ("source", "category", "description")}
        payload = {"household_id": household.id, "source": values["source"] or "datang_langsung",
                   "needs": [{"category": values["category"],
                              "description": values["description"]}]}
        try:
            data = s.CaseIn().load(typed(s.CaseIn(), payload))
            case = cases.open_case(db.session, actor=current_user,
                                   idempotency_key=form.form_token.data, **data)
        except ValidationError as error:
            problems = {key.removeprefix("needs.0."): messages
                        for key, messages in field_messages(error.messages).items()}
            status = 422
        except DomainError as error:
            db.session.rollback()
            problems, status = {error.field or "_": [translate_error(error)]}, status_for(error)
        else:
            db.session.commit()
            flash(gettext("Case %(number)s: the need was recorded.", number=case.number),
                  "success")
            return redirect(url_for("referrals.case_page", case_id=case.id))
    form.form_token.data = form.form_token.data or uuid.uuid4().hex
    return render_template("referrals/case_new.html", form=form, household=household,
                           open_case=open_case, errors=problems, values=values,
                           categories=CATEGORY_LABELS, sources=SOURCE_LABELS), status


def _scoped(permission, case) -> bool:
    """Whether the viewer holds ``permission`` in the case's Puskesos."""
    allowed = access.visible_puskesos_ids(db.session, current_user, permission)
    return current_user.can(permission) and (allowed is None or case.puskesos_id in allowed)


def case_page_response(case_id: int, *, problems=None, values=None, status=200):
    """The case page, with the forms the viewer may use now (errors shown beside them)."""
    case = cases.visible_case(db.session, current_user, case_id)
    handle, decide = _scoped(Permission.HANDLE_CASES, case), _scoped(Permission.DECIDE_CASES,
                                                                     case)
    register = _scoped(Permission.REGISTER_CASES, case)
    record_access(db.session, actor=current_user, household_ids=[case.household_id],
                  action=AuditAction.VIEW, what=f"case {case.number}")
    db.session.commit()
    proposed = {r.programme_id for r in case.referrals}
    now = case.status
    may = {
        "add_need": (register or handle) and now != C.CLOSED,
        "take": handle and now == C.REGISTERED,
        "findings": handle and now == C.HANDLING,
        "propose": handle and now == C.HANDLING,
        "to_decision": handle and now == C.HANDLING,
        "decide": decide and now == C.DECIDING,
        "refer": decide and now == C.DECIDING,
        "outcome": (handle or decide) and now == C.REFERRED,
        "close": (handle or decide) and now in (C.HANDLING, C.DECIDING, C.REFERRED),
        "back": now in BACK and (decide or (handle and now != C.REFERRED)),
        "letter": current_user.can(Permission.VIEW_PERSONAL_DATA),
    }
    form = TokenForm()
    form.form_token.data = uuid.uuid4().hex
    return render_template(
        "referrals/case_page.html", case=case, may=may, form=form, errors=problems or {},
        values=values or {}, steps=cases.steps_of(db.session, case.id),
        advice={r.id: advice_for(r) for r in case.referrals},
        programmes=[p for p in programmes.active_programmes(db.session)
                    if p.id not in proposed],
        outcomes={r.id: [to for to in REFERRAL_FLOW.moves[r.status] if to in OUTCOMES]
                  for r in case.referrals},
        categories=CATEGORY_LABELS, back_to=BACK.get(now), R=R), status


@bp.get("/cases/<int:case_id>")
@require(Permission.VIEW_CASES)
def case_page(case_id: int):
    return case_page_response(case_id)
