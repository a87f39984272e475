"""The board's buttons: check in, check out, end early and cancel one deployment.

Each is a POST with its CSRF token and an optional time (``at``, local time, for a volunteer
who arrived before anyone pressed the button). A refusal shows the board again with the
message beside that deployment's row (check-out before check-in, a time before the check-in,
too early, a reason missing), at the status the API gives it. A double tap finds the
deployment already where the first tap moved it, and says so instead of failing.
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from marshmallow import ValidationError

from app.errors import field_messages, status_for
from app.extensions import db
from app.forms_support import reshows_on_expiry
from app.i18n import translate_error
from app.roster.blueprint import bp
from app.roster.board_views import render_board
from app.security import require
from logistics.accounts.roles import Permission
from logistics.emergency.lookups import event_or_fail
from logistics.errors import DomainError
from logistics.roster import board, deployments
from logistics.roster.deployment_models import DeploymentStatus
from logistics.roster.dispatch_schemas import CancelIn, EndIn, MomentIn

DONE = {
    "check_in": _l("%(who)s checked in."),
    "check_out": _l("%(who)s checked out."),
    "end": _l("The deployment of %(who)s was ended."),
    "cancel": _l("The deployment of %(who)s was cancelled."),
}
VERBS = {
    "check_in": (deployments.check_in, MomentIn, DeploymentStatus.CHECKED_IN),
    "check_out": (deployments.check_out, MomentIn, DeploymentStatus.ENDED),
    "end": (deployments.end_early, EndIn, DeploymentStatus.ENDED),
    "cancel": (deployments.cancel, CancelIn, DeploymentStatus.CANCELLED),
}


def _act(deployment_id: int, verb: str):
    operation, schema, target = VERBS[verb]
    deployment = deployments.deployment_or_fail(db.session, deployment_id)
    event = event_or_fail(db.session, deployment.event_id)
    back = url_for("roster.board_page", event_id=event.id, _anchor=f"posko-{deployment.posko_id}")
    if not FlaskForm().validate_on_submit():
        return _refused(event, deployment_id, [gettext(
            "The form has expired; please try again.")], 400)
    typed = {name: (request.form.get(name) or "").strip() for name in schema().fields}
    try:
        data = schema().load({name: value for name, value in typed.items() if value})
    except ValidationError as error:
        return _refused(event, deployment_id, [message for messages in field_messages(
            error.messages).values() for message in messages], 422)
    who = board.subject_name(db.session, deployment)
    try:
        operation(db.session, actor=current_user, deployment_id=deployment_id, **data)
    except DomainError as error:
        db.session.rollback()
        if deployments.deployment_or_fail(db.session, deployment_id).status == target:
            flash(DONE[verb] % {"who": who}, "info")  # a double tap: the first one did it
            return redirect(back, 303)
        problems = getattr(error, "problems", None) or [error]
        return _refused(event, deployment_id, [translate_error(p) for p in problems],
                        status_for(error))
    db.session.commit()
    flash(DONE[verb] % {"who": who}, "success")
    return redirect(back, 303)


def _refused(event, deployment_id: int, messages: list[str], status: int):
    db.session.rollback()
    return render_board(event, row_errors={deployment_id: messages}, status=status)


@bp.post("/deployments/<int:deployment_id>/check-in")
@reshows_on_expiry
@require(Permission.DISPATCH)
def deployment_check_in(deployment_id: int):
    return _act(deployment_id, "check_in")


@bp.post("/deployments/<int:deployment_id>/check-out")
@reshows_on_expiry
@require(Permission.DISPATCH)
def deployment_check_out(deployment_id: int):
    return _act(deployment_id, "check_out")


@bp.post("/deployments/<int:deployment_id>/end")
@reshows_on_expiry
@require(Permission.DISPATCH)
def deployment_end(deployment_id: int):
    return _act(deployment_id, "end")


@bp.post("/deployments/<int:deployment_id>/cancel")
@reshows_on_expiry
@require(Permission.DISPATCH)
def deployment_cancel(deployment_id: int):
    return _act(deployment_id, "cancel")
