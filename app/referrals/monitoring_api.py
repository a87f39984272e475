"""SLRT monitoring and the caller's queue over the API: the figures and items of the pages."""

from __future__ import annotations

from flask_login import current_user

from app.api_support import ApiBlueprint, answers
from app.extensions import db
from app.security import require
from logistics.accounts.roles import Permission
from logistics.db import utcnow
from logistics.referrals import monitoring, queues
from logistics.referrals import monitoring_schemas as s

blp = ApiBlueprint("slrt_monitoring_api", __name__, url_prefix="/api/v1/slrt",
                   description="SLRT queues and monitoring")


@blp.get("/monitoring")
@answers(404)  # a kecamatan code that names none
@require(Permission.VIEW_CASES)
@blp.arguments(s.AreaQuery, location="query")
@blp.response(200, s.MonitoringOut)
def get_monitoring(args):
    """Cases per step (with overdue and median days), referrals per programme and status,
    cases per source and event, for a desa, a kecamatan or every Puskesos the caller sees."""
    return s.monitoring_out(monitoring.monitoring(db.session, current_user, now=utcnow(),
                                                  **args))


@blp.get("/queue")
@require(Permission.VIEW_CASES)
@blp.arguments(s.QueueQuery, location="query")
@blp.response(200, s.QueuePageOut)
def get_queue(args):
    """What waits for the caller's role in their Puskesos, oldest first."""
    now = utcnow()
    page = queues.queue_page(db.session, current_user, now=now, limit=args["limit"],
                             after=args.get("after"), overdue_only=args["overdue"])
    return {**page, **queues.counts(db.session, current_user, now=now)}
