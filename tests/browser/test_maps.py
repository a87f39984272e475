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
    page.on("console", lambda m: errors.append((m.text, m.location.get("url", "")))
            if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append((f"script error: {error}", "")))
    return page, blocked, errors


# The map, and at least how many SVG shapes (areas, posko, warehouses, lines) it draws.
MAPS = [("/maps/events/{event}", 3), ("/maps/events/{event}/print?paper=a3", 3),
        ("/maps/warehouses", 3), ("/maps/roster", 2)]


@pytest.mark.parametrize("size", SIZES)
def test_every_map_draws_from_this_server_alone(app, live_server, make_user, event_id, walled,
                                                 size):
    page, blocked, errors = walled
    page.set_viewport_size(SIZES[size])
    make_user("coordinator", username="koordinator")
    log_in(app, page, live_server, "koordinator")
    for path, shapes in MAPS:
        page.goto(live_server + path.format(event=event_id))
        expect(page.locator(".leaflet-container")).to_be_visible()
        expect(page.locator(".leaflet-control-scale")).to_be_visible()
        drawn = page.locator("path.leaflet-interactive")
        expect(drawn.nth(shapes - 1)).to_be_attached()
        box = page.locator("[data-testid=map]").bounding_box()
        assert box["height"] >= 200, path
        if "print" not in path:  # the printed sheet is drawn at paper size, wider than a phone
            assert box["width"] <= SIZES[size]["width"], path
    # Only background tiles ever tried to leave, and their refusals are the only errors.
    assert all("tile.openstreetmap.org" in url for url in blocked)
    assert [text for text, url in errors if url not in blocked] == []


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
    expect(page.locator(".leaflet-container")).to_be_visible()
    banner = page.get_by_test_id("offline-banner")
    expect(banner).to_be_hidden()

    page.context.set_offline(True)
    page.reload()
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(gettext_id(app, "No connection: this map shows the data as "
                                                   "read on %(moment)s.").split(":")[0])
    expect(page.locator("path.leaflet-interactive").nth(2)).to_be_attached()
    page.context.set_offline(False)
