"""What every response tells the browser (CSP, framing, sniffing, referrer, HSTS), and HTTPS
behind a reverse proxy."""

from __future__ import annotations

import secrets

from flask import Flask, current_app, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

# Everything is served by the app itself (see app/assets.py), so the policy names only 'self'.
# Scripts and styles come from files: no inline <script>, on...= handlers or style attributes
# (tests/app/test_security_headers.py checks the templates); scripts may set styles through
# the DOM, which the policy allows. Bootstrap's CSS draws a few icons as data: images. Swagger
# UI at /api/docs lives with the same policy: it is started from a file
# (app/templates/swagger_ui.html) and sets its styles through the DOM.
# Map pages are the exception, one response at a time: their generated script runs
# under a nonce (csp_nonce) and their tile server's images are allowed (allow_images_from).
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

FIXED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def csp_nonce() -> str:
    """A nonce for an inline <script nonce="..."> that cannot be a file (e.g. a generated map).

    Calling it from a template adds the nonce to this response's script-src.
    """
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def allow_images_from(origin: str) -> None:
    """Let this response's page load images from ``origin`` (a map's tile server).

    Map pages call it only when tiles are configured, so every other page, and a map page with
    tiles turned off, keeps img-src to the app itself.
    """
    g.setdefault("csp_image_origins", set()).add(origin)


def content_security_policy() -> str:
    policy = dict(POLICY)
    if "csp_nonce" in g:
        policy["script-src"] += f" 'nonce-{g.csp_nonce}'"
    for origin in sorted(g.get("csp_image_origins", ())):
        policy["img-src"] += f" {origin}"
    return "; ".join(f"{name} {value}" for name, value in policy.items())


def add_security_headers(response):
    """Set the headers on every response (pages, API, files, errors) unless a view set them."""
    response.headers.setdefault("Content-Security-Policy", content_security_policy())
    for name, value in FIXED_HEADERS.items():
        response.headers.setdefault(name, value)
    seconds = current_app.config["HSTS_SECONDS"]
    if request.is_secure and seconds:
        response.headers.setdefault("Strict-Transport-Security", f"max-age={int(seconds)}")
    return response


def init_app(app: Flask) -> None:
    proxies = int(app.config["PROXY_COUNT"])
    if proxies:
        # Only then are X-Forwarded-For (the login limit's client address) and
        # X-Forwarded-Proto (HTTPS, so HSTS) believed; without a proxy anyone could send them.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    app.after_request(add_security_headers)
    app.add_template_global(csp_nonce)
