"""The map pages: each draws its rows with files the app serves, inline code only under this
response's nonce, tiles as configured (and let through the CSP only then), a printable event
sheet, and the worker that keeps them for a posko that loses its connection."""

from __future__ import annotations

import html
import re

import pytest

from app.maps.tiles import tile_origin
from tests.app.map_rows import (  # noqa: F401  (written_rows: the fixture)
    DESA,
    KECAMATAN,
    POSKO,
    TRANSFER,
    WAREHOUSE,
    written_rows,
)
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
        assert csp["style-src"] == "style-src 'self'"  # no map needs CSS of its own
        assert "<style" not in text
        assert "/static/vendor/lumbung-maps/lumbung-maps.js?v=" in text
        assert "/static/vendor/lumbung-maps/lumbung-maps.css?v=" in text
        assert "L.map(" in text
        assert "LumbungMaps.ready(" in text


def test_the_maps_own_files_are_served(coordinator, event_id):
    text = page_text(coordinator.get(f"/maps/events/{event_id}"))
    for url in re.findall(r'(?:src|href)="(/static/vendor/lumbung-maps/[^"]+)"', text):
        response = coordinator.get(url)
        assert response.status_code == 200, url
        assert "immutable" in response.headers["Cache-Control"]


def test_the_event_map_shows_its_posko_and_warehouses(coordinator, event_id):
    text = page_text(coordinator.get(f"/maps/events/{event_id}"))
    assert POSKO["name"] in text
    assert WAREHOUSE["name"] in text
    assert "Kahyapu" in text


def test_the_warehouse_map_draws_transfers_as_lines(coordinator):
    text = page_text(coordinator.get("/maps/warehouses"))
    assert "LumbungMaps.transfers(" in text
    assert TRANSFER["number"] in text


def test_popups_lead_to_the_pages_of_what_they_show(coordinator, event_id):
    """Each layer carries one shared link prefix, each row its suffix (maps/base.py LinkCodec);
    the full URLs are checked in the next test and followed from a popup in the browser."""
    event_page = page_text(coordinator.get(f"/maps/events/{event_id}"))
    assert '"link":"/emergency/posko/"' in event_page
    # Each row's own suffix is in the builders' packed layout: the browser walk follows one.
    assert '"link":"/stock/warehouses/"' in event_page
    assert f'"link":"/emergency/events/{event_id}/"' in event_page  # desa: assessments?desa_code=
    assert f'"assessments?desa_code={DESA["code"]}"' in event_page
    warehouses = page_text(coordinator.get("/maps/warehouses"))
    assert '"link":"/stock/documents/"' in warehouses
    roster = page_text(coordinator.get("/maps/roster"))
    assert (f'"volunteers?kecamatan_code={KECAMATAN["code"]}\\u0026available_now=1"'
            in roster)  # "&" written as \u0026 inside the script
    assert '"link":"/emergency/posko/"' in roster


def test_links_name_each_kinds_page_and_none_the_viewer_may_not_open(app, make_user):
    from flask_login import login_user
    from sqlalchemy import select

    from app.extensions import db
    from app.maps.links import page_links
    from logistics.accounts.models import User

    def links_for(username, **kwargs):
        login_user(db.session.scalar(select(User).where(User.username == username)))
        return page_links(**kwargs)

    coordinator, staff = make_user("coordinator"), make_user("posko_staff")
    with app.test_request_context():
        links = links_for(coordinator, event_id=7)
        assert links("posko", 3) == "/emergency/posko/3"
        assert links("warehouse", 4) == "/stock/warehouses/4"
        assert links("transfer", 5) == "/stock/documents/5"
        assert links("desa", "17.03.01.2001") == \
            "/emergency/events/7/assessments?desa_code=17.03.01.2001"
        assert links("kecamatan", "17.03.01") == \
            "/roster/volunteers?kecamatan_code=17.03.01&available_now=1"
        assert links("household", 1) is None
        assert page_links()("desa", "17.03.01.2001") is None  # no event, no desa page
    with app.test_request_context():
        assert links_for(staff)("kecamatan", "17.03.01") is None  # staff don't see the roster


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
    for test_id in ("map-sheet", "map-date"):
        assert f'data-testid="{test_id}"' in text
    # The builder's print layout: the map fills its frame, the legend stays open, north arrow.
    assert "lm-map lm-print" in text
    assert "lm-legend-fixed" in text
    assert "lm-north" in text
    assert "leaflet-control-zoom" not in text
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
