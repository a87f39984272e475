"""Which background tiles a map page draws, read from the settings (MAP_TILE_URL,
MAP_TILE_ATTRIBUTION in app/config.py), and the one origin the CSP must then let images from.

"none" or an empty URL means no tiles: a posko without internet, or a server that must not
call out, still gets boundaries, markers and labels on a plain background.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app

from maps.base import TileSource

NO_TILES = ("", "none")


def tile_source() -> TileSource:
    """The configured tiles as the builders take them (TileSource.none() when switched off).

    The attribution is plain text: the builders escape it, so a link written in the setting
    would show as its markup.
    """
    url = str(current_app.config.get("MAP_TILE_URL") or "").strip()
    if url.lower() in NO_TILES:
        return TileSource.none()
    return TileSource(url, str(current_app.config.get("MAP_TILE_ATTRIBUTION") or ""))


def tile_origin(url: str | None) -> str | None:
    """The CSP source for the tile server, or None when the app serves the tiles itself.

    A "{s}" subdomain becomes a wildcard ("https://*.tile.example.org"); a path on this server
    ("/tiles/{z}/{x}/{y}.png") is already covered by 'self'.
    """
    parts = urlsplit(url or "")
    if not parts.netloc:
        return None
    host = parts.netloc
    if "{s}" in host:
        host = "*." + host.split("{s}.", 1)[-1]
    return f"{parts.scheme or 'https'}://{host}"
