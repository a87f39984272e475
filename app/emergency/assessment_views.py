"""Assessment pages: an event's kaji cepat per desa and its households, the two forms, import.

Forms are checked by the API's schemas and recorded by the same operations; the schema's
messages and the rules needing the database (desa in the event's area, not in the future)
come back in one answer, each beside its field. A one-time token is the idempotency key.
"""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from marshmallow import ValidationError
from wtforms import HiddenField

from app.emergency import assessment_support as support
from app.emergency.blueprint import bp
from app.errors import field_messages, status_for
from app.extensions import db
from app.forms_support import query_text, reshows_on_expiry, rows_on_page, typed
from app.i18n import translate_error
from app.referrals.intake_support import feed_pipeline
from app.security import require
from app.sheet_imports import import_on_page
from app.stock.files import shown_limits, upload_outside_transaction
from logistics.accounts.roles import Permission
from logistics.calendar import local_today
from logistics.core import idempotency
from logistics.core.fields import parse_integer
from logistics.emergency import assessment_schemas as s
from logistics.emergency import assessments
from logistics.emergency.access import ensure_may_assess_in
from logistics.emergency.assessment_models import (
    HOUSE_DAMAGE_LABELS,
    HouseDamage,
    HouseholdAssessment,
    RapidAssessment,
)
from logistics.emergency.lookups import event_or_fail
from logistics.errors import DomainError

MEMBER_ROWS = 4
MEMBER_TEXT = ("name", "nik", "sex", "age", "relation")
MEMBER_FLAGS = ("is_pregnant", "is_breastfeeding", "is_disabled")
RAPID_FLAGS = ("access_cut",)
HOUSEHOLD_FLAGS = ("lost_livelihood",)


class TokenForm(FlaskForm):
    form_token = HiddenField()


class ImportForm(FlaskForm):
    file = FileField(validators=[FileRequired()])
    members_file = FileField()
    form_token = HiddenField()


def _event(event_id: int, *, recording: bool):
    event = event_or_fail(db.session, event_id)
    if recording:
        ensure_may_assess_in(db.session, current_user, event)
    return event


@bp.get("/events/<int:event_id>/assessments")
@require(Permission.VIEW_EMERGENCY)
def assessments_index(event_id: int):
    event = _event(event_id, recording=False)
    latest = assessments.latest_rapid_assessments(db.session, event.id)
    desa_code = query_text("desa_code", 20)
    after = parse_integer(request.args.get("after", ""))
    rows = assessments.list_households(db.session, event.id, desa_code=desa_code, limit=50,
                                       after=after if after and after > 0 else None)
    return render_template(
        "emergency/assessments.html", event=event, latest=latest,
        totals=assessments.rapid_totals(latest), households=rows[:50],
        next_after=rows[49].id if len(rows) > 50 else None, desa_code=desa_code,
        desa=assessments.event_desa(db.session, event.id), damage_labels=HOUSE_DAMAGE_LABELS,
        may_record=current_user.can(Permission.RECORD_ASSESSMENTS))


def _desa_choices(event) -> list[tuple[str, str]]:
    """Only the desa of the event's area can be picked."""
    return [(d.code, f"{d.name} ({d.code})")
            for d in assessments.event_desa(db.session, event.id)]


def _payload(flags: tuple[str, ...], texts: tuple[str, ...]) -> dict:
    payload = {name: request.form.get(name, "").strip() for name in texts}
    payload = {name: value for name, value in payload.items() if value}
    for name in flags:
        payload[name] = request.form.get(name) in ("1", "on", "y", "true")
    return payload


def _member_rows(form) -> list[dict]:
    count = min(parse_integer(form.get("member_rows", "")) or MEMBER_ROWS, s.MAX_MEMBERS)
    rows = []
    for index in range(count):
        row = {name: form.get(f"members-{index}-{name}", "").strip() for name in MEMBER_TEXT}
        row.update({name: form.get(f"members-{index}-{name}") in ("1", "on", "y", "true")
                    for name in MEMBER_FLAGS})
        rows.append(row)
    return rows


def _check(schema_class, payload: dict, event) -> tuple[dict | None, dict]:
    """The loaded input, or None; the schema's messages with every rule's, translated."""
    schema = schema_class()
    try:
        data, errors = schema.load(typed(schema, payload)), {}
    except ValidationError as error:
        data, errors = None, field_messages(error.messages)
        partial = error.valid_data or {}
    else:
        partial = data
    for problem in assessments.rule_problems(db.session, event, partial, today=local_today()):
        errors.setdefault(problem.field or "_schema", []).append(translate_error(problem))
    return (data if not errors else None), errors


def _record(form, operation, data, event):
    try:
        made = operation(db.session, actor=current_user, idempotency_key=form.form_token.data,
                         event_id=event.id, **data)
        if isinstance(made, HouseholdAssessment) and feed_pipeline([made]).needs_added:
            flash(gettext("The household meets an SLRT condition: its needs are in the "
                          "queue of the desa's Puskesos."), "info")
    except assessments.AssessmentInvalid as error:
        db.session.rollback()
        return None, support.rule_messages(error.problems), 422
    except DomainError as error:
        db.session.rollback()
        return None, {error.field or "_schema": [translate_error(error)]}, status_for(error)
    db.session.commit()
    return made, {}, 201


