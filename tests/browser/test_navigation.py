"""The page frame in a real browser: a skip link, a focus ring you can see, a menu button that
works without Bootstrap's JavaScript, readable menu text, closable messages."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.accounts.factories import TEST_PASSWORD
from tests.app.test_navigation import contrast
from tests.browser.conftest import gettext_id

pytestmark = pytest.mark.browser


def hex_colour(css: str) -> str:
    """`rgb(20, 108, 67)` as `#146c43` (opaque colours only)."""
    red, green, blue = (int(n) for n in re.findall(r"\d+", css)[:3])
    return f"#{red:02x}{green:02x}{blue:02x}"


def style(locator, prop: str) -> str:
    return locator.evaluate(f"e => getComputedStyle(e).getPropertyValue('{prop}')")


@pytest.fixture
def keeper_page(app, live_server, make_user, page: Page):
    make_user("warehouse_keeper", username="penjaga")
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server}/login")
    page.get_by_label(gettext_id(app, "Username")).fill("penjaga")
    page.get_by_label(gettext_id(app, "Password")).fill(TEST_PASSWORD)
    page.get_by_role("button", name=gettext_id(app, "Log in")).click()
    expect(page).to_have_url(f"{live_server}/home")
    return page


def test_tab_reaches_the_skip_link_first_and_it_jumps_to_the_content(app, keeper_page):
    page = keeper_page
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name=gettext_id(app, "Skip to content"))
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    assert style(skip, "outline-style") == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"


def test_focus_ring_on_the_bar_is_thick_and_contrasts_with_it(keeper_page):
    page = keeper_page
    bar = page.locator("nav.app-nav")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand link on the bar
    brand = page.locator(".navbar-brand")
    expect(brand).to_be_focused()
    assert float(style(brand, "outline-width").removesuffix("px")) >= 3
    ring, background = hex_colour(style(brand, "outline-color")), hex_colour(
        style(bar, "background-color"))
    assert contrast(ring, background) >= 3


def test_the_phone_menu_opens_and_closes_and_its_links_read_at_aa(app, keeper_page):
    page = keeper_page
    button = page.get_by_role("button", name=gettext_id(app, "Menu"))
    home_link = page.locator("#nav").get_by_role("link", name=gettext_id(app, "Home"))
    expect(home_link).to_be_hidden()
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(home_link).to_be_visible()
    expect(home_link).to_have_attribute("aria-current", "page")
    assert "underline" in style(home_link, "text-decoration-line")
    background = hex_colour(style(page.locator("nav.app-nav"), "background-color"))
    assert contrast(hex_colour(style(home_link, "color")), background) >= 4.5
    page.keyboard.press("Escape")
    expect(home_link).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()


def test_a_message_closes_with_its_button(app, live_server, keeper_page):
    page = keeper_page
    page.goto(f"{live_server}/account/password")
    page.get_by_test_id("end-all-sessions").click()
    message = page.get_by_role("alert")
    expect(message).to_contain_text(gettext_id(app, "You have been logged out on every device."))
    message.get_by_role("button", name=gettext_id(app, "Close")).click()
    expect(message).to_have_count(0)


def test_the_favicon_and_icons_draw_from_local_files(live_server, keeper_page):
    page = keeper_page
    icon = page.locator(".navbar-brand .bi-box-seam")
    box = icon.bounding_box()
    assert box is not None
    assert box["width"] > 10
    assert box["height"] > 10
    assert "data:image/svg+xml" in style(icon, "mask-image")
    response = page.request.get(f"{live_server}/favicon.ico")
    assert response.status == 200
