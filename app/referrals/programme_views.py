"""Programme pages: every Puskesos user reads the programmes and what each asks of a family;
the admin adds and edits them, switches them off, and sets the step limits and the
disaster-intake conditions, all as data."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from marshmallow import ValidationError

from app.errors import field_messages, status_for
from app.extensions import db
from app.forms_support import reshows_on_expiry, typed
from app.i18n import translate_error
from app.referrals.blueprint import bp
from app.referrals.case_support import TokenForm
from app.security import require
from logistics.accounts.roles import Permission
from logistics.errors import DomainError
from logistics.referrals import case_schemas as s
from logistics.referrals import programmes
from logistics.referrals.case_models import CATEGORY_LABELS

TEXTS = ("code", "name", "agency", "agency_address", "kind", "max_decile", "eligibility_note")
KINDS = ("nasional", "daerah", "mitra", "bencana")


@bp.get("/programmes")
@require(Permission.VIEW_CASES)
def programmes_list():
    return render_template("referrals/programme_list.html",
                           rows=programmes.all_programmes(db.session))


def _payload(schema) -> dict:
    payload = {name: request.form.get(name, "").strip() for name in TEXTS
               if name in schema().fields}
    payload = {k: v for k, v in payload.items() if v or k in ("agency_address",
                                                               "eligibility_note")}
    for name in ("agency_address", "eligibility_note"):
        if name in payload and not payload[name]:
            payload[name] = None
    payload["categories"] = request.form.getlist("categories")
    payload["needs_register"] = "needs_register" in request.form
    payload["is_active"] = "is_active" in request.form
    if "max_decile" not in payload:
        payload["max_decile"] = None
    return payload


def _programme_form(programme=None):
    form, problems, status = TokenForm(), {}, 200
    values = programme or {"is_active": True}
    if request.method == "POST" and form.validate_on_submit():
        schema = s.ProgrammePatch if programme else s.ProgrammeIn
        values = _payload(schema)
        try:
            data = schema().load(typed(schema(), values))
            if programme:
                programmes.update_programme(db.session, actor=current_user,
                                            programme_id=programme.id, **data)
            else:
                programmes.create_programme(db.session, actor=current_user, **data)
        except ValidationError as error:
            problems, status = field_messages(error.messages), 422
        except DomainError as error:
            db.session.rollback()
            problems = {error.field or "_": [translate_error(error)]}
            status = status_for(error)
        else:
            db.session.commit()
            flash(gettext("The programme was saved."), "success")
            return redirect(url_for("referrals.programmes_list"))
    return render_template("referrals/programme_form.html", form=form, programme=programme,
                           values=values, errors=problems, kinds=KINDS,
                           categories=CATEGORY_LABELS), status


@bp.route("/programmes/new", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.MANAGE_PROGRAMMES)
def programme_new():
    return _programme_form()


@bp.route("/programmes/<int:programme_id>/edit", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.MANAGE_PROGRAMMES)
def programme_edit(programme_id: int):
    return _programme_form(programmes.programme_or_fail(db.session, programme_id))


@bp.get("/settings")
@require(Permission.MANAGE_PROGRAMMES)
def slrt_settings(problems=None, status=200):
    return render_template("referrals/programme_settings.html", form=TokenForm(),
                           limits=programmes.step_limits(db.session),
                           steps=programmes.LIMITED_STEPS,
                           conditions=programmes.intake_conditions(db.session),
                           errors=problems or {}), status


def _saved(action):
    form = TokenForm()
    if not form.validate_on_submit():
        return slrt_settings({"_": [gettext("The form has expired; please try again.")]}, 400)
    try:
        action()
    except ValidationError as error:
        db.session.rollback()
        return slrt_settings(field_messages(error.messages), 422)
    except DomainError as error:
        db.session.rollback()
        return slrt_settings({error.field or "_": [translate_error(error)]}, status_for(error))
    db.session.commit()
    flash(gettext("The settings were saved."), "success")
    return redirect(url_for("referrals.slrt_settings"))


@bp.post("/settings/step-limits")
@require(Permission.MANAGE_PROGRAMMES)
def step_limits_save():
    def save():
        for step in programmes.LIMITED_STEPS:
            text = request.form.get(f"days_{step}", "").strip()
            if text:
                data = s.StepLimitIn().load(typed(s.StepLimitIn(), {"days": text}))
                programmes.set_step_limit(db.session, actor=current_user, status=step, **data)
    return _saved(save)


@bp.post("/settings/intake/<int:condition_id>")
@require(Permission.MANAGE_PROGRAMMES)
def intake_condition_save(condition_id: int):
    def save():
        payload = {"is_active": "is_active" in request.form}
        if request.form.get("value", "").strip():
            payload["value"] = request.form["value"].strip()
        data = s.IntakeConditionIn().load(payload)
        programmes.update_intake_condition(db.session, actor=current_user,
                                           condition_id=condition_id, **data)
    return _saved(save)
