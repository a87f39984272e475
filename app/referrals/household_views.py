"""SLRT household pages, phone first: the list searched by No. KK, NIK or head's name, the
front office's registration with a row per member, a household in full, and its audit trail.

Everything is scoped to the user's Puskesos (`household_for`: 403 elsewhere). NIK and No. KK
go through the `personal_number` filter; a viewer who sees them in full leaves a VIEW row in
the audit trail, which only the Puskesos manager and admin read. Flash messages name people,
never their numbers. The registration form's one-time token is its idempotency key.
"""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from marshmallow import ValidationError
from sqlalchemy import select
from wtforms import HiddenField

from app.errors import field_messages, status_for
from app.extensions import db
from app.forms_support import id_from_text, query_text, reshows_on_expiry, rows_on_page, typed
from app.i18n import translate_error
from app.referrals import household_forms as f
from app.referrals.blueprint import bp
from app.security import require
from logistics.accounts import scopes
from logistics.accounts.roles import Permission
from logistics.core import idempotency
from logistics.core.fields import parse_integer
from logistics.core.masking import may_see_personal_data
from logistics.errors import DomainError
from logistics.referrals import access, audit, household_queries, households
from logistics.referrals import household_schemas as s
from logistics.referrals.case_models import Case
from logistics.referrals.models import (
    REGISTER_LABELS,
    RELATION_LABELS,
    AuditAction,
    Household,
    Puskesos,
    Register,
    Relation,
)
from logistics.regions.models import Region

PAGE_SIZE = 50
MEMBER_ROWS = 4
MEMBER_TEXT = ("nik", "name", "sex", "birth_date", "relation", "disability")
HOUSEHOLD_TEXTS = ("kk_number", "desa_code", "address", "rt", "rw", "phone", "register",
                   "welfare_decile", "register_checked_on")


class TokenForm(FlaskForm):
    form_token = HiddenField()


@bp.context_processor
def _household_labels():
    def relation_label(value):
        try:
            return gettext(RELATION_LABELS[Relation(value)])
        except ValueError:
            return value

    def register_label(value):
        return REGISTER_LABELS.get(Register(value), value) if value else gettext("Not listed")

    return {"relation_label": relation_label, "register_label": register_label}


def may_in(permission: Permission, household: Household) -> bool:
    """Whether the current user holds ``permission`` in the household's Puskesos (for links)."""
    return current_user.can(permission) and scopes.is_within(
        db.session, current_user, permission, household.puskesos_id)


@bp.get("/households")
@require(Permission.VIEW_CASES)
def households_index():
    """The households of the user's Puskesos, newest first, or those a search finds."""
    q = query_text("q", 120)
    rows = household_queries.visible_households(
        db.session, current_user, q=q, limit=PAGE_SIZE,
        after=request.args.get("after", type=id_from_text))
    return render_template(
        "referrals/household_list.html", households=rows[:PAGE_SIZE], q=q or "",
        next_after=rows[PAGE_SIZE - 1].id if len(rows) > PAGE_SIZE else None,
        may_register=current_user.can(Permission.REGISTER_CASES))


@bp.get("/households/<int:household_id>")
@require(Permission.VIEW_CASES)
def household(household_id: int):
    """A household in full: address, register status, members; a full view is audited."""
    found = household_queries.household_for(db.session, current_user, household_id)
    audit.record_access(db.session, actor=current_user, household_ids=[found.id],
                        action=AuditAction.VIEW, what="page: household")
    db.session.commit()
    return render_template(
        "referrals/household.html", household=found,
        cases=db.session.scalars(select(Case).where(Case.household_id == found.id)
                                 .order_by(Case.id.desc())).all(),
        personal=may_see_personal_data(current_user),
        may_register=may_in(Permission.REGISTER_CASES, found),
        may_update_register=households.may_update_register(db.session, current_user, found),
        may_audit=may_in(Permission.VIEW_AUDIT_TRAIL, found))


