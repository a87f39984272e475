"""Roster pages for the Tagana coordinator, phone first: the roster filtered, a volunteer's
profile with their history, and the form that registers or corrects a volunteer.

NIK is shown through the `personal_number` filter and the birth date only to readers of
personal data (others see the age); the home point only to those who manage the roster.
The registration form's one-time token is its idempotency key, so a double tap registers once.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from app.extensions import db
from app.forms_support import (
    form_status,
    id_from_text,
    query_text,
    reshows_on_expiry,
    show_domain_error,
)
from app.pagination import keyset_page
from app.roster import support
from app.roster.blueprint import bp
from app.roster.volunteer_forms import VolunteerEditForm, VolunteerForm
from app.security import require
from logistics.accounts.roles import Permission
from logistics.calendar import local_today
from logistics.core import idempotency
from logistics.core.masking import may_see_personal_data
from logistics.errors import DomainError
from logistics.regions.models import Level, Region
from logistics.roster import availability, deployments, queries, rules, skills, teams, trainings
from logistics.roster import volunteers as roster_volunteers
from logistics.roster.deployment_models import DEPLOYMENT_STATUS_LABELS, DeploymentStatus
from logistics.roster.lookups import volunteer_or_fail
from logistics.roster.models import (
    SKILL_LEVEL_LABELS,
    TRAINING_KIND_LABELS,
    VOLUNTEER_KIND_LABELS,
    VOLUNTEER_STATUS_LABELS,
    SkillLevel,
    TrainingKind,
    Volunteer,
    VolunteerKind,
    VolunteerStatus,
)

PAGE_SIZE = 50


def _label(labels, kind):
    def label(value):
        try:
            return gettext(labels[kind(value)])
        except (ValueError, KeyError):
            return value
    return label


@bp.context_processor
def _roster_labels():
    return {"kind_label": _label(VOLUNTEER_KIND_LABELS, VolunteerKind),
            "status_label": _label(VOLUNTEER_STATUS_LABELS, VolunteerStatus),
            "level_label": _label(SKILL_LEVEL_LABELS, SkillLevel),
            "training_label": _label(TRAINING_KIND_LABELS, TrainingKind),
            "deployment_label": _label(DEPLOYMENT_STATUS_LABELS, DeploymentStatus)}


def _filters() -> dict:
    """The roster's filters as the query string names them; anything else reads as absent."""
    kind = request.args.get("kind", "")
    return {"kind": kind if kind in set(VolunteerKind) else None,
            "kecamatan_code": query_text("kecamatan_code", 20),
            "skill_code": query_text("skill_code", 30),
            "available_now": request.args.get("available_now") == "1",
            "expiring": request.args.get("expiring") == "1"}


@bp.get("/volunteers")
@require(Permission.VIEW_ROSTER)
def volunteers():
    """The roster, filtered by kecamatan, kind, skill, availability and expiring certificates."""
    chosen = _filters()
    rows = support.roster_rows(
        limit=PAGE_SIZE, after=request.args.get("after", type=id_from_text),
        kind=chosen["kind"], kecamatan_code=chosen["kecamatan_code"],
        skill_code=chosen["skill_code"], available_now=chosen["available_now"],
        expiring_within_days=support.EXPIRING_DAYS if chosen["expiring"] else None)
    page = keyset_page(rows, limit=PAGE_SIZE, key=lambda volunteer: str(volunteer.id))
    kecamatan = list(db.session.scalars(select(Region).where(Region.level == Level.KECAMATAN)
                                        .order_by(Region.name)))
    catalogue = skills.catalogue(db.session)
    return render_template(
        "roster/volunteers.html", volunteers=page["items"], next_after=page["next"],
        chosen=chosen, kecamatan=kecamatan, kecamatan_names={k.code: k.name for k in kecamatan},
        skills=catalogue, skill_names={skill.code: skill.name for skill in catalogue},
        kinds=list(VolunteerKind), today=local_today(), expiring_days=support.EXPIRING_DAYS)


