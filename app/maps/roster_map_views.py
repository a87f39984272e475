"""The roster map: volunteers available per kecamatan and people deployed per posko, as
counts only; the rows carry no volunteer and no home (maps/rows.py)."""

from __future__ import annotations

from app.maps import data, drawing
from app.maps.blueprint import bp
from app.maps.page_support import render_map
from app.security import require
from logistics.accounts.roles import Permission


@bp.get("/roster")
@require(Permission.VIEW_ROSTER)
def roster_map():
    """Where Tagana can be called from, and how many are at each posko now."""
    rows = data.roster_aggregates()
    return render_map("maps/roster.html", drawing.roster_map(rows), rows=rows)
