"""Regu and the equipment register, phone first: the list of regu with their leaders, forming a
regu under a leader, adding and removing members; boats, trucks and the rest with their status
and where each is deployed now (or is booked to go next), registering and correcting them.

A regu page names its members with their kind, NIA and phone: never NIK or home.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from app.extensions import db
from app.forms_support import form_status, reshows_on_expiry, show_domain_error
from app.roster.blueprint import bp
from app.roster.records_forms import (
    EquipmentEditForm,
    EquipmentForm,
    TeamForm,
    TeamMemberForm,
    fresh,
    replayed,
)
from app.security import require
from logistics.accounts.roles import Permission
from logistics.errors import DomainError
from logistics.roster import equipment, teams
from logistics.roster.deployment_models import (
    EQUIPMENT_KIND_LABELS,
    EQUIPMENT_STATUS_LABELS,
    Equipment,
    EquipmentKind,
    EquipmentStatus,
)
from logistics.roster.lookups import equipment_or_fail, team_or_fail, volunteer_or_fail


def _label(labels, kind, value):
    try:
        return gettext(labels[kind(value)])
    except ValueError:
        return value


def _form(form, title, crumbs, *, write, done, back):
    """Show the form, or post it through ``write``, commit and go to ``back(result)``."""
    data = form.load()
    if data is not None:
        try:
            result = write(data)
        except DomainError as error:
            status = show_domain_error(form, error)
            return render_template("roster/records/form.html", form=form, title=title,
                                   crumbs=crumbs), status
        db.session.commit()
        flash(done(result), "success")
        return redirect(back(result))
    return render_template("roster/records/form.html", form=form, title=title,
                           crumbs=crumbs), form_status(form)


@bp.get("/teams")
@require(Permission.VIEW_ROSTER)
def teams_list():
    """Every regu with its leader and its number of members."""
    return render_template("roster/records/teams.html", lines=teams.team_lines(db.session))


@bp.route("/teams/new", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.MANAGE_ROSTER)
def new_team():
    """Form a regu under an active leader who is in no other regu; members are added next."""
    form = fresh(TeamForm())
    if replayed(form):
        return redirect(url_for("roster.teams_list"))
    return _form(form, gettext("Form a regu"),
                 [(gettext("Regu"), url_for("roster.teams_list"))],
                 write=lambda data: teams.create_team(
                     db.session, actor=current_user, idempotency_key=form.form_token.data,
                     **data),
                 done=lambda team: gettext("Regu %(name)s was formed.", name=team.name),
                 back=lambda team: url_for("roster.team", team_id=team.id))


@bp.get("/teams/<int:team_id>")
@require(Permission.VIEW_ROSTER)
def team(team_id: int):
    """A regu: its leader and members; a coordinator adds a member here."""
    regu = team_or_fail(db.session, team_id)
    return _team_page(regu, TeamMemberForm()), 200


def _team_page(regu, form):
    return render_template("roster/records/team.html", team=regu, form=form,
                           members=teams.members_of(db.session, regu.id))


@bp.post("/teams/<int:team_id>/members")
@reshows_on_expiry
@require(Permission.MANAGE_ROSTER)
def add_team_member(team_id: int):
    """Put an active volunteer who is in no regu into this one."""
    regu = team_or_fail(db.session, team_id)
    form = TeamMemberForm()
    data = form.load()
    if data is None:
        return _team_page(regu, form), form_status(form)
    try:
        added = volunteer_or_fail(db.session, data["volunteer_id"], field="volunteer_id")
        teams.add_member(db.session, actor=current_user, team_id=regu.id, **data)
    except DomainError as error:
        status = show_domain_error(form, error)
        return _team_page(regu, form), status
    db.session.commit()
    flash(gettext("%(name)s is in regu %(team)s.", name=added.name, team=regu.name), "success")
    return redirect(url_for("roster.team", team_id=regu.id))


@bp.post("/teams/<int:team_id>/members/<int:volunteer_id>/remove")
@require(Permission.MANAGE_ROSTER)
def remove_team_member(team_id: int, volunteer_id: int):
    """Take a member out of the regu (its leader only after another leads)."""
    regu = team_or_fail(db.session, team_id)
    person = volunteer_or_fail(db.session, volunteer_id)
    teams.remove_member(db.session, actor=current_user, team_id=regu.id,
                        volunteer_id=person.id)
    db.session.commit()
    flash(gettext("%(name)s left regu %(team)s.", name=person.name, team=regu.name), "success")
    return redirect(url_for("roster.team", team_id=regu.id))


@bp.get("/equipment")
@require(Permission.VIEW_ROSTER)
def equipment_list():
    """The register by kind and code, with status and where each item is deployed."""
    items = equipment.equipment_list(db.session)
    now = datetime.now(UTC)
    return render_template(
        "roster/records/equipment.html", items=items, now=now,
        bookings=equipment.bookings(db.session, [item.id for item in items], now),
        kind_of=lambda value: _label(EQUIPMENT_KIND_LABELS, EquipmentKind, value),
        state_of=lambda value: _label(EQUIPMENT_STATUS_LABELS, EquipmentStatus, value))


@bp.route("/equipment/new", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.MANAGE_ROSTER)
def new_equipment():
    """Register a boat, truck, tank, tent, generator or radio under its code."""
    form = fresh(EquipmentForm())
    if replayed(form):
        return redirect(url_for("roster.equipment_list"))
    return _form(form, gettext("Register equipment"),
                 [(gettext("Equipment"), url_for("roster.equipment_list"))],
                 write=lambda data: equipment.register_equipment(
                     db.session, actor=current_user, idempotency_key=form.form_token.data,
                     **data),
                 done=lambda item: gettext("%(code)s is registered.", code=item.code),
                 back=lambda item: url_for("roster.equipment_list"))


@bp.route("/equipment/<int:equipment_id>/edit", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.MANAGE_ROSTER)
def edit_equipment(equipment_id: int):
    """Correct an item's record or change its status (ready, in maintenance, retired)."""
    item = equipment_or_fail(db.session, equipment_id)
    form = EquipmentEditForm(data=None if request.method == "POST" else _shown(item))
    return _form(form, gettext("Correct %(code)s", code=item.code),
                 [(gettext("Equipment"), url_for("roster.equipment_list"))],
                 write=lambda data: equipment.change_equipment(
                     db.session, actor=current_user, equipment_id=item.id, **data),
                 done=lambda changed: gettext("Changes to %(code)s were saved.",
                                              code=changed.code),
                 back=lambda changed: url_for("roster.equipment_list"))


def _shown(item: Equipment) -> dict:
    return {"code": item.code, "kind": item.kind, "name": item.name,
            "kecamatan_code": item.kecamatan_code or "", "notes": item.notes or "",
            "status": item.status}