def _flash_unplaced(errors: dict, placed: set[str]) -> None:
    for key, messages in errors.items():
        if key not in placed and not key.startswith("members."):
            for message in messages:
                flash(message, "danger")


RAPID_TEXTS = ("desa_code", "assessed_on", *assessments.RAPID_COUNTS, "facilities_note", "notes")


@bp.route("/events/<int:event_id>/assessments/rapid", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.RECORD_ASSESSMENTS)
def rapid_assessment_form(event_id: int):
    event = _event(event_id, recording=True)
    form, errors, status = TokenForm(), {}, 200
    values = request.form if request.method == "POST" else {
        "assessed_on": local_today().isoformat()}
    if request.method == "GET":
        form.form_token.data = uuid.uuid4().hex
    elif form.validate_on_submit():
        if isinstance(idempotency.made_with(db.session, current_user, form.form_token.data),
                      RapidAssessment):
            return redirect(url_for("emergency.assessments_index", event_id=event.id))
        data, errors = _check(s.RapidAssessmentIn, _payload(RAPID_FLAGS, RAPID_TEXTS), event)
        status = 422 if errors else 200
        if data is not None:
            made, errors, status = _record(form, assessments.record_rapid_assessment, data,
                                           event)
            if made is not None:
                flash(gettext("Kaji cepat of %(desa)s recorded.", desa=made.desa.name),
                      "success")
                return redirect(url_for("emergency.assessments_index", event_id=event.id))
    else:
        status = 400
    _flash_unplaced(errors, set(RAPID_TEXTS) | set(RAPID_FLAGS))
    return render_template("emergency/rapid_assessment_form.html", event=event, form=form,
                           errors=errors, values=values,
                           desa=_desa_choices(event)), status


HOUSEHOLD_TEXTS = ("desa_code", "assessed_on", "kk_number", "head_name", "head_nik", "address",
                   "house_damage", "deaths", "urgent_needs")


@bp.route("/events/<int:event_id>/assessments/households/new", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.RECORD_ASSESSMENTS)
def household_form(event_id: int):
    event = _event(event_id, recording=True)
    form, errors, status = TokenForm(), {}, 200
    values = request.form if request.method == "POST" else {
        "assessed_on": local_today().isoformat()}
    members = _member_rows(request.form) if request.method == "POST" else [
        {} for _ in range(MEMBER_ROWS)]
    if request.method == "GET":
        form.form_token.data = uuid.uuid4().hex
    elif "add_member" in request.form:  # room for one more member, nothing recorded yet
        members.append({})
    elif form.validate_on_submit():
        if isinstance(idempotency.made_with(db.session, current_user, form.form_token.data),
                      HouseholdAssessment):
            return redirect(url_for("emergency.assessments_index", event_id=event.id))
        filled = [(place, row) for place, row in enumerate(members)
                  if any(row.get(name) for name in MEMBER_TEXT)]
        payload = _payload(HOUSEHOLD_FLAGS, HOUSEHOLD_TEXTS)
        payload["members"] = [{key: value for key, value in row.items() if value != ""}
                              for _, row in filled]
        data, errors = _check(s.HouseholdIn, payload, event)
        status = 422 if errors else 200
        if data is not None:
            made, errors, status = _record(form, assessments.record_household_assessment,
                                           data, event)
            if made is not None:
                flash(gettext("Household of %(name)s recorded.", name=made.head_name),
                      "success")
                return redirect(url_for("emergency.assessments_index", event_id=event.id))
        errors = rows_on_page(errors, [place for place, _ in filled])
    else:
        status = 400
    _flash_unplaced(errors, set(HOUSEHOLD_TEXTS) | set(HOUSEHOLD_FLAGS))
    return render_template(
        "emergency/household_form.html", event=event, form=form, errors=errors, values=values,
        members=members, desa=_desa_choices(event),
        damages=[(damage.value, HOUSE_DAMAGE_LABELS[damage]) for damage in HouseDamage]), status


@bp.route("/events/<int:event_id>/assessments/import", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.RECORD_ASSESSMENTS)
@upload_outside_transaction
def assessment_import(event_id: int):
    event = _event(event_id, recording=True)
    form, problems, summary, status = ImportForm(), [], None, 200
    if not form.form_token.data:
        form.form_token.data = uuid.uuid4().hex
    if form.validate_on_submit():
        members = form.members_file.data if form.members_file.data and \
            form.members_file.data.filename else None
        summary, problems, status = import_on_page(
            lambda: support.run_import(event.id, form.file.data, members))
    elif form.is_submitted():
        status = 422
    return render_template("emergency/assessment_import.html", event=event, form=form,
                           problems=problems, summary=summary, limits=shown_limits()), status
