"""What the roster's pages and API share: the roster's filters read the same way, and
volunteers dumped for the reader (NIK masked, birth date and home point only for those who
may see them)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import jsonify
from flask_login import current_user
from marshmallow.experimental.context import Context

from app.extensions import db
from logistics.calendar import local_today
from logistics.roster import queries
from logistics.roster.volunteer_schemas import volunteer_out_for

EXPIRING_DAYS = 30  # the page's "certificate expiring" filter


def roster_rows(*, limit: int, after=None, kind=None, status=None, kecamatan_code=None,
                skill_code=None, available_now=False, expiring_within_days=None) -> list:
    """Up to ``limit + 1`` volunteers matching the filters; "available now" is someone
    active, not declared away today and not on a live deployment at this moment."""
    today = local_today()
    if available_now:
        status = status or "active"
    return queries.volunteer_rows(
        db.session, limit=limit, after=after, kind=kind, status=status,
        kecamatan_code=kecamatan_code, skill_code=skill_code,
        free_on=today if available_now else None,
        not_deployed_at=datetime.now(UTC) if available_now else None,
        expiring=(today, today + timedelta(days=expiring_within_days))
        if expiring_within_days is not None else None)


def dumped(schema, value, status: int = 200):
    """``value`` dumped for the current user, as a JSON response."""
    with Context({"viewer": current_user}):
        response = jsonify(schema.dump(value))
    response.status_code = status
    return response


def volunteer_schema(**kwargs):
    """The volunteer output schema this reader may see."""
    return volunteer_out_for(current_user)(**kwargs)
