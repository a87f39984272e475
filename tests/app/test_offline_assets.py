"""Pages work without internet: every stylesheet and script comes from this server."""

import re

import pytest

from app.assets import VENDOR_DIRS

ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="([^"]+)"')


@pytest.mark.parametrize("path", ["/login", "/home", "/regions/", "/account/tokens",
                                  "/admin/users/", "/api/docs"])
def test_page_assets_are_all_local_and_served(client, make_user, auth, path):
    make_user("admin", username="ani")
    if path != "/login":
        auth.login("ani")
    response = client.get(path)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assets = ASSET.findall(page)
    assert assets, "a page without any stylesheet or script"
    for url in assets:
        assert url.startswith("/"), f"{path} loads {url} from outside"
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(("package", "filename"), [
    ("leaflet", "leaflet.js"), ("leaflet", "leaflet.css"),
    ("leaflet-markercluster", "leaflet.markercluster.js"),
    ("font-awesome", "css/all.min.css"), ("jquery", "jquery.min.js"),
])
def test_map_libraries_are_served_for_later_map_pages(client, package, filename):
    assert package in VENDOR_DIRS
    response = client.get(f"/static/vendor/{package}/{filename}")
    assert response.status_code == 200
    assert len(response.get_data()) > 1000


def test_vendor_route_refuses_unknown_packages_and_path_escapes(client):
    assert client.get("/static/vendor/nope/x.js").status_code == 404
    assert client.get("/static/vendor/leaflet/../../../etc/passwd").status_code == 404
