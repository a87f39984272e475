"""The roster's overview pages: the skills catalogue (kept by admins and coordinators),
certificates about to run out or already out, and the pipeline of Sahabat Tagana on their way
to Tagana, kecamatan by kecamatan, with the trainings each still lacks.

None of them shows a NIK: they name people, their desa and kecamatan, and a phone to call.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.forms_support import form_status, query_text, reshows_on_expiry, show_domain_error
from app.roster import support
from app.roster.blueprint import bp
from app.roster.records_forms import SkillForm, SkillRenameForm
from app.security import require
from logistics.accounts.roles import Permission
from logistics.calendar import local_today
from logistics.errors import DomainError
from logistics.regions.models import Level, Region
from logistics.roster import errors, promotions, skills, trainings
from logistics.roster.models import TRAINING_KIND_LABELS, Skill, TrainingKind


def _kecamatan() -> list[Region]:
    return list(db.session.scalars(select(Region).where(Region.level == Level.KECAMATAN)
                                   .order_by(Region.name)))


@bp.get("/skills")
@require(Permission.VIEW_ROSTER)
def skills_catalogue():
    """The skills catalogue in its order; admins and coordinators add and rename lines."""
    return render_template("roster/records/skills.html", skills=skills.catalogue(db.session))


def _skill_form_page(form, title, write, done):
    data = form.load()
    if data is not None:
        try:
            write(data)
        except DomainError as error:
            status = show_domain_error(form, error)
            return _render_skill_form(form, title), status
        db.session.commit()
        flash(done(data), "success")
        return redirect(url_for("roster.skills_catalogue"))
    return _render_skill_form(form, title), form_status(form)


def _render_skill_form(form, title):
    return render_template("roster/records/form.html", form=form, title=title, crumbs=[
        (gettext("Skills catalogue"), url_for("roster.skills_catalogue"))])


@bp.route("/skills/new", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.MANAGE_ROSTER)
def new_skill():
    """Add a local specialisation to the catalogue; its code never changes afterwards."""
    return _skill_form_page(
        SkillForm(), gettext("Add a skill"),
        lambda data: skills.add_skill(db.session, actor=current_user, **data),
        lambda data: gettext("%(skill)s is in the catalogue.", skill=data["name"]))


@bp.route("/skills/<code:skill_code>/rename", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.MANAGE_ROSTER)
def rename_skill(skill_code: str):
    """Give a skill another name; what volunteers hold keeps pointing at its code."""
    skill = db.session.get(Skill, skill_code)
    if skill is None:
        raise errors.SkillNotFound(code=skill_code)
    form = SkillRenameForm(data={"name": skill.name})
    return _skill_form_page(
        form, gettext("Rename %(skill)s", skill=skill.name),
        lambda data: skills.rename_skill(db.session, actor=current_user, code=skill.code,
                                         **data),
        lambda data: gettext("The skill is now called %(skill)s.", skill=data["name"]))


@bp.get("/certificates")
@require(Permission.VIEW_ROSTER)
def certificates():
    """Latest certificates of active volunteers expiring within 30 days, and those expired."""
    today = local_today()
    found = trainings.expiring_certificates(db.session, within_days=support.EXPIRING_DAYS,
                                            today=today, include_expired=True)
    desa_codes = {line.volunteer.home_desa_code for line in found}
    places = _places(desa_codes)
    return render_template(
        "roster/records/certificates.html", lines=found, places=places,
        days=support.EXPIRING_DAYS, expired=sum(line.days_left < 0 for line in found),
        skill_names={skill.code: skill.name for skill in skills.catalogue(db.session)})


def _places(desa_codes) -> dict[str, tuple[str, str]]:
    """Desa code -> (desa name, kecamatan name), in one query."""
    if not desa_codes:
        return {}
    kecamatan = aliased(Region)
    rows = db.session.execute(
        select(Region.code, Region.name, kecamatan.name)
        .join(kecamatan, kecamatan.code == Region.parent_code)
        .where(Region.code.in_(sorted(desa_codes))))
    return {code: (desa, kec) for code, desa, kec in rows}


@bp.get("/pipeline")
@require(Permission.VIEW_ROSTER)
def pipeline():
    """Active Sahabat Tagana by kecamatan, each with the trainings they still lack."""
    chosen = query_text("kecamatan_code", 20)
    groups = promotions.pipeline(db.session, kecamatan_code=chosen)
    return render_template(
        "roster/records/pipeline.html", groups=groups, kecamatan=_kecamatan(), chosen=chosen,
        required=promotions.REQUIRED_FOR_PROMOTION, labels=_training_labels,
        ready=sum(group.ready for group in groups),
        total=sum(len(group.volunteers) for group in groups))


def _training_labels(kinds) -> str:
    """Training kinds as the reader says them, comma separated."""
    return ", ".join(gettext(TRAINING_KIND_LABELS[TrainingKind(kind)]) for kind in kinds)