@bp.get("/volunteers/<int:volunteer_id>")
@require(Permission.VIEW_ROSTER)
def volunteer(volunteer_id: int):
    """A volunteer's profile: identity, skills, trainings, availability, regu and history."""
    person = volunteer_or_fail(db.session, volunteer_id)
    today, now = local_today(), datetime.now(UTC)
    history = queries.deployments_of(db.session, person.id)
    served = {line.deployment.id: deployments.served(line.deployment, now) for line in history}
    total = sum(served.values(), timedelta(0))
    team = teams.team_of(db.session, person.id)
    return render_template(
        "roster/volunteer.html", volunteer=person, today=today,
        age=rules.age_on(person.birth_date, today), flags=rules.flags_of(person),
        personal=may_see_personal_data(current_user),
        skill_names={skill.code: skill.name for skill in skills.catalogue(db.session)},
        trainings=trainings.trainings_of(db.session, person.id),
        expiring_by=today + timedelta(days=support.EXPIRING_DAYS),
        periods=availability.periods_of(db.session, person.id, from_day=today),
        team=team, leader=team and team.leader_id == person.id,
        history=history, served={key: _hours(value) for key, value in served.items()},
        total_hours=_hours(total))


def _hours(delta: timedelta) -> float:
    return round(delta.total_seconds() / 3600, 1)


def _fresh(form):
    if not form.form_token.data:
        form.form_token.data = uuid.uuid4().hex
    return form


@bp.route("/volunteers/new", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.MANAGE_ROSTER)
def new_volunteer():
    """Register a Tagana or Sahabat Tagana; a resent form registers once."""
    form = _fresh(VolunteerForm())
    if form.is_submitted() and form.form_token.data:
        earlier = idempotency.made_with(db.session, current_user, form.form_token.data)
        if isinstance(earlier, Volunteer):
            return redirect(url_for("roster.volunteer", volunteer_id=earlier.id))
    data = form.load()
    if data is not None:
        try:
            person = _register(data, form.form_token.data)
        except DomainError as error:
            status = show_domain_error(form, error)
            return render_template("roster/volunteer_form.html", form=form, volunteer=None), status
        db.session.commit()
        flash(gettext("%(name)s is on the roster.", name=person.name), "success")
        return redirect(url_for("roster.volunteer", volunteer_id=person.id))
    return render_template("roster/volunteer_form.html", form=form, volunteer=None), \
        form_status(form)


def _register(data, token):
    return roster_volunteers.register_volunteer(db.session, actor=current_user,
                                                idempotency_key=token, **data)


@bp.route("/volunteers/<int:volunteer_id>/edit", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.MANAGE_ROSTER)
def edit_volunteer(volunteer_id: int):
    """Correct a volunteer's record; the NIK box is blank and a blank one keeps the NIK."""
    person = volunteer_or_fail(db.session, volunteer_id)
    form = VolunteerEditForm(data=None if request.method == "POST" else _shown(person))
    data = form.load()
    if data is not None:
        try:
            roster_volunteers.change_volunteer(db.session, actor=current_user,
                                        volunteer_id=person.id, **data)
        except DomainError as error:
            status = show_domain_error(form, error)
            return render_template("roster/volunteer_form.html", form=form,
                                   volunteer=person), status
        db.session.commit()
        flash(gettext("Changes to %(name)s were saved.", name=person.name), "success")
        return redirect(url_for("roster.volunteer", volunteer_id=person.id))
    return render_template("roster/volunteer_form.html", form=form, volunteer=person), \
        form_status(form)


def _shown(person: Volunteer) -> dict:
    """The record as the edit form starts from: no NIK, and the birth date only for readers
    of personal data (a blank box keeps what is recorded)."""
    personal = may_see_personal_data(current_user)
    return {"is_legiun": person.is_legiun, "nia": person.nia or "", "name": person.name,
            "sex": person.sex, "birth_date": person.birth_date.isoformat() if personal else "",
            "phone": person.phone or "", "home_desa_code": person.home_desa_code,
            "home_lon": "" if person.home_lon is None else str(person.home_lon),
            "home_lat": "" if person.home_lat is None else str(person.home_lat),
            "status": person.status, "joined_on": person.joined_on.isoformat(),
            "notes": person.notes or ""}
