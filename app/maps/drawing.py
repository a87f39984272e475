"""The one place the map pages call the builders of `maps/`: rows in, a map split for the page
out (`maps.embed.MapParts`: stylesheet and script URLs served by the app, the map's <div> and
its script for one nonce'd element), so a page never names a CDN and never inlines unsigned
code. Tiles come from the settings (app/maps/tiles.py), popup links from app/maps/links.py.
"""

from __future__ import annotations

from flask import url_for

from app.maps.links import page_links
from app.maps.tiles import tile_source
from maps.embed import MapParts, map_parts
from maps.event import event_map as build_event_map
from maps.roster import roster_map as build_roster_map
from maps.warehouse import warehouse_map as build_warehouse_map


def asset_url(package: str, filename: str) -> str:
    """A vendored file's URL, with its content hash (app/assets.py serves maps/static too)."""
    return url_for("vendor.vendor_file", package=package, filename=filename)


def event_map(rows, *, event_id: int, print_layout: bool = False) -> MapParts:
    """The event's desa shaded by people displaced, its posko and the warehouses; on paper
    (``print_layout``) with the legend open, a north arrow and no zoom buttons."""
    m = build_event_map(rows.areas, rows.posko, rows.warehouses, links=page_links(event_id),
                        tiles=tile_source(), measure="displaced", print_layout=print_layout)
    return map_parts(m, asset_url)


def warehouse_map(rows) -> MapParts:
    m = build_warehouse_map(rows.warehouses, rows.transfers, links=page_links(),
                            tiles=tile_source())
    return map_parts(m, asset_url)


def roster_map(rows) -> MapParts:
    m = build_roster_map(rows.areas, rows.deployments, links=page_links(), tiles=tile_source())
    return map_parts(m, asset_url)
