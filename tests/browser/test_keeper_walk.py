"""A lumbung sosial keeper's morning on a phone: receive rice by the sack, release some against a
BAST with the emergency order's reference, print the BAST and read the stock card."""

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from logistics.calendar import local_today
from logistics.stock.models import Lot
from tests.accounts.factories import TEST_PASSWORD
from tests.browser.conftest import gettext_id

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def lumbung(stock, make_user):
    """A lumbung sosial with one keeper, rice (sold by the 25 kg sack) and one lot on hand."""
    keeper = make_user("warehouse_keeper", username="penjaga")
    warehouse = stock.warehouse(kind="lumbung_sosial", code="LS-WALK", name="Lumbung Walk",
                                keepers=[keeper])
    rice = stock.item(code="BRS-W", name_id="Beras medium", name_en="Medium rice",
                      perishable=True, packs=[("karung", 25)])
    stock.item(code="MNY-W", name_id="Minyak goreng", name_en="Cooking oil")
    stock.receive(warehouse, rice, 40, batch_no="LAMA-1", expires_on=local_today() + timedelta(20))
    return {"keeper": keeper, "rice": rice}


def test_keeper_receives_issues_with_bast_and_reads_the_stock_card(
    app, live_server, lumbung, session, page: Page
):
    t = lambda message: gettext_id(app, message)  # noqa: E731 - read the catalog, not a copy

    script_errors = []
    page.on("pageerror", lambda error: script_errors.append(error))
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/login")
    page.get_by_label(t("Username")).fill(lumbung["keeper"])
    page.get_by_label(t("Password")).fill(TEST_PASSWORD)
    page.get_by_role("button", name=t("Log in")).click()
    page.get_by_role("link", name=t("Warehouses and stock")).click()
    page.get_by_test_id("warehouse-LS-WALK").click()

    page.get_by_test_id("post-actions").get_by_role("link", name=t("Receive")).click()
    page.get_by_label(t("Search items")).fill("BRS-W")
    row = page.locator("[data-row]").first
    expect(row.get_by_label(t("Item")).locator("option")).to_have_count(2)  # blank and the rice
    row.get_by_label(t("Item")).select_option(str(lumbung["rice"]))
    row.get_by_label(t("Pack"), exact=True).fill("karung")
    row.get_by_label(t("Packs"), exact=True).fill("4")
    row.get_by_label(t("Batch no.")).fill("BARU-1")
    row.get_by_label(t("Expiry date")).fill(str(local_today() + timedelta(days=300)))
    page.get_by_label(t("Supplier document number")).fill("SPPB/WALK/1")
    page.get_by_role("button", name=t("Post receipt")).click()
    expect(page.get_by_test_id("document-number")).to_contain_text("LS-WALK")
    new_lot = session.scalar(select(Lot.id).where(Lot.batch_no == "BARU-1"))
    session.rollback()  # a plain value only: an open transaction would hold SQLite's lock

    page.get_by_role("link", name="LS-WALK").click()
    page.get_by_test_id("post-actions").get_by_role("link", name=t("Release (BAST)")).click()
    expect(page.get_by_text(t("A release from a lumbung sosial needs the emergency status "
                              "decree or the Kepala Dinas's written order."))).to_be_visible()
    page.get_by_label(t("Recipient kind")).select_option("other")  # a posko is picked, not typed
    page.get_by_label(t("Recipient (public kitchen, person or office)")).fill("Desa Air Lais")
    page.get_by_label(t("Giver")).fill("Siti Aminah")
    page.get_by_label(t("Receiver")).fill("Rahmat Hidayat")
    page.get_by_label(t("Witness")).fill("Kepala Desa Air Lais")
    page.get_by_label(t("Emergency status or written order reference")).fill("SK 360/12/2026")
    row = page.locator("[data-row]").first
    lots = row.get_by_label(t("Lot"))
    expect(lots.locator("option")).to_have_count(1)  # first expiry first, until an item is chosen
    row.get_by_label(t("Item"), exact=True).select_option(str(lumbung["rice"]))
    expect(lots.locator("option")).to_have_count(3)
    lots.select_option(str(new_lot))  # the keeper picks the sacks at the front of the shelf
    row.get_by_label(t("Quantity"), exact=True).fill("30")
    page.get_by_role("button", name=t("Add a line")).click()
    expect(page.locator("[data-row]")).to_have_count(6)
    page.get_by_role("button", name=t("Post release")).click()
    expect(page.get_by_test_id("document-number")).to_contain_text("LS-WALK")
    bast = page.get_by_test_id("document-number").inner_text()

    page.get_by_role("link", name=t("Print BAST")).click()
    expect(page.get_by_test_id("giver")).to_have_text("Siti Aminah")
    expect(page.get_by_test_id("receiver")).to_have_text("Rahmat Hidayat")
    expect(page.get_by_test_id("witness")).to_have_text("Kepala Desa Air Lais")
    expect(page.get_by_text("BARU-1")).to_be_visible()
    page.get_by_role("link", name=t("Back")).click()

    page.get_by_role("link", name="LS-WALK").click()
    page.get_by_test_id("on-hand-BRS-W").get_by_role("link").click()
    expect(page.get_by_test_id("card-on-hand")).to_have_text("110")  # 40 + 4 sacks of 25 - 30
    first_line = page.get_by_test_id("stock-card").locator("tbody tr").first
    expect(first_line).to_contain_text(bast)
    expect(first_line).to_contain_text("110")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert script_errors == []
