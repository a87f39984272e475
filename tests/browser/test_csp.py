"""Pages, the stock forms' script, printable pages and the API docs all work under the CSP."""

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from logistics.calendar import local_today
from tests.accounts.factories import TEST_PASSWORD
from tests.browser.conftest import gettext_id

pytestmark = pytest.mark.browser

# Chromium reports every refused script, style, image or frame to the page as an event.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.reportViolation(event.violatedDirective + " blocked " + (event.blockedURI || "inline")
                         + " on " + document.location.pathname);
});
"""


@pytest.fixture
def watched(page: Page):
    """The page, and a list that fills with every CSP violation and script error it sees."""
    problems = []
    page.expose_function("reportViolation", lambda text: problems.append(text))
    page.add_init_script(REPORT_VIOLATIONS)
    page.on("console", lambda message: problems.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    return page, problems


@pytest.fixture
def shelf(stock, make_user):
    keeper = make_user("warehouse_keeper", username="penjaga")
    warehouse = stock.warehouse(code="LS-CSP", name="Lumbung CSP", keepers=[keeper])
    rice = stock.item(code="BRS-CSP", name_id="Beras", name_en="Rice", perishable=True,
                      packs=[("karung", 25)])
    for batch, days in (("A-1", 30), ("B-2", 90)):
        stock.receive(warehouse, rice, 50, batch_no=batch,
                      expires_on=local_today() + timedelta(days))
    return {"keeper": keeper, "warehouse": warehouse, "rice": rice}


def test_pages_forms_print_and_api_docs_load_without_a_csp_violation(
    app, live_server, shelf, watched
):
    page, problems = watched
    t = lambda message: gettext_id(app, message)  # noqa: E731 - read the catalog, not a copy

    page.goto(f"{live_server}/login")
    page.get_by_label(t("Username")).fill(shelf["keeper"])
    page.get_by_label(t("Password")).fill(TEST_PASSWORD)
    page.get_by_role("button", name=t("Log in")).click()
    expect(page).to_have_url(f"{live_server}/home")

    # The release form's lot picker is lines.js at work: lots appear once an item is chosen.
    page.goto(f"{live_server}/stock/warehouses/{shelf['warehouse']}/issue")
    row = page.locator("[data-row]").first
    lots = row.get_by_label(t("Lot"))
    expect(lots.locator("option")).to_have_count(1)
    row.get_by_label(t("Item"), exact=True).select_option(str(shelf["rice"]))
    expect(lots.locator("option")).to_have_count(3)
    page.get_by_role("button", name=t("Add a line")).click()
    expect(page.locator("[data-row]")).to_have_count(6)

    # A printable page: its stylesheet and Print button come from files now.
    page.goto(f"{live_server}/stock/warehouses/{shelf['warehouse']}/items/{shelf['rice']}"
              "/card/print")
    expect(page.get_by_role("button", name=t("Print"))).to_be_visible()
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "16px"  # 12pt

    # Swagger UI, served locally, renders the spec and can try an operation.
    page.goto(f"{live_server}/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Lumbung Siaga API")
    page.locator(".opblock-summary", has_text="/api/v1/auth/me").first.click()
    page.get_by_role("button", name="Try it out").first.click()
    page.get_by_role("button", name="Execute").first.click()
    status = page.locator(".live-responses-table tbody .response-col_status").first
    expect(status).to_have_text("200")

    # Logging out everywhere from the password page ends up at the login page.
    page.goto(f"{live_server}/account/password")
    page.get_by_test_id("end-all-sessions").click()
    expect(page).to_have_url(f"{live_server}/login")
    assert problems == []
