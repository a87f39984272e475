"""The viewer's SLRT queue: what waits for their step, oldest first, overdue marked in words."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from app.extensions import db
from app.referrals.blueprint import bp
from app.security import require
from logistics.accounts.roles import Permission
from logistics.db import utcnow
from logistics.referrals import queues

PAGE_SIZE = 50


@bp.get("/queue")
@require(Permission.VIEW_CASES)
def queue():
    now = utcnow()
    overdue_only = request.args.get("overdue") == "1"
    page = queues.queue_page(db.session, current_user, now=now, limit=PAGE_SIZE,
                             after=request.args.get("after", "")[:80] or None,
                             overdue_only=overdue_only)
    return render_template("referrals/queue.html", page=page, overdue_only=overdue_only,
                           queue=queues.queue_of(current_user.role),
                           counts=queues.counts(db.session, current_user, now=now),
                           first_page=not request.args.get("after"))
