"""A warehouse keeper's morning on a phone: receive rice, release it against a BAST, check
the printed BAST and the stock card."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from logistics.stock import queries
from logistics.stock.models import Item, Warehouse
from tests.browser.conftest import gettext_id
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_keeper_receives_issues_with_bast_and_reads_the_stock_card(
    app, live_server, demo_loaded, session, page: Page
):
    warehouse_id = session.scalar(select(Warehouse.id).where(Warehouse.code == "GDG-BU"))
    rice_id = session.scalar(select(Item.id).where(Item.code == "BRS"))
    before = queries.item_on_hand(session, warehouse_id, rice_id)
    session.rollback()  # plain values only from here: a lazy load would hold SQLite's lock
    t = lambda message: gettext_id(app, message)  # noqa: E731 - read the catalog, not a copy

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/login")
    page.get_by_label(t("Username")).fill("gudang")
    page.get_by_label(t("Password")).fill(TEST_PASSWORD)
    page.get_by_role("button", name=t("Log in")).click()
    page.get_by_role("link", name=t("Warehouses and stock")).click()
    page.get_by_test_id("warehouse-GDG-BU").click()

    page.get_by_test_id("post-actions").get_by_role("link", name=t("Receive")).click()
    row = page.locator("[data-row]").first
    row.get_by_label(t("Item")).select_option(str(rice_id))
    row.get_by_label(t("Quantity (base unit)")).fill("100")
    row.get_by_label(t("Batch no.")).fill("BRS-WALK-1")
    row.get_by_label(t("Expiry date")).fill(str(date.today() + timedelta(days=300)))
    page.get_by_label(t("Supplier document number")).fill("SPPB/WALK/1")
    page.get_by_role("button", name=t("Post receipt")).click()
    expect(page.get_by_test_id("document-number")).to_contain_text("TRM-GDG-BU")

    page.get_by_role("link", name="GDG-BU").click()
    page.get_by_test_id("post-actions").get_by_role("link", name=t("Release (BAST)")).click()
    page.get_by_label(t("Recipient (posko, public kitchen or person)")).fill("Posko Air Lais")
    page.get_by_label(t("Receiver")).fill("Rahmat Hidayat")
    page.get_by_label(t("Witness")).fill("Kepala Desa Air Lais")
    row = page.locator("[data-row]").first
    row.get_by_label(t("Item"), exact=True).select_option(str(rice_id))
    row.get_by_label(t("Quantity"), exact=True).fill("30")
    page.get_by_role("button", name=t("Post release")).click()
    expect(page.get_by_test_id("document-number")).to_contain_text("BAST-GDG-BU")

    page.get_by_role("link", name=t("Print BAST")).click()
    expect(page.get_by_test_id("receiver")).to_have_text("Rahmat Hidayat")
    expect(page.get_by_test_id("witness")).to_have_text("Kepala Desa Air Lais")
    page.get_by_role("link", name=t("Back")).click()

    page.get_by_role("link", name="GDG-BU").click()
    page.get_by_test_id("on-hand-BRS").get_by_role("link").click()
    expect(page.get_by_test_id("card-on-hand")).to_have_text(f"{before + 70:,}")
    first_line = page.get_by_test_id("stock-card").locator("tbody tr").first
    expect(first_line).to_contain_text("BAST-GDG-BU")
    expect(first_line).to_contain_text(f"{before + 70:,}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