@bp.get("/households/<int:household_id>/audit")
@require(Permission.VIEW_AUDIT_TRAIL)
def household_audit(household_id: int):
    """Who saw, changed or exported this household's numbers: for the Puskesos manager."""
    found = household_queries.household_for(db.session, current_user, household_id,
                                            Permission.VIEW_AUDIT_TRAIL)
    return render_template("referrals/household_audit.html", household=found,
                           trail=audit.trail(db.session, found.id))


def desa_choices() -> list[tuple[str, str]]:
    """The desa of the Puskesos the user registers for (every one for admin)."""
    allowed = access.visible_puskesos_ids(db.session, current_user, Permission.REGISTER_CASES)
    query = (select(Puskesos.desa_code, Region.name).join(Region,
                                                          Region.code == Puskesos.desa_code)
             .where(Puskesos.is_active).order_by(Region.name))
    if allowed is not None:
        query = query.where(Puskesos.id.in_(allowed or {-1}))
    return [(code, f"{name} ({code})") for code, name in db.session.execute(query)]


def _member_rows(form) -> list[dict]:
    count = min(parse_integer(form.get("member_rows", "")) or MEMBER_ROWS, s.MAX_MEMBERS)
    rows = []
    for index in range(count):
        row = {name: form.get(f"members-{index}-{name}", "").strip() for name in MEMBER_TEXT}
        row["is_disabled"] = form.get(f"members-{index}-is_disabled") in ("1", "on", "y")
        rows.append(row)
    return rows


def _filled(members: list[dict]) -> list[tuple[int, dict]]:
    return [(place, row) for place, row in enumerate(members)
            if any(row.get(name) for name in ("nik", "name", "birth_date"))]


def _check_and_register(token: str, members: list[dict]):
    """(household, {}, 201), or (None, messages by field, status): the schema's messages,
    then the operation's refusal; nothing written unless all is well."""
    filled = _filled(members)
    payload = {name: request.form.get(name, "").strip() for name in HOUSEHOLD_TEXTS}
    payload = {name: value for name, value in payload.items() if value}  # blank: not given
    payload["members"] = [{key: value for key, value in row.items() if value != ""}
                          for _, row in filled]
    schema = s.SlrtHouseholdIn()
    places = [place for place, _ in filled]
    try:
        data = schema.load(typed(schema, payload))
    except ValidationError as error:
        return None, rows_on_page(field_messages(error.messages), places), 422
    try:
        made = households.register_household(db.session, actor=current_user,
                                             idempotency_key=token, **data)
    except DomainError as error:
        db.session.rollback()
        return None, rows_on_page({error.field or "_schema": [translate_error(error)]},
                                     places), status_for(error)
    db.session.commit()
    return made, {}, 201


@bp.route("/households/new", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.REGISTER_CASES)
def new_household():
    """Pendaftaran baru: the family card's number, address and everyone on it."""
    form, errors, status = TokenForm(), {}, 200
    choices = desa_choices()
    values = request.form if request.method == "POST" else {
        "desa_code": choices[0][0] if len(choices) == 1 else ""}
    members = _member_rows(request.form) if request.method == "POST" else [
        {"relation": Relation.HEAD.value}, *({} for _ in range(MEMBER_ROWS - 1))]
    if request.method == "GET":
        form.form_token.data = uuid.uuid4().hex
    elif "add_member" in request.form:  # room for one more member, nothing recorded yet
        if len(members) < s.MAX_MEMBERS:
            members.append({})
    elif form.validate_on_submit():
        earlier = idempotency.made_with(db.session, current_user, form.form_token.data)
        if isinstance(earlier, Household):
            return redirect(url_for("referrals.household", household_id=earlier.id))
        made, errors, status = _check_and_register(form.form_token.data, members)
        if made is not None:
            head = made.head
            flash(gettext("Household of %(name)s registered.", name=head.name if head else "-"),
                  "success")
            return redirect(url_for("referrals.household", household_id=made.id))
    else:
        status = 400
    for key in [key for key in errors if key not in (*HOUSEHOLD_TEXTS, "members")
                and not key.startswith("members.")]:
        for message in errors[key]:
            flash(message, "danger")
    return render_template(
        "referrals/household_form.html", form=form, errors=errors, values=values,
        members=members, desa=choices, relations=f.relation_choices(),
        registers=f.register_choices()[1:]), status
