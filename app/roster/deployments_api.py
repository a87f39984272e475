"""Dispatch and deployments over the API: send people and equipment to a posko (once per
Idempotency-Key, a clash a 409 naming the deployment it meets), list who is deployed where,
check in, check out, end early or cancel, and the hours served in an event."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_login import current_user

from app.api_support import ApiBlueprint
from app.extensions import db
from app.pagination import keyset_page, page_schema
from app.security import require
from app.stock.api import IdempotencyHeader
from logistics.accounts.roles import Permission
from logistics.emergency.lookups import event_or_fail
from logistics.roster import board, deployments, dispatch
from logistics.roster import board_schemas as bs
from logistics.roster import dispatch_schemas as ds

blp = ApiBlueprint("roster_deployments_api", __name__, url_prefix="/api/v1/roster",
                   description="Dispatch to posko, deployments, check-in and hours served")

DeploymentPage = page_schema(bs.DeploymentLineOut, "DeploymentPage")


def line_row(line: board.BoardLine) -> dict:
    """A board line as `DeploymentLineOut` reads it."""
    return {**{name: getattr(line.deployment, name) for name in ds.DeploymentOut().fields},
            "dispatch_number": line.dispatch_number, "posko_name": line.posko_name,
            "volunteer_name": line.volunteer_name, "equipment_name": line.equipment_name,
            "team_name": line.team_name}


@blp.get("/deployments")
@require(Permission.VIEW_ROSTER)
@blp.arguments(bs.DeploymentQuery, location="query")
@blp.response(200, DeploymentPage)
def get_deployments(args):
    """Deployments by id, filtered by event, posko, volunteer, item and whether still live."""
    limit = args.pop("limit")
    active = args.pop("active")
    rows = board.deployment_rows(db.session, limit=limit,
                                 active_at=datetime.now(UTC) if active else None, **args)
    page = keyset_page(rows, limit=limit, key=lambda line: str(line.deployment.id))
    return {"items": [line_row(line) for line in page["items"]], "next": page["next"]}


@blp.post("/dispatches")
@require(Permission.DISPATCH)
@blp.arguments(ds.DispatchIn)
@blp.arguments(IdempotencyHeader, location="headers")
@blp.response(201, ds.DispatchOut)
def post_dispatch(data, header):
    """Send volunteers, a regu and equipment to a posko for a period, all or nothing. A
    volunteer or item already deployed for an overlapping period is a 409 naming that
    deployment's dispatch, posko and period; a retry with the same Idempotency-Key returns
    the first answer and books nobody twice."""
    record = dispatch.dispatch(db.session, actor=current_user, idempotency_key=header["key"],
                               **data)
    db.session.commit()
    return record


@blp.post("/deployments/<int:deployment_id>/check-in")
@require(Permission.DISPATCH)
@blp.arguments(ds.MomentIn, required=False)
@blp.response(200, ds.DeploymentOut)
def post_check_in(data, deployment_id):
    """Record arrival at the posko (now, or the time given); a second check-in is a 409."""
    return _done(deployments.check_in(db.session, actor=current_user,
                                      deployment_id=deployment_id, **(data or {})))


@blp.post("/deployments/<int:deployment_id>/check-out")
@require(Permission.DISPATCH)
@blp.arguments(ds.MomentIn, required=False)
@blp.response(200, ds.DeploymentOut)
def post_check_out(data, deployment_id):
    """Record leaving the posko; before check-in it is a 409, a time before the check-in a
    422 on `at`. The rest of the booked period is free again."""
    return _done(deployments.check_out(db.session, actor=current_user,
                                       deployment_id=deployment_id, **(data or {})))


@blp.post("/deployments/<int:deployment_id>/end")
@require(Permission.DISPATCH)
@blp.arguments(ds.EndIn)
@blp.response(200, ds.DeploymentOut)
def post_end(data, deployment_id):
    """End a checked-in deployment early, with the reason (posko closed, volunteer ill)."""
    return _done(deployments.end_early(db.session, actor=current_user,
                                       deployment_id=deployment_id, **data))


@blp.post("/deployments/<int:deployment_id>/cancel")
@require(Permission.DISPATCH)
@blp.arguments(ds.CancelIn)
@blp.response(200, ds.DeploymentOut)
def post_cancel(data, deployment_id):
    """Call off a deployment before check-in (a no-show): its whole period is free again."""
    return _done(deployments.cancel(db.session, actor=current_user,
                                    deployment_id=deployment_id, **data))


def _done(deployment):
    db.session.commit()
    return deployment


@blp.get("/events/<int:event_id>/hours")
@require(Permission.VIEW_ROSTER)
@blp.response(200, bs.EventHoursReportOut)
def get_event_hours(event_id):
    """Hours served in the event, per volunteer (check-in to check-out, a stay still open
    counted until now) and in all."""
    event = event_or_fail(db.session, event_id)
    return board.event_hours(db.session, event, now=datetime.now(UTC))
