"""Which background tiles a map page draws, read from the settings (MAP_TILE_URL,
MAP_TILE_ATTRIBUTION in app/config.py), and the one origin the CSP must then let images from.

"none" or an empty URL means no tiles: a posko without internet, or a server that must not
call out, still gets boundaries, markers and labels on a plain background.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app

NO_TILES = ("", "none")


@dataclass(frozen=True)
class TileSetting:
    """The tile URL template (Leaflet's {z}/{x}/{y}, maybe {s}) and its attribution."""

    url: str
    attribution: str


def tile_setting() -> TileSetting | None:
    """The configured tiles, or None when the map draws without any."""
    url = str(current_app.config.get("MAP_TILE_URL") or "").strip()
    if url.lower() in NO_TILES:
        return None
    return TileSetting(url, str(current_app.config.get("MAP_TILE_ATTRIBUTION") or ""))


def tile_origin(url: str) -> str | None:
    """The CSP source for the tile server, or None when the app serves the tiles itself.

    A "{s}" subdomain becomes a wildcard ("https://*.tile.example.org"); a path on this server
    ("/tiles/{z}/{x}/{y}.png") is already covered by 'self'.
    """
    parts = urlsplit(url)
    if not parts.netloc:
        return None
    host = parts.netloc
    if "{s}" in host:
        host = "*." + host.split("{s}.", 1)[-1]
    return f"{parts.scheme or 'https'}://{host}"
