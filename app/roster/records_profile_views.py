"""From a volunteer's profile: a skill and its level, a training with its certificate, days the
volunteer cannot come (and taking back ones not over yet), and the promotion of a Sahabat Tagana
to Tagana. Each form posts through the domain operation and comes back to the profile.

A form's one-time token is its idempotency key: a double tap records one training, one period,
one promotion; a token already used goes straight back to the profile, before the date-bound
rules are judged again (a resend after midnight is a replay, not a new request).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from app.extensions import db
from app.forms_support import form_status, reshows_on_expiry, show_domain_error
from app.roster.blueprint import bp
from app.roster.records_forms import (
    PromotionForm,
    SkillLevelForm,
    TrainingForm,
    UnavailabilityForm,
    fresh,
    replayed,
)
from app.security import require
from logistics.accounts.roles import Permission
from logistics.errors import DomainError
from logistics.roster import availability, promotions, skills, trainings
from logistics.roster.lookups import volunteer_or_fail
from logistics.roster.models import TRAINING_KIND_LABELS, TrainingKind, VolunteerKind

TEMPLATE = "roster/records/volunteer_form.html"


def _back(person):
    return redirect(url_for("roster.volunteer", volunteer_id=person.id))


def _form_page(form, person, *, title, write, done, **context):
    """Show the form, or post it through ``write`` and go back to the profile; a refusal
    rolls back and lands on its field with everything typed kept."""
    data = form.load()
    if data is not None:
        try:
            write(data)
        except DomainError as error:
            status = show_domain_error(form, error)
            return render_template(TEMPLATE, form=form, volunteer=person, title=title,
                                   **context), status
        db.session.commit()
        flash(done, "success")
        return _back(person)
    return render_template(TEMPLATE, form=form, volunteer=person, title=title, **context), \
        form_status(form)


@bp.route("/volunteers/<int:volunteer_id>/skills", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.MANAGE_ROSTER)
def volunteer_skill(volunteer_id: int):
    """Add a skill at a level, or change the level of one held (``?skill_code=`` picks it)."""
    person = volunteer_or_fail(db.session, volunteer_id)
    held = {line.skill_code: line.level for line in person.skills}
    chosen = request.args.get("skill_code", "")
    start = None if request.method == "POST" else (
        {"skill_code": chosen, "level": str(held[chosen])} if chosen in held else None)
    form = SkillLevelForm(data=start)
    return _form_page(
        form, person, title=gettext("Skill of %(name)s", name=person.name),
        write=lambda data: skills.set_volunteer_skill(
            db.session, actor=current_user, volunteer_id=person.id, **data),
        done=gettext("The skill of %(name)s was saved.", name=person.name))


@bp.post("/volunteers/<int:volunteer_id>/skills/<code:skill_code>/remove")
@require(Permission.MANAGE_ROSTER)
def remove_volunteer_skill(volunteer_id: int, skill_code: str):
    """Take one skill off the volunteer."""
    person = volunteer_or_fail(db.session, volunteer_id)
    skills.remove_volunteer_skill(db.session, actor=current_user, volunteer_id=person.id,
                                  skill_code=skill_code)
    db.session.commit()
    flash(gettext("The skill was removed from %(name)s.", name=person.name), "success")
    return _back(person)


@bp.route("/volunteers/<int:volunteer_id>/trainings/new", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.MANAGE_ROSTER)
def new_training(volunteer_id: int):
    """Record a completed diklat with its certificate number, dates and expiry."""
    person = volunteer_or_fail(db.session, volunteer_id)
    form = fresh(TrainingForm())
    if replayed(form):
        return _back(person)
    return _form_page(
        form, person, title=gettext("Record a training of %(name)s", name=person.name),
        write=lambda data: trainings.record_training(
            db.session, actor=current_user, volunteer_id=person.id,
            idempotency_key=form.form_token.data, **data),
        done=gettext("The training of %(name)s was recorded.", name=person.name))


@bp.route("/volunteers/<int:volunteer_id>/unavailable/new", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.MANAGE_ROSTER)
def new_unavailability(volunteer_id: int):
    """Declare days the volunteer cannot be sent (both ends included)."""
    person = volunteer_or_fail(db.session, volunteer_id)
    form = fresh(UnavailabilityForm())
    if replayed(form):
        return _back(person)
    return _form_page(
        form, person, title=gettext("Days %(name)s cannot come", name=person.name),
        write=lambda data: availability.declare_unavailable(
            db.session, actor=current_user, volunteer_id=person.id,
            idempotency_key=form.form_token.data, **data),
        done=gettext("The unavailable days of %(name)s were recorded.", name=person.name))


@bp.post("/volunteers/<int:volunteer_id>/unavailable/<int:unavailability_id>/withdraw")
@require(Permission.MANAGE_ROSTER)
def withdraw_unavailability(volunteer_id: int, unavailability_id: int):
    """Take back a period not over yet: the volunteer can come after all."""
    person = volunteer_or_fail(db.session, volunteer_id)
    availability.withdraw_unavailable(db.session, actor=current_user, volunteer_id=person.id,
                                      unavailability_id=unavailability_id)
    db.session.commit()
    flash(gettext("%(name)s can be sent on those days again.", name=person.name), "success")
    return _back(person)


@bp.route("/volunteers/<int:volunteer_id>/promote", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.MANAGE_ROSTER)
def promote(volunteer_id: int):
    """Make a Sahabat Tagana a Tagana with the NIA assigned; the profile keeps the history."""
    person = volunteer_or_fail(db.session, volunteer_id)
    form = fresh(PromotionForm())
    if replayed(form):
        return _back(person)
    if person.kind == VolunteerKind.TAGANA and request.method == "GET":
        flash(gettext("%(name)s is already Tagana.", name=person.name), "info")
        return _back(person)
    lacking = [gettext(TRAINING_KIND_LABELS[TrainingKind(kind)]) for kind in _lacking(person)]
    return _form_page(
        form, person, title=gettext("Promote %(name)s to Tagana", name=person.name),
        write=lambda data: promotions.promote(
            db.session, actor=current_user, volunteer_id=person.id,
            idempotency_key=form.form_token.data, **data),
        done=gettext("%(name)s is now Tagana.", name=person.name), lacking=lacking)


def _lacking(person) -> tuple[str, ...]:
    """What the promotion ladder still asks of this Sahabat Tagana (none for a Tagana)."""
    if person.kind != VolunteerKind.SAHABAT:
        return ()
    kecamatan = person.home_desa.parent_code if person.home_desa else None
    for group in promotions.pipeline(db.session, kecamatan_code=kecamatan):
        for line in group.volunteers:
            if line.volunteer_id == person.id:
                return line.lacking
    return ()
