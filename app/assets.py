"""Serve front-end packages from PyPI wheels so every page works without internet."""

from __future__ import annotations

from pathlib import Path

import swagger_ui_bundle
import xstatic.pkg.font_awesome
import xstatic.pkg.jquery
import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
from flask import Blueprint, Flask, abort, send_from_directory

VENDOR_DIRS = {
    "leaflet": Path(xstatic.pkg.leaflet.BASE_DIR),
    "leaflet-markercluster": Path(xstatic.pkg.leaflet_markercluster.BASE_DIR),
    "font-awesome": Path(xstatic.pkg.font_awesome.BASE_DIR),
    "jquery": Path(xstatic.pkg.jquery.BASE_DIR),
    "swagger-ui": Path(swagger_ui_bundle.swagger_ui_path),
}

bp = Blueprint("vendor", __name__)


@bp.get("/static/vendor/<package>/<path:filename>")
def vendor_file(package: str, filename: str):
    """Serve one file of a vendored package, cached for a day (the version changes the wheel)."""
    directory = VENDOR_DIRS.get(package)
    if directory is None:
        abort(404)
    return send_from_directory(directory, filename, max_age=86400)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
