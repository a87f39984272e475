"""What every map page shares: the tile server let through the CSP (only when tiles are set)
and the moment its data was read, which the offline banner repeats when the page is shown
from the browser's copy."""

from __future__ import annotations

from flask import render_template

from app.headers import allow_images_from
from app.maps.tiles import tile_origin, tile_source
from logistics.db import utcnow
from maps.embed import MapParts


def render_map(template: str, parts: MapParts, **context):
    """Render a map page: its images may come from the tile server, nothing else changes."""
    tiles = tile_source()
    origin = tile_origin(tiles.url_template)
    if origin:
        allow_images_from(origin)
    return render_template(template, parts=parts, data_read_at=utcnow(),
                           has_tiles=tiles.url_template is not None, **context)
