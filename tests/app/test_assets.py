"""Light pages on a slow line: compressed answers, files cached for a year under a URL that
changes with their content, only the icons the pages use, no Bootstrap JavaScript."""

import gzip
import re
from pathlib import Path

import brotli
import pytest
from flask import url_for

import app as app_package

ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="([^"]+)"')
YEAR_IMMUTABLE = {"public", "max-age=31536000", "immutable"}
BOOTSTRAP_CSS = "/bootstrap/static/css/bootstrap.min.css"
ICON_CLASS = re.compile(r"\bbi-([a-z0-9]+(?:-[a-z0-9]+)*)")


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.headers.get("Cache-Control", "").split(",")
            if part.strip()}


def page_text(client, make_user, auth, path="/home"):
    """The page as the admin sees it (the login page as anyone does)."""
    if path != "/login":
        make_user("admin", username="ani")
        auth.login("ani")
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize(("encoding", "decompress"), [("br", brotli.decompress),
                                                      ("gzip", gzip.decompress)])
def test_pages_are_sent_compressed_when_the_browser_accepts_it(client, encoding, decompress):
    plain = client.get("/login", headers={"Accept-Encoding": "identity"})
    packed = client.get("/login", headers={"Accept-Encoding": encoding})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in packed.headers["Vary"]
    # The CSRF token differs between the two answers; the rest of the page is the same.
    strip = re.compile(rb'name="csrf_token"[^>]*>')
    assert strip.sub(b"", decompress(packed.get_data())) == strip.sub(b"", plain.get_data())
    assert len(packed.get_data()) < len(plain.get_data()) / 2


def test_bootstrap_css_travels_compressed_at_about_an_eighth_of_its_size(client):
    plain = client.get(BOOTSTRAP_CSS, headers={"Accept-Encoding": "identity"}).get_data()
    packed = client.get(BOOTSTRAP_CSS, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed.headers["Content-Encoding"] == "br"
    assert brotli.decompress(packed.get_data()) == plain
    assert len(packed.get_data()) < 40 * 1024 < 200 * 1024 < len(plain)


def test_api_answers_are_compressed_too(client, make_user, auth):
    make_user("admin", username="ani")
    auth.login("ani")
    response = client.get("/api/openapi.json", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.get_data()).startswith(b"{")


@pytest.mark.parametrize("path", ["/login", "/home", "/regions/", "/account/password"])
def test_every_file_a_page_loads_carries_its_hash_and_is_cached_for_a_year(
    client, make_user, auth, path
):
    page = page_text(client, make_user, auth, path)
    urls = ASSET.findall(page)
    assert len(urls) >= 3  # Bootstrap, the app's style, the icons (and its own scripts)
    for url in urls:
        assert re.search(r"[?&]v=[0-9a-f]{12,}", url), f"{path} loads {url} without a hash"
        response = client.get(url)
        assert response.status_code == 200, url
        assert cache_control(response) >= YEAR_IMMUTABLE, url


def test_bootstrap_map_libraries_and_app_files_all_get_hashed_urls(app):
    with app.test_request_context():
        urls = [url_for("static", filename="css/app.css"),
                url_for("bootstrap.static", filename="css/bootstrap.min.css"),
                url_for("vendor.vendor_file", package="leaflet", filename="leaflet.js")]
    for url in urls:
        assert re.search(r"\?v=[0-9a-f]{12,}$", url), url


def test_the_hash_follows_the_content(app, tmp_path):
    app.static_folder = str(tmp_path)
    style = tmp_path / "site.css"
    style.write_text("body { color: black }")
    with app.test_request_context():
        before = url_for("static", filename="site.css")
        style.write_text("body { color: navy }")
        after = url_for("static", filename="site.css")
        again = url_for("static", filename="site.css")
    assert before != after == again


def test_a_file_asked_for_with_an_old_hash_or_none_is_not_cached_for_long(client, app):
    with app.test_request_context():
        current = url_for("static", filename="css/app.css")
    for url in ("/static/css/app.css", "/static/css/app.css?v=0123456789ab"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.get_data() == client.get(current).get_data()
        assert "no-cache" in cache_control(response), url
        assert "immutable" not in cache_control(response), url


def test_swagger_ui_files_asked_without_a_hash_keep_a_days_caching(client):
    response = client.get("/static/vendor/swagger-ui/swagger-ui.css")
    assert response.status_code == 200
    assert "max-age=86400" in cache_control(response)


def test_pages_load_neither_the_icon_font_nor_bootstrap_javascript(client, make_user, auth):
    page = page_text(client, make_user, auth)
    assert "bootstrap-icons.min.css" not in page
    assert "bootstrap.min.js" not in page
    assert "popper" not in page


def _icons_in_use() -> set[str]:
    root = Path(app_package.__file__).parent
    names = set()
    for source in [*root.rglob("*.html"), *root.rglob("*.py")]:
        names |= set(ICON_CLASS.findall(source.read_text(encoding="utf-8")))
    return names


def test_the_icon_stylesheet_draws_every_icon_in_use_and_little_else(client, app):
    with app.test_request_context():
        url = url_for("vendor.vendor_file", package="bootstrap-icons", filename="icons.css")
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    css = response.get_data(as_text=True)
    in_use = _icons_in_use()
    assert {"box-seam", "truck", "printer", "person-circle"} <= in_use
    drawn = set(re.findall(r"\.bi-([a-z0-9-]+)\s*\{", css))
    assert drawn == in_use
    assert len(response.get_data()) < 40 * 1024  # the whole font is 131 KB + 87 KB of CSS


def test_favicon_is_served_at_the_address_browsers_guess(client, make_user, auth):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert response.get_data()[:4] == b"\x00\x00\x01\x00"  # an ICO header
    page = page_text(client, make_user, auth)
    assert re.search(r'<link rel="icon" href="/static/favicon.svg\?v=[0-9a-f]+"', page)


def test_file_answers_neither_vary_on_nor_set_the_session_cookie(client, make_user, auth, app):
    """Else a login, a language change or a flashed message (each a new cookie) would make
    the browser ask again for every file it holds."""
    page = page_text(client, make_user, auth)
    client.post("/language/en", data={"next": "/home"})  # the cookie changes here
    for url in ASSET.findall(page):
        response = client.get(url)
        assert "Cookie" not in response.headers.get("Vary", ""), url
        assert "Set-Cookie" not in response.headers, url
    assert "Cookie" in client.get("/home").headers["Vary"]  # pages still do


def test_no_template_relies_on_bootstraps_javascript():
    """It is not loaded: a `data-bs-toggle` dropdown or modal would silently do nothing.
    Write the few lines it needs in a script of app/static/ instead, as nav.js does."""
    root = Path(app_package.__file__).parent
    relying = [str(path.relative_to(root)) for path in root.rglob("*.html")
               if "data-bs-" in path.read_text(encoding="utf-8")]
    assert relying == []
