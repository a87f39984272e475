"""Every response carries the browser's safety rules; HTTPS adds HSTS and secure cookies."""

import re
from pathlib import Path

import pytest

from app.extensions import db
from tests.accounts.factories import TEST_PASSWORD
from tests.conftest import make_app


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


def assert_safe_headers(response):
    csp = directives(response)
    assert csp["default-src"] == "default-src 'self'"
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["frame-ancestors"] == "frame-ancestors 'none'"
    assert csp["object-src"] == "object-src 'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] in ("same-origin", "no-referrer")


@pytest.mark.parametrize("path", [
    "/login", "/api/v1/auth/me", "/api/openapi.json", "/static/css/app.css",
    "/static/vendor/leaflet/leaflet.js", "/no-such-page", "/healthz",
])
def test_pages_api_and_static_files_carry_the_security_headers(client, path):
    assert_safe_headers(client.get(path))


def test_logged_in_pages_carry_the_security_headers(client, make_user, auth):
    make_user("admin", username="ani")
    auth.login("ani")
    assert_safe_headers(client.get("/home"))


@pytest.mark.parametrize("path", ["/login", "/api/docs"])
def test_styles_come_only_from_the_app(client, path):
    assert directives(client.get(path))["style-src"] == "style-src 'self'"


def test_the_api_docs_start_swagger_ui_from_a_file(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert_safe_headers(response)
    assert "<script>" not in response.get_data(as_text=True)


def test_a_template_may_allow_one_inline_script_by_nonce(app, client):
    from flask import render_template_string

    @app.get("/with-nonce")
    def with_nonce():
        return render_template_string('<script nonce="{{ csp_nonce() }}">1</script>')

    response = client.get("/with-nonce")
    nonce = response.get_data(as_text=True).split('nonce="')[1].split('"')[0]
    assert f"'nonce-{nonce}'" in directives(response)["script-src"]
    assert "nonce-" not in client.get("/login").headers["Content-Security-Policy"]


def test_the_template_check_still_catches_an_inline_script_without_its_nonce():
    assert INLINE["inline script"].search('<script nonce="abc">')
    assert INLINE["inline script"].search("<script>")
    assert not INLINE["inline script"].search('<script nonce="{{ csp_nonce() }}">')


def test_plain_http_gets_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_https_gets_hsts(client):
    response = client.get("/login", base_url="https://lumbung.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_forwarded_proto_is_ignored_unless_a_proxy_is_configured(client):
    response = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers


class TestBehindAProxy:
    @pytest.fixture
    def app_config(self):
        return {"PROXY_COUNT": 1}

    def test_the_proxys_forwarded_proto_and_address_are_trusted(self, app, client):
        seen = {}

        @app.get("/where")
        def where():
            from flask import request

            seen.update(scheme=request.scheme, remote=request.remote_addr)
            return "ok"

        response = client.get("/login", headers={"X-Forwarded-Proto": "https"})
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")
        client.get("/where", headers={"X-Forwarded-Proto": "https",
                                      "X-Forwarded-For": "203.0.113.7"})
        assert seen == {"scheme": "https", "remote": "203.0.113.7"}


def test_the_session_cookie_is_secure_when_configured(monkeypatch, database_url, make_user):
    make_user("admin", username="ani")
    monkeypatch.setenv("LUMBUNG_SESSION_COOKIE_SECURE", "true")
    secure_app = make_app(database_url)
    client = secure_app.test_client()
    response = client.post("/login", data={"username": "ani", "password": TEST_PASSWORD},
                           base_url="https://lumbung.example")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    with secure_app.app_context():
        db.engine.dispose()


TEMPLATE_ROOTS = [Path(__file__).parents[2] / "app"]
# A generated map's script may be inline, under this response's nonce only
# (app/headers.py csp_nonce); the nonce must come from csp_nonce(), never be written down.
NONCED = r"""(?![^>]*\bnonce="\{\{ csp_nonce\()"""
INLINE = {
    "inline script": re.compile(rf"<script(?![^>]*\bsrc=){NONCED}[^>]*>", re.IGNORECASE),
    "event handler attribute": re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "style attribute": re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE),
    "style element": re.compile(r"<style[\s>]", re.IGNORECASE),
    "javascript: address": re.compile(r"javascript:", re.IGNORECASE),
}


def test_templates_have_no_inline_script_handler_or_style():
    """The policy forbids them, so a template that uses one would silently break in browsers."""
    found = [
        f"{path}: {kind}"
        for root in TEMPLATE_ROOTS for path in sorted(root.rglob("*.html"))
        for kind, pattern in INLINE.items() if pattern.search(path.read_text())
    ]
    assert found == []

