"""The maps' front page, reached from the menu: every map the user may open, events first."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import select

from app.extensions import db
from app.maps.blueprint import bp
from app.security import require
from logistics.accounts.roles import Permission
from logistics.emergency.models import Event

EVENTS_LISTED = 50


@bp.get("/")
@require(Permission.VIEW_EMERGENCY)
def index():
    """The running events (newest first, then ended ones), the warehouse and roster maps."""
    events = db.session.scalars(
        select(Event).order_by(Event.ended_on.is_not(None), Event.started_on.desc(),
                               Event.id.desc()).limit(EVENTS_LISTED)).all()
    return render_template("maps/index.html", events=events)
