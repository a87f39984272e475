"""The event map on paper for the posko wall: A4 or A3 landscape (?paper=a3), with title,
date and data time around the map, which draws its own legend, scale and north arrow
(print_layout); the sheet's size comes from its own @page stylesheet."""

from __future__ import annotations

from flask import request

from app.extensions import db
from app.maps import data, drawing
from app.maps.blueprint import bp
from app.maps.page_support import render_map
from app.security import require
from logistics.accounts.roles import Permission
from logistics.calendar import local_today
from logistics.emergency.lookups import event_or_fail

PAPERS = ("a4", "a3")


@bp.get("/events/<int:event_id>/print")
@require(Permission.VIEW_EMERGENCY)
def event_map_print(event_id: int):
    """A printable sheet; an unknown paper falls back to A4 rather than failing on the wall."""
    paper = request.args.get("paper", "a4").lower()
    if paper not in PAPERS:
        paper = "a4"
    event = event_or_fail(db.session, event_id)
    rows = data.event_situation(event.id)
    parts = drawing.event_map(rows, event_id=event.id, print_layout=True)
    return render_map("maps/print.html", parts, event=event, rows=rows, paper=paper,
                      papers=PAPERS, printed_on=local_today())
