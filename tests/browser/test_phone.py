"""The pages stay usable on a 360 px phone, the screen most posko staff have."""

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from logistics.accounts.models import User
from logistics.calendar import local_today
from logistics.emergency import events
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


def test_a_keeper_releases_to_a_posko_on_a_360px_phone(app, live_server, demo_loaded, session,
                                                       page: Page):
    """Pick the posko, leave the SK empty: the lumbung sosial's gate opens with the event's
    status, and nothing on the form scrolls sideways."""
    coordinator = session.scalar(select(User).where(User.username == "koordinator"))
    event = events.open_new_event(session, actor=coordinator, hazard="banjir",
                                  name="Banjir Ketahun", started_on=local_today(),
                                  region_codes=["17.03.12"])
    events.record_status(session, actor=coordinator, event_id=event.id,
                         phase="tanggap_darurat", starts_on=local_today(),
                         decree_number="SK Bupati Bengkulu Utara No. 360/214/B.1/2026")
    posko = events.open_posko(session, actor=coordinator, event_id=event.id,
                              name="Balai Desa Pasar Ketahun", kind="tempat_pengungsian",
                              desa_code="17.03.12.2002")
    site = session.scalar(select(Warehouse.id).where(Warehouse.code == "LS-KETAHUN"))
    blanket = session.scalar(select(Item.id).where(Item.code == "SLM"))
    label = f"{posko.code} Balai Desa Pasar Ketahun"
    session.commit()
    page.goto(f"{live_server}/login")
    page.get_by_label(gettext_id(app, "Username")).fill("gudang")
    page.get_by_label(gettext_id(app, "Password")).fill(TEST_PASSWORD)
    page.get_by_role("button", name=gettext_id(app, "Log in")).click()
    page.goto(f"{live_server}/stock/warehouses/{site}/issue")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the release form scrolls sideways by {overflow}px at 360px"
    page.get_by_label(gettext_id(app, "Posko"), exact=True).select_option(label=label)
    page.get_by_label(gettext_id(app, "Receiver")).fill("Rahmat Hidayat")
    row = page.locator("[data-row]").first
    row.get_by_label(gettext_id(app, "Item"), exact=True).select_option(str(blanket))
    row.get_by_label(gettext_id(app, "Quantity"), exact=True).fill("1")
    page.get_by_role("button", name=gettext_id(app, "Post release")).click()
    expect(page.get_by_test_id("document-number")).to_contain_text("LS-KETAHUN")
    expect(page.get_by_text("SK Bupati Bengkulu Utara No. 360/214/B.1/2026")).to_be_visible()
    expect(page.get_by_text("Balai Desa Pasar Ketahun").first).to_be_visible()
