"""The event situation map: affected desa, posko and the warehouses behind them, for one event
(linked from the event page)."""

from __future__ import annotations

from app.extensions import db
from app.maps import data, drawing
from app.maps.blueprint import bp
from app.maps.page_support import render_map
from app.security import require
from logistics.accounts.roles import Permission
from logistics.emergency.lookups import event_or_fail


@bp.get("/events/<int:event_id>")
@require(Permission.VIEW_EMERGENCY)
def event_map(event_id: int):
    """Where the posko are, who is in them, what they miss, and which desa are hit."""
    event = event_or_fail(db.session, event_id)
    rows = data.event_situation(event.id)
    parts = drawing.event_map(rows, event_id=event.id)
    return render_map("maps/event.html", parts, event=event, rows=rows)
