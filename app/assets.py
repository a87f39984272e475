"""Serve front-end files from the app itself (a posko may have no internet), light enough for a
phone on 3G: every file URL carries a hash of its content, so the browser keeps it for a year
without asking again, and a new version simply has a new URL.

`url_for` adds the hash (`?v=...`) for the app's static files, Bootstrap-Flask's local files
and the vendored packages; a file asked for with its current hash is answered with
`Cache-Control: public, max-age=31536000, immutable`, one asked for without a hash or with an
old one with `no-cache`. Compression (Flask-Compress, brotli or gzip) is set up in
`app/__init__.py`.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache, lru_cache
from pathlib import Path

import flask_bootstrap
import swagger_ui_bundle
import xstatic.pkg.font_awesome
import xstatic.pkg.jquery
import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
from flask import Blueprint, Flask, Response, abort, current_app, request, send_from_directory
from flask.sessions import SecureCookieSessionInterface
from werkzeug.security import safe_join

import maps.assets

VENDOR_DIRS = {
    "leaflet": Path(xstatic.pkg.leaflet.BASE_DIR),
    "leaflet-markercluster": Path(xstatic.pkg.leaflet_markercluster.BASE_DIR),
    "font-awesome": Path(xstatic.pkg.font_awesome.BASE_DIR),
    "jquery": Path(xstatic.pkg.jquery.BASE_DIR),
    "swagger-ui": Path(swagger_ui_bundle.swagger_ui_path),
    # The maps' own script and style (maps/static), named by the builders (maps/assets.py).
    maps.assets.PACKAGE: maps.assets.STATIC_DIR,
}

# Endpoints that serve files; their URLs get the content hash.
HASHED_ENDPOINTS = frozenset({"static", "bootstrap.static", "vendor.vendor_file"})
YEAR = 31536000

bp = Blueprint("vendor", __name__)


@bp.get("/static/vendor/<package>/<path:filename>")
def vendor_file(package: str, filename: str):
    """Serve one file of a vendored package; unhashed (Swagger UI asks so) cached for a day."""
    generated = GENERATED.get((package, filename))
    if generated is not None:
        return Response(generated(), mimetype="text/css")
    directory = VENDOR_DIRS.get(package)
    if directory is None:
        abort(404)
    return send_from_directory(directory, filename, max_age=86400)


# --- Icons: only the Bootstrap icons the pages use, drawn from one small stylesheet ---------
#
# The icon font is 131 KB plus 87 KB of CSS for some 2,000 icons; the pages use about 25. The
# stylesheet below draws each icon in use as a CSS mask of its SVG (from Bootstrap-Flask's own
# sprite), in the text colour, so templates keep writing `<i class="bi bi-truck"></i>`. It is
# built once per process from the icon classes written in the app's templates and code (an
# icon named in Python must be written with its `bi-` prefix, as app/main/tasks.py does); a
# class naming no Bootstrap icon draws nothing, and tests/app/test_assets.py says which.

ICON_CLASS = re.compile(r"\bbi-([a-z0-9]+(?:-[a-z0-9]+)*)")
ICON_SPRITE = Path(flask_bootstrap.__file__).parent / "static/bootstrap5/icons/bootstrap-icons.svg"
SYMBOL = re.compile(r'<symbol [^>]*viewBox="([^"]+)"[^>]*id="([^"]+)">(.*?)</symbol>', re.S)
ICON_BASE = (
    ".bi{display:inline-block;width:1em;height:1em;vertical-align:-.125em;"
    "background-color:currentColor;-webkit-mask:var(--bi) center/contain no-repeat;"
    "mask:var(--bi) center/contain no-repeat}\n"
    # Windows high-contrast mode replaces backgrounds: keep the icons in the text colour.
    "@media (forced-colors:active){.bi{background-color:CanvasText;forced-color-adjust:none}}\n"
)


def icons_in_use(root: Path) -> set[str]:
    """The Bootstrap icon names written in the app's templates and Python code."""
    names: set[str] = set()
    for source in [*root.rglob("*.html"), *root.rglob("*.py")]:
        names.update(ICON_CLASS.findall(source.read_text(encoding="utf-8")))
    return names


