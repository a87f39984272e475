"""The warehouse map: every warehouse coloured by its stock status, and transfers in transit
as lines from sender to receiver."""

from __future__ import annotations

from app.maps import data, drawing
from app.maps.blueprint import bp
from app.maps.page_support import render_map
from app.security import require
from logistics.accounts.roles import Permission


@bp.get("/warehouses")
@require(Permission.VIEW_STOCK)
def warehouse_map():
    """Which lumbung run low or hold expiring lots, and what is on the road between them."""
    rows = data.warehouse_sites()
    return render_map("maps/warehouses.html", drawing.warehouse_map(rows), rows=rows)
