"""Issue 17's walk on two phones: posko staff count their evacuees and ask for goods, a
coordinator approves (less than asked on one line) and delivers from the warehouse the
proposal offers first, and the printed BAST names the posko and cites the SK in force.

Both phones are 360 px wide on a throttled line with nothing fetched from outside; no page of
the walk scrolls sideways. Expected texts come from the catalog (`gettext_id`), figures from
the database. Screenshots are kept under test-artifacts/posko-walk/ (not committed).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from logistics.accounts.models import User
from logistics.calendar import local_today
from logistics.emergency.access import staffed_posko_ids
from logistics.emergency.deliveries import status_in_force
from logistics.emergency.models import Census, Posko
from logistics.emergency.request_models import REQUEST_FLOW, RequestStatus, StockRequest
from logistics.stock.documents import Document
from logistics.stock.models import Item
from tests.accounts.factories import TEST_PASSWORD
from tests.browser.conftest import gettext_id
from tests.browser.test_field_walk import THROTTLED, grouped
from tests.browser.test_weight import PHONE

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "posko-walk"
# A shelter's count as a volunteer reads it off her list; persons in the thousands so the
# history must group them the Indonesian way.
CENSUS = {"households": 318, "male": 612, "female": 655, "under_five": 141, "pregnant": 23,
          "breastfeeding": 47, "elderly": 96, "disabled": 12}
CENSUS_LABELS = {"households": "Households (KK)", "male": "Male", "female": "Female",
                 "under_five": "Under five", "pregnant": "Pregnant",
                 "breastfeeding": "Breastfeeding", "elderly": "Elderly 60+",
                 "disabled": "With disability"}
BLANKETS, RICE = "SLM", "BRS"
ASKED = {BLANKETS: 12, RICE: 1000}
APPROVED = {BLANKETS: 10, RICE: 1000}  # one line less than asked


class Phone:
    """One person's 360 px phone: its own cookies, a throttled line, nothing from outside."""

    def __init__(self, browser, origin: str, shots: Path, who: str):
        self.origin, self.shots, self.who = origin, shots, who
        self.context = browser.new_context(viewport=PHONE)
        self.outside: list[str] = []
        self.context.route(lambda url: not url.startswith((origin, "data:")), self._block)
        self.page = self.context.new_page()
        cdp = self.context.new_cdp_session(self.page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", THROTTLED)

    def _block(self, route):
        self.outside.append(route.request.url)
        route.abort()

    def log_in(self, app, username: str) -> None:
        page = self.page
        page.goto(f"{self.origin}/login")
        page.get_by_label(gettext_id(app, "Username")).fill(username)
        page.get_by_label(gettext_id(app, "Password")).fill(TEST_PASSWORD)
        page.get_by_role("button", name=gettext_id(app, "Log in")).click()
        page.wait_for_url(f"{self.origin}/home")

    def fits(self, name: str) -> None:
        """The page as it stands does not scroll sideways at 360 px; photographed."""
        self.page.wait_for_load_state("load")
        overflow = self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        path = self.page.url.removeprefix(self.origin)
        self.page.screenshot(path=str(self.shots / f"{self.who}-{name}.png"), full_page=True)
        assert overflow <= 0, f"{path} ({name}) scrolls sideways by {overflow}px at 360 px"

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def shots(request) -> Path:
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "-", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):  # only this run's pictures count
        old.unlink()
    return folder


def the_demo(session) -> dict:
    """The posko the demo's posko user staffs (the first by code), its event and the SK in
    force today, and the two items asked for; plain values only."""
    staff = session.scalar(select(User).where(User.username == "posko"))
    posko = session.scalar(select(Posko).where(Posko.id.in_(staffed_posko_ids(session, staff)))
                           .order_by(Posko.code).limit(1))
    in_force = status_in_force(session, posko.event_id, local_today())
    items = {code: session.scalar(select(Item).where(Item.code == code))
             for code in (BLANKETS, RICE)}
    found = {"posko": posko.id, "posko_name": posko.name, "posko_code": posko.code,
             "event_name": posko.event.name, "decree": in_force.decree_number,
             "items": {code: item.id for code, item in items.items()},
             "units": {code: item.base_unit for code, item in items.items()},
             "censuses": session.scalar(select(func.count()).select_from(Census)
                                        .where(Census.posko_id == posko.id))}
    session.rollback()  # an open transaction would hold SQLite's lock against the server
    return found


