"""What every map page shares: the tile server let through the CSP (only when tiles are set)
and the moment its data was read, which the offline banner repeats when the page is shown
from the browser's copy."""

from __future__ import annotations

from flask import render_template

from app.headers import allow_images_from
from app.maps.drawing import MapEmbed
from app.maps.tiles import tile_origin, tile_setting
from logistics.db import utcnow


def render_map(template: str, embed: MapEmbed, **context):
    """Render a map page: its images may come from the tile server, nothing else changes."""
    tiles = tile_setting()
    origin = tile_origin(tiles.url) if tiles else None
    if origin:
        allow_images_from(origin)
    return render_template(template, embed=embed, data_read_at=utcnow(), has_tiles=bool(tiles),
                           **context)
