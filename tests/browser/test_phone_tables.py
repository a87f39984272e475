"""At 360 px the numbers that matter stay on screen: a stock card's In, Out and Balance, a
document's quantity, the BAST's "10 lembar"; on paper every column is printed."""

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from logistics.accounts.models import User
from logistics.stock import operations
from logistics.stock.models import Item, Warehouse
from tests.accounts.factories import TEST_PASSWORD
from tests.browser.conftest import gettext_id

pytestmark = pytest.mark.browser
WIDTH = 360


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": WIDTH, "height": 740}}


@pytest.fixture
def papers(demo_loaded, session):
    """Blankets received, 10 lembar released on a BAST and 7 sent to a lumbung sosial."""
    keeper = session.scalar(select(User).where(User.username == "gudang"))
    place = session.scalar(select(Warehouse).where(Warehouse.code == "GDG-BU"))
    other = session.scalar(select(Warehouse).where(Warehouse.id != place.id,
                                                   Warehouse.is_active.is_(True)))
    blanket = session.scalar(select(Item).where(Item.code == "SLM"))
    operations.receive_stock(session, actor=keeper, warehouse_id=place.id, source="donor",
                             donor_name="PT Maju Jaya", lines=[
                                 {"item_id": blanket.id, "qty": 40, "batch_no": "SLM-PHONE"}])
    bast = operations.issue_stock(
        session, actor=keeper, warehouse_id=place.id, recipient_kind="other",
        recipient_name="Kantor Desa Air Lais Kecamatan Air Napal", giver_name="Siti Aminah",
        receiver_name="Rahmat Hidayat", lines=[{"item_id": blanket.id, "qty": 10}])
    transfer = operations.transfer_stock(session, actor=keeper, warehouse_id=place.id,
                                         to_warehouse_id=other.id,
                                         lines=[{"item_id": blanket.id, "qty": 7}])
    paths = {"card": f"/stock/warehouses/{place.id}/items/{blanket.id}/card",
             "bast": f"/stock/documents/{bast.id}",
             "transfer": f"/stock/documents/{transfer.id}"}
    session.commit()
    return paths


def log_in(app, page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/login")
    page.get_by_label(gettext_id(app, "Username")).fill("gudang")
    page.get_by_label(gettext_id(app, "Password")).fill(TEST_PASSWORD)
    page.get_by_role("button", name=gettext_id(app, "Log in")).click()


def on_screen(locator) -> str:
    """The element is visible and wholly inside the 360 px viewport; returns its text."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box["x"] >= 0, box
    assert box["x"] + box["width"] <= WIDTH + 0.5, box
    clipped = locator.evaluate("cell => cell.scrollWidth > cell.clientWidth + 1")
    assert not clipped, "the value is cut off inside its cell"
    return locator.inner_text()


def no_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at {WIDTH}px"


@pytest.mark.parametrize("printable", [False, True], ids=["card", "card-print"])
def test_stock_card_keeps_in_out_and_balance_on_screen(app, live_server, papers, page: Page,
                                                       printable):
    log_in(app, page, live_server)
    page.goto(f"{live_server}{papers['card']}{'/print' if printable else '?order=paper'}")
    rows = page.get_by_test_id("stock-card").locator("tbody tr")
    received, released, sent = rows.nth(rows.count() - 3), rows.nth(rows.count() - 2), \
        rows.nth(rows.count() - 1)
    assert on_screen(received.get_by_test_id("card-in")).endswith("40")
    assert on_screen(released.get_by_test_id("card-out")).endswith("10")
    assert on_screen(sent.get_by_test_id("card-out")).endswith("7")
    balances = [on_screen(row.get_by_test_id("card-balance")) for row in (received, released,
                                                                          sent)]
    before, after_release, after_transfer = (int(text.split()[-1].replace(".", ""))
                                             for text in balances)
    assert before - after_release == 10
    assert after_release - after_transfer == 7
    from_to = on_screen(released.get_by_test_id("from-to"))
    assert "Kantor Desa Air Lais" in from_to
    label = released.get_by_test_id("from-to").evaluate(
        "cell => getComputedStyle(cell, '::before').content")
    assert label == f'"{gettext_id(app, "From/To")}"'  # each value says what it is
    no_sideways_scroll(page)


def test_document_lines_keep_the_quantity_on_screen(app, live_server, papers, page: Page):
    log_in(app, page, live_server)
    page.goto(f"{live_server}{papers['transfer']}")
    quantities = page.get_by_test_id("line-qty")
    assert on_screen(quantities.first).endswith("7 lembar")
    label = quantities.first.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == f'"{gettext_id(app, "Quantity")}"'
    no_sideways_scroll(page)
    for path in (papers["bast"], papers["bast"] + "/print"):
        page.goto(f"{live_server}{path}")
        assert "10 lembar" in on_screen(page.get_by_test_id("line-qty").first), path
        no_sideways_scroll(page)


def test_paper_carries_every_column_and_no_menu_or_buttons(app, live_server, papers,
                                                           page: Page):
    log_in(app, page, live_server)
    page.emulate_media(media="print")
    page.goto(f"{live_server}{papers['bast']}")
    expect(page.locator("nav.app-nav")).to_be_hidden()
    expect(page.locator("main .btn").first).to_be_hidden()
    expect(page.get_by_test_id("document-lines").locator("thead")).to_be_visible()
    page.goto(f"{live_server}{papers['bast']}/print")
    expect(page.get_by_role("button", name=gettext_id(app, "Print"))).to_be_hidden()
    expect(page.get_by_test_id("letterhead")).to_be_visible()
    header = page.get_by_test_id("document-lines").locator("thead th")
    expect(header).to_have_count(4)
    expect(header.last).to_be_visible()
    page.goto(f"{live_server}{papers['card']}/print")
    header = page.get_by_test_id("stock-card").locator("thead th")
    expect(header).to_have_count(7)
    for index in range(7):
        expect(header.nth(index)).to_be_visible()
    label = page.get_by_test_id("card-balance").first.evaluate(
        "cell => getComputedStyle(cell, '::before').content")
    assert label in ("none", "normal")
