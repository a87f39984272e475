"""The map pages' service worker, served from /maps/ so that its scope is the map pages.

Why a service worker and not localStorage: the maps are drawn by the server (folium), so the
data a posko needs is the page itself, not a GeoJSON a script could keep; a worker can keep
the whole page and its files, answer a reload when the network is gone, and does it for
every map page (and /api/v1/geo GETs they make) without each page carrying its own code.
What it keeps is what the page showed: maps carry no personal data (maps/rows.py), and a
page answered with a login redirect or a refusal drops its copy (app/static/maps/offline-worker.js).
"""

from __future__ import annotations

from flask import current_app, send_from_directory

from app.maps.blueprint import bp
from app.security import require
from logistics.accounts.roles import Permission

WORKER = "maps/offline-worker.js"


@bp.get("/offline-worker.js")
@require(Permission.VIEW_EMERGENCY)
def offline_worker():
    """The worker script, revalidated on each registration so a deploy replaces it."""
    response = send_from_directory(current_app.static_folder, WORKER, max_age=0,
                                   mimetype="text/javascript")
    response.cache_control.no_cache = True
    return response
