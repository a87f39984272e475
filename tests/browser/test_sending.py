"""On 3G a keeper taps "Post" and nothing seems to happen: the button must say it is sending
and refuse a second tap until the answer comes, so the document is not posted twice."""

import pytest
from playwright.sync_api import Page
from sqlalchemy import func, select

from app.extensions import db
from logistics.stock.documents import Document
from tests.accounts.factories import TEST_PASSWORD
from tests.browser.conftest import gettext_id

pytestmark = pytest.mark.browser

# Stands in for a slow line: after the page's own script has seen a submit, the form is kept
# from leaving (Playwright cannot read a page whose navigation is pending), and each submit the
# page's script let through is counted.
HOLD_SUBMITS = """() => {
  window.sent = 0;
  document.addEventListener("submit", event => {
    if (!event.defaultPrevented) { window.sent += 1; }
    event.preventDefault();
  });
}"""
BUSY = """() => [...document.querySelectorAll("button[aria-busy=true]")]
              .map(button => [button.textContent.trim(), button.disabled])"""


def test_a_slow_post_shows_sending_and_a_second_tap_sends_nothing(
        app, live_server, stock, make_user, page: Page):
    t = lambda message: gettext_id(app, message)  # noqa: E731
    keeper = make_user("warehouse_keeper")
    warehouse = stock.warehouse(keepers=[keeper], code="G-SLOW")
    rice = stock.item(code="BRS-S", name_id="Beras")
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server}/login")
    page.get_by_label(t("Username")).fill(keeper)
    page.get_by_label(t("Password")).fill(TEST_PASSWORD)
    page.get_by_role("button", name=t("Log in")).click()
    page.goto(f"{live_server}/stock/warehouses/{warehouse}/receive")
    page.locator("[data-row]").first.get_by_label(t("Item")).select_option(str(rice))
    page.locator("#line-0-qty").fill("1.000")
    button = page.get_by_role("button", name=t("Post receipt"))

    page.evaluate(HOLD_SUBMITS)
    button.click()
    page.wait_for_function("() => document.querySelector('button[aria-busy=true]')")
    assert page.evaluate(BUSY) == [[t("Sending…"), True]]
    page.evaluate("() => document.querySelector('form[method=post] button[aria-busy]')"
                  ".form.requestSubmit()")  # a second tap, by any means
    assert page.evaluate("() => window.sent") == 1

    # The back button brings the page back from the browser's cache: usable again.
    page.evaluate("() => window.dispatchEvent(new PageTransitionEvent('pageshow'))")
    assert page.evaluate(BUSY) == []
    assert button.is_enabled()
    with app.app_context():
        assert db.session.scalar(select(func.count(Document.id))) == 0  # nothing left the page


def test_without_the_hold_the_receipt_posts_once(app, live_server, stock, make_user, page: Page):
    t = lambda message: gettext_id(app, message)  # noqa: E731
    keeper = make_user("warehouse_keeper")
    warehouse = stock.warehouse(keepers=[keeper], code="G-ONCE")
    rice = stock.item(code="BRS-O", name_id="Beras")
    page.goto(f"{live_server}/login")
    page.get_by_label(t("Username")).fill(keeper)
    page.get_by_label(t("Password")).fill(TEST_PASSWORD)
    page.get_by_role("button", name=t("Log in")).click()
    page.goto(f"{live_server}/stock/warehouses/{warehouse}/receive")
    page.locator("[data-row]").first.get_by_label(t("Item")).select_option(str(rice))
    page.locator("#line-0-qty").fill("1.000")
    page.get_by_role("button", name=t("Post receipt")).dblclick()
    page.wait_for_url("**/documents/**")
    with app.app_context():
        assert db.session.scalar(select(func.count(Document.id))) == 1
    assert stock.on_hand(warehouse, rice) == 1000
