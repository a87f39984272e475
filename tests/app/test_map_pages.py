"""The map pages: each draws its rows with files the app serves, inline code only under this
response's nonce, tiles as configured (and let through the CSP only then), a printable event
sheet, and the worker that keeps them for a posko that loses its connection."""

from __future__ import annotations

import html
import re

import pytest

from app.maps.tiles import tile_origin
from tests.app.map_rows import POSKO, TRANSFER, WAREHOUSE, written_rows  # noqa: F401
from tests.app.test_security_headers import assert_safe_headers, directives

pytestmark = pytest.mark.usefixtures("written_rows")


@pytest.fixture
def coordinator(client, auth, make_user):
    auth.login(make_user("coordinator", username="koordinator"))
    return client


@pytest.fixture
def event_id(emergency):
    return emergency.event()


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.get_data(as_text=True))


def map_paths(event_id):
    return [f"/maps/events/{event_id}", f"/maps/events/{event_id}/print",
            "/maps/warehouses", "/maps/roster"]


def test_every_map_page_draws_with_the_apps_own_files_and_nonced_code(coordinator, event_id):
    for path in map_paths(event_id):
        response = coordinator.get(path)
        text = page_text(response)
        assert_safe_headers(response)
        assert "/static/vendor/leaflet/leaflet.js?v=" in text
        assert not re.search(r'(src|href)="(https?:)?//', text), path  # nothing from a CDN
        nonce = re.search(r'<script nonce="([^"]+)">', text).group(1)
        csp = directives(response)
        assert f"'nonce-{nonce}'" in csp["script-src"]
        assert f"'nonce-{nonce}'" in csp["style-src"]
        assert f'<style nonce="{nonce}">' in text
        assert "L.map(" in text


def test_the_event_map_shows_its_posko_and_warehouses(coordinator, event_id):
    text = page_text(coordinator.get(f"/maps/events/{event_id}"))
    assert POSKO["name"] in text
    assert WAREHOUSE["name"] in text
    assert "Kahyapu" in text


def test_the_warehouse_map_draws_transfers_as_lines(coordinator):
    text = page_text(coordinator.get("/maps/warehouses"))
    assert "L.polyline(" in text
    assert TRANSFER["number"] in text


def test_an_unknown_event_has_no_map(coordinator):
    assert coordinator.get("/maps/events/999999").status_code == 404
    assert coordinator.get("/maps/events/999999/print").status_code == 404


def test_openstreetmap_tiles_are_allowed_on_map_pages_only(coordinator, event_id):
    response = coordinator.get(f"/maps/events/{event_id}")
    assert "tile.openstreetmap.org/{z}/{x}/{y}.png" in page_text(response)
    assert directives(response)["img-src"] == "img-src 'self' data: https://tile.openstreetmap.org"
    home = coordinator.get("/home")
    assert directives(home)["img-src"] == "img-src 'self' data:"
    assert "nonce-" not in home.headers["Content-Security-Policy"]


class TestWithoutTiles:
    @pytest.fixture
    def app_config(self):
        return {"MAP_TILE_URL": "none"}

    def test_the_map_draws_without_tiles_and_the_csp_stays_closed(self, coordinator, event_id):
        response = coordinator.get(f"/maps/events/{event_id}")
        text = page_text(response)
        assert "L.tileLayer(" not in text
        assert POSKO["name"] in text
        assert directives(response)["img-src"] == "img-src 'self' data:"


class TestLocalTiles:
    @pytest.fixture
    def app_config(self):
        return {"MAP_TILE_URL": "/tiles/{z}/{x}/{y}.png", "MAP_TILE_ATTRIBUTION": "BPBD"}

    def test_tiles_from_the_app_itself_need_no_new_origin(self, coordinator):
        response = coordinator.get("/maps/warehouses")
        assert "/tiles/{z}/{x}/{y}.png" in page_text(response)
        assert directives(response)["img-src"] == "img-src 'self' data:"


@pytest.mark.parametrize(("url", "origin"), [
    ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
    ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
    ("http://10.0.0.5:8080/{z}/{x}/{y}.png", "http://10.0.0.5:8080"),
    ("/tiles/{z}/{x}/{y}.png", None),
])
def test_the_tile_servers_origin_is_what_the_csp_names(url, origin):
    assert tile_origin(url) == origin


def test_tiles_are_read_from_the_environment(monkeypatch, database_url):
    from tests.conftest import make_app

    monkeypatch.setenv("LUMBUNG_MAP_TILE_URL", "none")
    monkeypatch.setenv("LUMBUNG_MAP_TILE_ATTRIBUTION", "BPBD Bengkulu Utara")
    app = make_app(database_url)
    assert app.config["MAP_TILE_URL"] == "none"
    assert app.config["MAP_TILE_ATTRIBUTION"] == "BPBD Bengkulu Utara"


@pytest.mark.parametrize(("asked", "paper", "size"), [
    ("a4", "a4", "A4 landscape"), ("a3", "a3", "A3 landscape"), ("letter", "a4", "A4 landscape"),
])
def test_the_printed_map_has_its_paper_title_date_legend_and_north_arrow(
        coordinator, event_id, client, asked, paper, size):
    text = page_text(coordinator.get(f"/maps/events/{event_id}/print?paper={asked}"))
    css = re.search(r'href="(/static/maps/print-(a\d)\.css\?v=\w+)"', text)
    assert css.group(2) == paper
    assert f"size: {size}" in client.get(css.group(1)).get_data(as_text=True)
    for test_id in ("map-sheet", "map-date", "map-legend", "north-arrow"):
        assert f'data-testid="{test_id}"' in text
    assert "Banjir Air Ketahun" in text
    assert "Posko" in text


def test_the_event_page_links_to_its_map_and_the_map_back(coordinator, event_id):
    event_page = page_text(coordinator.get(f"/emergency/events/{event_id}"))
    assert f'href="/maps/events/{event_id}"' in event_page
    map_page = page_text(coordinator.get(f"/maps/events/{event_id}"))
    assert f'href="/emergency/events/{event_id}"' in map_page
    assert f"/maps/events/{event_id}/print?paper=a3" in map_page


def test_the_menu_and_the_index_lead_to_the_maps_a_role_may_open(client, auth, make_user,
                                                                  event_id):
    auth.login(make_user("posko_staff", username="posko"))
    index = page_text(client.get("/maps/"))
    assert 'href="/maps/"' in page_text(client.get("/home"))
    assert f'href="/maps/events/{event_id}"' in index
    assert 'href="/maps/warehouses"' in index
    assert 'href="/maps/roster"' not in index  # posko staff do not see the roster
    auth.logout()
    auth.login(make_user("puskesos_front", username="front"))
    assert 'href="/maps/"' not in page_text(client.get("/home"))


def test_pages_are_in_indonesian(coordinator, event_id):
    text = page_text(coordinator.get(f"/maps/events/{event_id}"))
    assert "Peta situasi" in text
    assert "Cetak A3" in text


def test_map_pages_register_the_offline_worker_and_carry_the_banner(coordinator, event_id):
    text = page_text(coordinator.get(f"/maps/events/{event_id}"))
    assert 'data-worker="/maps/offline-worker.js"' in text
    assert 'data-scope="/maps/"' in text
    assert 'data-offline-banner' in text
    worker = coordinator.get("/maps/offline-worker.js")
    assert worker.status_code == 200
    assert worker.mimetype == "text/javascript"
    assert "no-cache" in worker.headers["Cache-Control"]
    assert "/api/v1/geo/" in worker.get_data(as_text=True)
