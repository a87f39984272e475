"""Keeping a household right, page by page: a member added, corrected, moved to another
household, or gone (died, left); and the register status the back office checked.

Each page loads the household with the Puskesos check for its permission before it shows a
form (403 elsewhere), the schema checks the form as it checks the API body, and the operation
refuses what needs the database, on the field it names.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from app.extensions import db
from app.forms_support import form_status, reshows_on_expiry, show_domain_error
from app.referrals import household_forms as f
from app.referrals.blueprint import bp
from app.security import require
from logistics.accounts.roles import Permission
from logistics.calendar import local_today
from logistics.errors import DomainError, PermissionDenied
from logistics.referrals import errors, household_queries, households
from logistics.referrals.models import Household

MEMBER_PAGE = "referrals/household_member_form.html"


def _household(household_id: int, permission=Permission.REGISTER_CASES) -> Household:
    return household_queries.household_for(db.session, current_user, household_id, permission)


def _back(household: Household, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("referrals.household", household_id=household.id))


def _page(form, household, title, status=None, member=None):
    return render_template(MEMBER_PAGE, form=form, household=household, title=title,
                           member=member), status or form_status(form)


@bp.route("/households/<int:household_id>/members/new", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.REGISTER_CASES)
def new_member(household_id: int):
    """Someone joins: a birth, a marriage, a relative taken in."""
    household = _household(household_id)
    form = f.MemberForm(data=None if request.method == "POST" else {
        "started_on": local_today().isoformat()})
    title = gettext("Add a member")
    data = form.load()
    if data is not None:
        try:
            made = households.add_member(db.session, actor=current_user,
                                         household_id=household.id, **data)
        except DomainError as error:
            return _page(form, household, title, show_domain_error(form, error))
        return _back(household, gettext("%(name)s added.", name=made.person.name))
    return _page(form, household, title)


@bp.route("/households/<int:household_id>/members/<int:person_id>/edit",
          methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.REGISTER_CASES)
def edit_member(household_id: int, person_id: int):
    """Correct a member; a NIK box left blank keeps the NIK on record."""
    household = _household(household_id)
    member = household_queries.member_of(db.session, household, person_id)
    person = member.person
    form = f.MemberEditForm(data=None if request.method == "POST" else {
        "name": person.name, "sex": person.sex, "relation": member.relation,
        "birth_date": person.birth_date.isoformat() if person.birth_date else "",
        "is_disabled": person.is_disabled, "disability": person.disability or ""})
    title = gettext("Correct %(name)s", name=person.name)
    data = form.load()
    if data is not None:
        try:
            households.edit_member(db.session, actor=current_user, household_id=household.id,
                                   person_id=person.id, **data)
        except DomainError as error:
            return _page(form, household, title, show_domain_error(form, error), member)
        return _back(household, gettext("Changes to %(name)s were saved.", name=person.name))
    return _page(form, household, title, member=member)


@bp.route("/households/<int:household_id>/members/<int:person_id>/move",
          methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.REGISTER_CASES)
def move_member(household_id: int, person_id: int):
    """The member moves to another registered household, named by its No. KK."""
    household = _household(household_id)
    member = household_queries.member_of(db.session, household, person_id)
    form = f.MoveForm(data=None if request.method == "POST" else {
        "on": local_today().isoformat(), "relation": "lainnya"})
    form.relation.choices = f.relation_choices()
    f.head_choices(form, household, person_id)
    title = gettext("Move %(name)s", name=member.person.name)
    data = form.load()
    if data is not None:
        try:
            target = household_queries.household_by_kk(db.session, data.pop("to_kk_number"))
            households.move_member(db.session, actor=current_user, household_id=household.id,
                                   person_id=person_id, to_household_id=target.id, **data)
        except errors.UnknownHousehold as error:
            error.field = "to_kk_number"
            return _page(form, household, title, show_domain_error(form, error), member)
        except DomainError as error:
            return _page(form, household, title, show_domain_error(form, error), member)
        return _back(household, gettext("The move of %(name)s was recorded.",
                                        name=member.person.name))
    return _page(form, household, title, member=member)


@bp.route("/households/<int:household_id>/members/<int:person_id>/end",
          methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.REGISTER_CASES)
def end_membership(household_id: int, person_id: int):
    """The member died or left for somewhere not registered here."""
    household = _household(household_id)
    member = household_queries.member_of(db.session, household, person_id)
    form = f.EndForm(data=None if request.method == "POST" else {
        "on": local_today().isoformat()})
    f.head_choices(form, household, person_id)
    title = gettext("%(name)s no longer lives here", name=member.person.name)
    data = form.load()
    if data is not None:
        try:
            households.end_membership(db.session, actor=current_user,
                                      household_id=household.id, person_id=person_id, **data)
        except DomainError as error:
            return _page(form, household, title, show_domain_error(form, error), member)
        return _back(household, gettext("%(name)s no longer lives here.",
                                        name=member.person.name))
    return _page(form, household, title, member=member)


@bp.route("/households/<int:household_id>/register-status", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.VIEW_CASES)
def register_status(household_id: int):
    """Record a check in DTKS / DTSEN: the back office's, or the front office's."""
    household = _household(household_id, Permission.VIEW_CASES)
    if not households.may_update_register(db.session, current_user, household):
        raise PermissionDenied()
    form = f.RegisterStatusForm(data=None if request.method == "POST" else {
        "register": household.register or "", "checked_on": local_today().isoformat(),
        "welfare_decile": household.welfare_decile or ""})
    title = gettext("Register status")
    data = form.load()
    if data is not None:
        try:
            households.update_register_status(db.session, actor=current_user,
                                              household_id=household.id, **data)
        except DomainError as error:
            return _page(form, household, title, show_domain_error(form, error))
        return _back(household, gettext("Register status saved."))
    return _page(form, household, title)
