"""Each map in a real browser with every request off this server blocked, on a 360 px phone
and a desktop: drawn with its markers and areas and no console error; and a map loaded once
still shows, with the offline banner, when the connection drops."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.accounts.factories import TEST_PASSWORD
from tests.app.map_rows import written_rows  # noqa: F401  (the fixture)
from tests.browser.conftest import gettext_id

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("written_rows")]

SIZES = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}
LOCAL = ("127.0.0.1", "localhost")


@pytest.fixture
def event_id(emergency):
    return emergency.event()


def log_in(app, page: Page, live_server: str, username: str) -> None:
    t = lambda message: gettext_id(app, message)  # noqa: E731
    page.goto(f"{live_server}/login")
    page.get_by_label(t("Username")).fill(username)
    page.get_by_label(t("Password")).fill(TEST_PASSWORD)
    page.get_by_role("button", name=t("Log in")).click()
    expect(page).to_have_url(f"{live_server}/home")


# Chromium reports every refused script, style or image to the page as an event.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP: " + event.violatedDirective + " blocked " + (event.blockedURI || "inline"));
});
"""
DRAWN = "() => window.LumbungMaps && Object.keys(window.LumbungMaps.maps).length === 1"


@pytest.fixture
def walled(page: Page):
    """The page with the outside world blocked; returns what it tried to reach and its errors."""
    blocked, errors = [], []

    def route(route):
        if urlsplit(route.request.url).hostname in LOCAL:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.add_init_script(REPORT_VIOLATIONS)
    page.on("console", lambda m: errors.append((m.text, m.location.get("url", "")))
            if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append((f"script error: {error}", "")))
    return page, blocked, errors


# Each map, and what lumbung-maps.js must have drawn on it (CSS selector: how many at least):
# areas are SVG paths, posko and warehouses div markers, transfers and deployments SVG paths.
# Markers, not their keys in the legend (which carry the same classes).
POSKO_MARKER = ".leaflet-marker-icon.lm-marker.lm-kind-tempat_pengungsian"
WAREHOUSE_MARKER = ".leaflet-marker-icon.lm-wh"
EVENT = {"path.lm-area": 1, POSKO_MARKER: 1,
         WAREHOUSE_MARKER: 1, ".lm-legend": 1}
MAPS = [("/maps/events/{event}", EVENT),
        ("/maps/events/{event}/print?paper=a3", {**EVENT, ".lm-north": 1,
                                                 ".lm-legend-fixed": 1}),
        ("/maps/warehouses", {WAREHOUSE_MARKER: 2, "path.lm-transfer": 1, ".lm-legend": 1}),
        ("/maps/roster", {"path.lm-area": 1, "path.lm-deploy": 1, ".lm-legend": 1})]


@pytest.mark.parametrize("size", SIZES)
def test_every_map_draws_from_this_server_alone(app, live_server, make_user, event_id, walled,
                                                 size):
    page, blocked, errors = walled
    page.set_viewport_size(SIZES[size])
    make_user("coordinator", username="koordinator")
    log_in(app, page, live_server, "koordinator")
    for path, drawn in MAPS:
        page.goto(live_server + path.format(event=event_id))
        page.wait_for_function(DRAWN)  # lumbung:map-ready has fired
        expect(page.locator(".leaflet-control-scale")).to_be_visible()
        for selector, least in drawn.items():
            expect(page.locator(f".lm-map {selector}").nth(least - 1)).to_be_attached()
        box = page.locator(".lm-map").bounding_box()
        assert box["height"] >= 200, path
        if "print" in path:  # the sheet's frame gives the map its size: it fills the frame
            frame = page.get_by_test_id("map").bounding_box()
            assert box["height"] >= frame["height"] - 2, path
            assert page.locator(".leaflet-control-zoom").count() == 0
        else:  # the printed sheet is drawn at paper size, wider than a phone
            assert box["width"] <= SIZES[size]["width"], path
    # Only background tiles ever tried to leave, and their refusals are the only errors.
    assert blocked, "the tiles were asked for"
    assert all("tile.openstreetmap.org" in url for url in blocked)
    assert [text for text, url in errors if url not in blocked] == []


def test_a_popup_leads_to_the_posko_page(app, live_server, make_user, event_id, walled):
    page, _blocked, _errors = walled
    make_user("coordinator", username="koordinator")
    log_in(app, page, live_server, "koordinator")
    page.goto(f"{live_server}/maps/events/{event_id}")
    page.wait_for_function(DRAWN)
    page.locator(POSKO_MARKER).click()
    link = page.locator(".leaflet-popup .lm-popup-title a")
    expect(link).to_have_attribute("href", "/emergency/posko/1")


def test_a_map_loaded_once_stays_visible_with_the_banner_when_offline(
        app, live_server, make_user, event_id, page: Page):
    make_user("posko_staff", username="posko")
    log_in(app, page, live_server, "posko")
    page.route("**/*", lambda route: route.abort()
               if urlsplit(route.request.url).hostname not in LOCAL else route.continue_())
    url = f"{live_server}/maps/events/{event_id}"
    page.goto(url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now under the worker: this answer is kept
    page.wait_for_function(DRAWN)
    banner = page.get_by_test_id("offline-banner")
    expect(banner).to_be_hidden()

    page.context.set_offline(True)
    page.reload()
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(gettext_id(app, "No connection: this map shows the data as "
                                                   "read on %(moment)s.").split(":")[0])
    page.wait_for_function(DRAWN)
    expect(page.locator(".lm-map path.lm-area")).to_have_count(1)
    expect(page.locator(f".lm-map {POSKO_MARKER}")).to_have_count(1)
    expect(page.locator(f".lm-map {WAREHOUSE_MARKER}")).to_have_count(1)
    page.context.set_offline(False)


class TestWithoutTiles:
    """MAP_TILE_URL=none: nothing leaves the server, and the map is still readable."""

    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True, "MAP_TILE_URL": "none"}

    def test_boundaries_markers_and_labels_draw_on_a_plain_background(
            self, app, live_server, make_user, event_id, walled):
        page, blocked, errors = walled
        page.set_viewport_size(SIZES["phone"])
        make_user("coordinator", username="koordinator")
        log_in(app, page, live_server, "koordinator")
        page.goto(f"{live_server}/maps/events/{event_id}/print?paper=a4")
        page.wait_for_function(DRAWN)
        expect(page.locator(".lm-map.lm-no-tiles")).to_be_visible()
        expect(page.locator(".lm-map path.lm-area")).to_have_count(1)
        expect(page.locator(f".lm-map {POSKO_MARKER}")).to_have_count(1)
        expect(page.locator(".lm-map .lm-label")).to_contain_text("Kahyapu")  # labels on paper
        assert page.locator(".leaflet-tile").count() == 0
        page.screenshot(path="/tmp/map-print-no-tiles.png", full_page=True)
        assert blocked == []
        assert errors == []
