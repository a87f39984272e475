"""The pages stay usable on a 360 px phone, the screen most posko staff have."""

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from logistics.stock.documents import Document
from logistics.stock.models import Item, Warehouse
from tests.accounts.factories import TEST_PASSWORD
from tests.browser.conftest import gettext_id

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 360, "height": 740}}


def test_pages_fit_a_360px_phone(app, live_server, demo_loaded, page: Page):
    page.goto(f"{live_server}/login")
    page.get_by_label(gettext_id(app, "Username")).fill("posko")
    page.get_by_label(gettext_id(app, "Password")).fill(TEST_PASSWORD)
    page.get_by_role("button", name=gettext_id(app, "Log in")).click()
    for path in ("/home", "/regions/", "/regions/17.03", "/account/tokens"):
        page.goto(f"{live_server}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360px"
    page.goto(f"{live_server}/regions/17.03")
    page.get_by_role("link", name="Enggano").click()
    expect(page.get_by_text("17.03.01").first).to_be_visible()
    page.get_by_role("button", name=gettext_id(app, "Menu")).click()
    page.get_by_test_id("language-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_stock_pages_fit_a_360px_phone(app, live_server, demo_loaded, session, page: Page):
    warehouse = session.scalar(select(Warehouse.id).where(Warehouse.code == "GDG-BU"))
    item = session.scalar(select(Item.id).where(Item.code == "BRS"))
    document = session.scalar(select(func.min(Document.id)).where(Document.kind == "issue"))
    session.rollback()
    page.goto(f"{live_server}/login")
    page.get_by_label(gettext_id(app, "Username")).fill("gudang")
    page.get_by_label(gettext_id(app, "Password")).fill(TEST_PASSWORD)
    page.get_by_role("button", name=gettext_id(app, "Log in")).click()
    place = f"/stock/warehouses/{warehouse}"
    for path in ("/stock/", place, f"{place}/issue", f"{place}/receive", f"{place}/count",
                 f"{place}/items/{item}/card", "/stock/documents", f"/stock/documents/{document}",
                 f"/stock/documents/{document}/print", "/stock/alerts", "/stock/on-hand"):
        response = page.goto(f"{live_server}{path}")
        assert response.status == 200, path
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360px"
