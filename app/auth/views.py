"""Log in and out, switch language, manage one's own API tokens."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user

from app.auth.forms import EmptyForm, LoginForm, PasswordChangeForm, TokenForm
from app.extensions import db
from app.forms_support import form_status, show_domain_error
from app.security import end_session, password_attempts, require, start_session
from logistics.accounts import operations as accounts
from logistics.accounts import queries as account_queries
from logistics.db import utcnow
from logistics.errors import DomainError, Unauthenticated

bp = Blueprint("auth", __name__, template_folder="templates")


def _safe_next(target: str | None) -> str:
    """Only follow a same-site path after login, never an outside address."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(
        target
    ).netloc:
        return target
    return url_for("main.home")


@bp.route("/login", methods=["GET", "POST"])
@password_attempts
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    data = form.load()
    if data is not None:
        try:
            user = accounts.authenticate(
                db.session, username=data["username"], password=data["password"]
            )
        except Unauthenticated:
            db.session.rollback()
            form.password.errors.append(gettext("Invalid username or password."))
            return render_template("auth/login.html", form=form), 401
        start_session(user)
        db.session.commit()
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form), form_status(form)


@bp.post("/logout")
def logout():
    end_session()
    db.session.commit()
    flash(gettext("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/account/sessions/end")
@require()
def end_all_sessions():
    """Log out on every device: a lost phone, a posko computer left logged in."""
    accounts.end_all_sessions(db.session, user=current_user)
    end_session()
    db.session.commit()
    flash(gettext("You have been logged out on every device."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/language/<code>")
def set_language(code: str):
    """Remember the chosen language for this session and, when logged in, for the user."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = code
    if current_user.is_authenticated:
        accounts.set_locale(db.session, user=current_user, locale=code)
        db.session.commit()
    return redirect(_safe_next(request.form.get("next")))


@bp.route("/account/tokens", methods=["GET", "POST"])
@require()
def tokens():
    form = TokenForm()
    issued = None
    data = form.load()
    if data is not None:
        issued = accounts.issue_token(
            db.session, user=current_user, name=data["name"],
            valid_for=timedelta(days=data["days"]),
        ).secret
        db.session.commit()
        form = TokenForm(formdata=None)
    return render_template(
        "auth/tokens.html", form=form, issued=issued, revoke_form=EmptyForm(),
        tokens=account_queries.list_tokens(db.session, current_user), now=utcnow(),
    ), form_status(form)


@bp.post("/account/tokens/<int:token_id>/revoke")
@require()
def revoke_token(token_id: int):
    accounts.revoke_token(db.session, user=current_user, token_id=token_id)
    db.session.commit()
    flash(gettext("The token was revoked."), "success")
    return redirect(url_for("auth.tokens"))


@bp.route("/account/password", methods=["GET", "POST"])
@require()
@password_attempts
def change_password():
    """Change one's own password; other devices logged in with the old one are logged out."""
    form = PasswordChangeForm()
    data = form.load()
    if data is not None:
        try:
            accounts.change_own_password(
                db.session, user=current_user, current_password=data["current_password"],
                new_password=data["new_password"],
            )
        except DomainError as error:
            status = show_domain_error(form, error)  # before rendering, so the page shows it
            return render_template("auth/password.html", form=form), status
        start_session(current_user._get_current_object())  # this device stays logged in
        db.session.commit()
        flash(gettext("Your password was changed."), "success")
        return redirect(url_for("main.home"))
    return render_template("auth/password.html", form=form), form_status(form)