def census_field(page, app, name: str):
    return page.get_by_label(gettext_id(app, CENSUS_LABELS[name]), exact=True)


def message_of(page, field) -> str:
    """The messages the field names through aria-describedby, as a screen reader reads them."""
    described = (field.get_attribute("aria-describedby") or "").split()
    assert described, "the field points at no message"
    target = page.locator(f"[id='{described[0]}']")
    expect(target).to_be_visible()
    return target.inner_text().strip()


def test_posko_staff_count_and_ask_a_coordinator_approves_and_delivers_the_bast_names_the_posko(
    app, live_server, demo_loaded, session, browser, shots
):
    t = lambda message: gettext_id(app, message)  # noqa: E731 - read the catalog, not a copy
    demo = the_demo(session)
    staff = Phone(browser, live_server, shots, "posko")
    coordinator = Phone(browser, live_server, shots, "koordinator")
    try:
        # 1. The posko user finds the posko on the home page and opens it from there.
        page = staff.page
        staff.log_in(app, "posko")
        staff.fits("home")
        expect(page.get_by_test_id("scope-posko")).to_contain_text(demo["posko_name"])
        page.get_by_role("link", name=t("Events and posko")).click()
        staff.fits("events")
        page.get_by_role("link", name=re.compile(re.escape(demo["event_name"]))).click()
        staff.fits("event")
        page.get_by_role("link", name=demo["posko_name"], exact=True).click()
        expect(page).to_have_url(f"{live_server}/emergency/posko/{demo['posko']}")
        staff.fits("posko")

        # A count with more pregnant women than women: the message beside the field, in
        # Indonesian, every typed figure kept, nothing recorded.
        wrong = {**CENSUS, "pregnant": CENSUS["female"] + 5}
        for name, value in wrong.items():
            census_field(page, app, name).fill(str(value))
        page.get_by_role("button", name=t("Record census")).click()
        pregnant = census_field(page, app, "pregnant")
        expect(pregnant).to_have_class(re.compile(r"\bis-invalid\b"))
        assert message_of(page, pregnant) == t(
            "Cannot be more than the %(female)s women and girls counted.") % {
            "female": grouped(CENSUS["female"])}
        for name, value in wrong.items():
            expect(census_field(page, app, name)).to_have_value(str(value))
        staff.fits("census-refused")
        assert session.scalar(select(func.count()).select_from(Census).where(
            Census.posko_id == demo["posko"])) == demo["censuses"]
        session.rollback()

        # Corrected, it is recorded and heads the history, grouped the Indonesian way.
        pregnant.fill(str(CENSUS["pregnant"]))
        page.get_by_role("button", name=t("Record census")).click()
        expect(page.locator(".alert-success")).to_be_visible()
        latest = page.locator("table.table-cards tbody tr").first
        persons = CENSUS["male"] + CENSUS["female"]
        expect(latest.locator(f"td[data-label='{t('Persons')}']")).to_have_text(grouped(persons))
        for name, value in CENSUS.items():
            cell = latest.locator(f"td[data-label='{t(CENSUS_LABELS[name])}']")
            expect(cell).to_have_text(grouped(value))
        staff.fits("census-recorded")
        recorded = session.scalar(select(Census).where(Census.posko_id == demo["posko"])
                                  .order_by(Census.counted_at.desc(), Census.id.desc()).limit(1))
        assert {name: getattr(recorded, name) for name in CENSUS} == CENSUS
        session.rollback()

        # 2. From the posko page, a request of two lines; the rice typed as "1.000".
        page.get_by_role("link", name=t("Ask the warehouses")).click()
        asking_for = page.get_by_role("combobox", name=t("Posko"), exact=True)
        expect(asking_for).to_have_value(str(demo["posko"]))
        staff.fits("request-form")
        for row, (code, typed) in enumerate(((BLANKETS, str(ASKED[BLANKETS])),
                                             (RICE, grouped(ASKED[RICE])))):
            card = page.locator("form .card").nth(row)
            card.get_by_label(t("Item"), exact=True).select_option(str(demo["items"][code]))
            card.get_by_label(t("Quantity"), exact=True).fill(typed)
        page.get_by_role("button", name=t("Send to the coordinators")).click()
        expect(page.get_by_text(t(REQUEST_FLOW.label(RequestStatus.SUBMITTED)),
                                exact=True)).to_be_visible()
        staff.fits("request-sent")
        asked = session.scalar(select(StockRequest).where(StockRequest.posko_id == demo["posko"])
                               .order_by(StockRequest.id.desc()).limit(1))
        number, request_id = asked.number, asked.id
        assert asked.status == RequestStatus.SUBMITTED
        assert {line.item.code: line.qty for line in asked.lines} == ASKED  # "1.000" is 1000
        session.rollback()

        # 3. The coordinator, on another phone, finds it waiting and approves less blankets.
        page = coordinator.page
        coordinator.log_in(app, "koordinator")
        page.get_by_role("link", name=t("Requests from posko")).click()
        coordinator.fits("queue")
        waiting = page.locator(".list-group").first
        waiting.get_by_role("link", name=re.compile(re.escape(number))).click()
        expect(page).to_have_url(f"{live_server}/emergency/requests/{request_id}")
        coordinator.fits("request")
        approving = {code: page.locator("tbody tr").filter(has_text=re.compile(rf"\b{code}\b"))
                     .locator("input[name=approved_qty]") for code in APPROVED}
        for code, qty in ASKED.items():  # offered as asked, grouped as the page writes it
            expect(approving[code]).to_have_value(grouped(qty))
        approving[BLANKETS].fill(str(APPROVED[BLANKETS]))  # the rice as offered: "1.000"
        page.get_by_role("button", name=t("Approve these quantities")).click()
        expect(page.get_by_text(t(REQUEST_FLOW.label(RequestStatus.APPROVED)),
                                exact=True)).to_be_visible()
        coordinator.fits("request-approved")

        # Deliver from the warehouse the proposal offers first (nearest holding stock), with
        # the quantities it proposes.
        page.get_by_role("link", name=t("Deliver")).click()
        expect(page.get_by_role("button", name=t("Post release"))).to_be_visible()
        coordinator.fits("fulfil")
        choice = page.locator("#f-warehouse")
        assert choice.input_value() == choice.locator("option").first.get_attribute("value")
        warehouse_id = int(choice.input_value())
        proposed = {}
        for card in page.locator("form[method=post] .card").all():
            line_id = int(card.locator("input[name=line_id]").get_attribute("value"))
            proposed[line_id] = int(card.locator("input[name=qty]").input_value() or 0)
        assert any(proposed.values()), "the proposal's warehouse offers nothing"
        page.get_by_role("button", name=t("Post release")).click()
        expect(page.get_by_test_id("document-number")).to_be_visible()
        coordinator.fits("release")
        document = session.scalar(select(Document).where(
            Document.id == int(page.url.rsplit("/", 1)[1])))
        document_id = document.id
        assert document.warehouse_id == warehouse_id
        delivered = session.get(StockRequest, request_id)
        lines = {line.id: line for line in delivered.lines}
        assert {line.item.code: line.approved_qty for line in lines.values()} == APPROVED
        assert {line_id: lines[line_id].fulfilled_qty for line_id in proposed} == proposed
        whole = all(line.fulfilled_qty == line.approved_qty for line in lines.values())
        expected = RequestStatus.FULFILLED if whole else RequestStatus.PARTLY_FULFILLED
        assert delivered.status == expected
        session.rollback()
        page.goto(f"{live_server}/emergency/requests/{request_id}")
        expect(page.get_by_text(t(REQUEST_FLOW.label(expected)), exact=True)).to_be_visible()
        coordinator.fits("request-delivered")

        # 4. The printed BAST names the posko, name and code, and cites the SK in force.
        page.goto(f"{live_server}/stock/documents/{document_id}/print")
        coordinator.fits("bast")
        opening = page.get_by_test_id("date-in-words").inner_text()
        assert f"{demo['posko_name']} ({demo['posko_code']})" in opening
        authority = page.locator("tr").filter(has=page.locator("th", has_text=t("Authority")))
        expect(authority.locator("td")).to_have_text(demo["decree"])
        assert staff.outside == []
        assert coordinator.outside == []
    finally:
        staff.close()
        coordinator.close()