def _data_url(view_box: str, body: str) -> str:
    svg = (f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='{view_box}'>"
           f"{body.replace(chr(34), chr(39))}</svg>")
    for char, code in (("%", "%25"), ("#", "%23"), ("<", "%3C"), (">", "%3E")):
        svg = svg.replace(char, code)
    return f'url("data:image/svg+xml,{svg}")'


@cache
def _icon_stylesheet(root: str) -> bytes:
    wanted = icons_in_use(Path(root))
    rules = [ICON_BASE]
    for view_box, name, body in SYMBOL.findall(ICON_SPRITE.read_text(encoding="utf-8")):
        if name in wanted:
            rules.append(f".bi-{name}{{--bi:{_data_url(view_box, body)}}}\n")
    return "".join(rules).encode()


def icon_stylesheet() -> bytes:
    return _icon_stylesheet(current_app.root_path)


GENERATED = {("bootstrap-icons", "icons.css"): icon_stylesheet}


# --- Content hashes in file URLs --------------------------------------------------------------

def _source(endpoint: str, values: dict) -> Path | bytes | None:
    """The file (or generated content) a file URL names, or None if there is none."""
    filename = values.get("filename")
    if filename is None:
        return None
    if endpoint == "vendor.vendor_file":
        generated = GENERATED.get((values.get("package"), filename))
        if generated is not None:
            return generated()
        root = VENDOR_DIRS.get(values.get("package"))
    elif endpoint == "static":
        root = current_app.static_folder
    else:
        blueprint = current_app.blueprints.get(endpoint.rpartition(".")[0])
        root = blueprint.static_folder if blueprint else None
    found = safe_join(str(root), filename) if root else None
    return Path(found) if found and Path(found).is_file() else None


@lru_cache(maxsize=1024)
def _file_digest(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


@lru_cache(maxsize=64)
def _bytes_digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:16]


def fingerprint(endpoint: str, values: dict) -> str | None:
    """The hash of the content a file URL names (recomputed when the file changes)."""
    source = _source(endpoint, values)
    if isinstance(source, bytes):
        return _bytes_digest(source)
    if source is None:
        return None
    stat = source.stat()
    return _file_digest(str(source), stat.st_mtime_ns, stat.st_size)


def add_fingerprint(endpoint: str, values: dict) -> None:
    """`url_for` hook: give every file URL its content hash as `?v=`."""
    if endpoint in HASHED_ENDPOINTS and "v" not in values:
        digest = fingerprint(endpoint, values)
        if digest:
            values["v"] = digest


def cache_by_fingerprint(response: Response) -> Response:
    """A year, never revalidated, for the current hash; revalidate anything else."""
    endpoint = request.endpoint
    if endpoint not in HASHED_ENDPOINTS or not (200 <= response.status_code < 400):
        return response
    asked = request.args.get("v")
    control = response.cache_control
    if asked and asked == fingerprint(endpoint, request.view_args or {}):
        control.no_cache = None
        control.public = True
        control.max_age = YEAR
        control.immutable = True
        response.headers.pop("Expires", None)
    elif asked or endpoint != "vendor.vendor_file":
        # A page from before a deploy (old hash) gets today's file, but nothing pins it.
        control.public = None
        control.max_age = None
        control.no_cache = True
        response.headers.pop("Expires", None)
    return response


class FilesSkipTheSession(SecureCookieSessionInterface):
    """Files are the same for everyone: their answers neither set the session cookie nor say
    `Vary: Cookie` (Flask-Login reads the session on every response, which would add it), so
    the copy a browser keeps stays good across a login, a language change or a message."""

    def save_session(self, app, session, response) -> None:
        if request.endpoint in HASHED_ENDPOINTS:
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    if type(app.session_interface) is SecureCookieSessionInterface:
        app.session_interface = FilesSkipTheSession()
    app.register_blueprint(bp)
    # Browsers and bookmark tools ask for /favicon.ico whatever the page names: the same file
    # as the static one, under an endpoint of its own so every route has one name.
    app.add_url_rule("/favicon.ico", endpoint="favicon",
                     view_func=lambda: app.send_static_file("favicon.ico"))
    app.url_defaults(add_fingerprint)
    app.after_request(cache_by_fingerprint)
