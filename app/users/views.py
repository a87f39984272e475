"""User administration for admins: list, create, edit, reset a password."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext

from app.extensions import db
from app.forms_support import form_status, show_domain_error
from app.security import require
from app.users.forms import PasswordResetForm, UserCreateForm, UserEditForm, assignment_data
from logistics.accounts import operations as accounts
from logistics.accounts import queries as account_queries
from logistics.accounts import scopes
from logistics.accounts.roles import Permission
from logistics.errors import DomainError

bp = Blueprint("users", __name__, url_prefix="/admin/users", template_folder="templates")


@bp.get("/")
@require(Permission.MANAGE_USERS)
def index():
    users = account_queries.list_users(db.session)
    # What each scoped account is limited to (a keeper's warehouses), so one with none shows.
    scoped = {user.id: scopes.named(db.session, user) for user in users
              if scopes.kinds_for(user.role)}
    return render_template("users/index.html", users=users, scoped=scoped)


@bp.route("/new", methods=["GET", "POST"])
@require(Permission.MANAGE_USERS)
def create():
    form = UserCreateForm()
    data = form.load()
    if data is not None:
        try:
            user = accounts.create_user(db.session, **data)
        except DomainError as error:
            status = show_domain_error(form, error)
            return render_template("users/form.html", form=form, user=None), status
        db.session.commit()
        flash(gettext("User %(username)s was created.", username=user.username), "success")
        return redirect(url_for("users.index"))
    return render_template("users/form.html", form=form, user=None), form_status(form)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@require(Permission.MANAGE_USERS)
def edit(user_id: int):
    user = account_queries.get_user(db.session, user_id)
    form = _edit_form(user)
    password_form = PasswordResetForm(prefix="pw")
    data = form.load() if form.submit.data else None
    if data is not None:
        try:
            accounts.update_user(db.session, user=user, **data)
        except DomainError as error:
            status = show_domain_error(form, error)
            return render_template("users/form.html", form=form, user=user,
                                   password_form=password_form), status
        db.session.commit()
        flash(gettext("Changes to %(username)s were saved.", username=user.username), "success")
        return redirect(url_for("users.index"))
    return render_template("users/form.html", form=form, user=user,
                           password_form=password_form), form_status(form)


@bp.post("/<int:user_id>/password")
@require(Permission.MANAGE_USERS)
def reset_password(user_id: int):
    user = account_queries.get_user(db.session, user_id)
    password_form = PasswordResetForm(prefix="pw")
    data = password_form.load()
    if data is not None:
        try:
            accounts.set_password(db.session, user=user, **data)
        except DomainError as error:
            status = show_domain_error(password_form, error)
            return render_template("users/form.html", form=_edit_form(user, shown_only=True),
                                   user=user, password_form=password_form), status
        db.session.commit()
        flash(gettext("The password of %(username)s was changed.", username=user.username),
              "success")
        return redirect(url_for("users.edit", user_id=user.id))
    return render_template("users/form.html", form=_edit_form(user, shown_only=True),
                           user=user, password_form=password_form), 422


def _edit_form(user, *, shown_only=False) -> UserEditForm:
    """The edit form filled from the account, its assignments (a keeper's warehouses) ticked.

    ``shown_only``: beside another form's answer (the password reset), so this request's
    input is not this form's and must not untick what is stored.
    """
    extra = {"formdata": None} if shown_only else {}
    return UserEditForm(obj=user, **extra, **assignment_data(db.session, user))
