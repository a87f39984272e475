"""Each role walks its pages as in the field: a 360 px phone on a throttled line, nothing
fetched from outside. Every page it is offered stays within the first-load budget, shows its
key numbers the Indonesian way ("4.000"), its times in WIB (never UTC), and labels every field
it asks for; a keeper's receipt with three mistakes shows all three in one round, in Indonesian.

Screenshots of the keeper's receipt, release, stock card and BAST at 360 px are kept under
test-artifacts/field-walk/ (not committed) for review.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import expect
from sqlalchemy import func, select

from logistics.accounts.models import User
from logistics.accounts.roles import Permission, Role, role_can
from logistics.calendar import local_today
from logistics.emergency.access import staffed_posko_ids
from logistics.emergency.models import Posko
from logistics.stock import queries
from logistics.stock.documents import Document, DocumentKind
from logistics.stock.models import Item, Warehouse
from seeds import demo
from tests.browser.conftest import gettext_id
from tests.browser.test_weight import FIRST_LOAD_BUDGET, PHONE, Meter, log_in

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "field-walk"
CATALOG = Path(__file__).resolve().parents[2] / "app/translations/id/LC_MESSAGES/messages.po"
# Throttled like a good 3G/4G signal rather than Fast 3G's 562 ms a request: bytes do not
# depend on the speed, and the walk covers some seventy cold pages (test_weight.py times the
# main ones on Fast 3G).
THROTTLED = {"offline": False, "latency": 40, "downloadThroughput": 4e6 / 8,
             "uploadThroughput": 1e6 / 8}
# Not pages: logging out, switching language, files; "/" only sends on to /home. The API's
# documentation is a tool for the systems admins connect, not a field page.
SKIPPED = re.compile(r"^/(logout|language|login|static|vendor|favicon)|^/api/|^/$")
ENGLISH_GROUPING = re.compile(r"(?<![\d.,])\d{1,3}(,\d{3})+(?![\d,])")
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def grouped(number: int) -> str:
    """Indonesian digit grouping, written out here so the test does not trust app.i18n."""
    return f"{number:,}".replace(",", ".")


def user_of(role: Role) -> str:
    return next(name for name, _full, each in demo.DEMO_USERS if each == role)


def demo_places(session) -> dict:
    """Where the numbers are: the central warehouse, its rice, its latest release (BAST); the
    flood and the first posko the posko user staffs."""
    central = session.scalar(select(Warehouse).where(Warehouse.code == "GDG-BU"))
    rice = session.scalar(select(Item).where(Item.code == "BRS"))
    staff = session.scalar(select(User).where(User.username == user_of(Role.POSKO_STAFF)))
    posko = session.scalar(select(Posko).where(Posko.id.in_(staffed_posko_ids(session, staff)))
                           .order_by(Posko.code).limit(1))
    places = {
        "posko": posko.id, "event": posko.event_id,
        "warehouse": central.id, "rice": rice.id,
        "rice_on_hand": queries.item_on_hand(session, central.id, rice.id),
        "bast": session.scalar(select(func.max(Document.id)).where(
            Document.kind == DocumentKind.ISSUE, Document.warehouse_id == central.id)),
    }
    session.rollback()  # plain values only: an open transaction would hold SQLite's lock
    return places


def offered_pages(page, origin: str) -> list[str]:
    """The pages the home page and the menu link to, in their order, each once."""
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    paths = []
    for href in hrefs:
        if not href.startswith(origin):
            continue
        path = href.removeprefix(origin).split("#")[0]
        if path and not SKIPPED.search(path) and path not in paths:
            paths.append(path)
    return paths


def pages_for(role: Role, offered: list[str], places: dict) -> list[str]:
    """What the home page offers, and for stock roles the pages behind it that hold numbers:
    the warehouse, its rice's stock card, a BAST; for posting roles the forms. Those who record
    at a posko also walk its page and the request form; those who run events, the event's page
    and its needs (the event list and the request queue are on the home page)."""
    pages = ["/home", *[path for path in offered if path != "/home"]]
    if role_can(role, Permission.RECORD_POSKO):
        pages += [f"/emergency/posko/{places['posko']}", "/emergency/requests/new"]
    if role_can(role, Permission.MANAGE_EVENTS):
        pages += [f"/emergency/events/{places['event']}",
                  f"/emergency/events/{places['event']}/needs"]
    if role_can(role, Permission.VIEW_STOCK):
        place = f"/stock/warehouses/{places['warehouse']}"
        pages += [place, f"{place}/items/{places['rice']}/card",
                  f"/stock/documents/{places['bast']}", f"/stock/documents/{places['bast']}/print"]
        if role == Role.WAREHOUSE_KEEPER:
            pages += [f"{place}/{form}" for form in ("receive", "issue", "transfer", "adjust",
                                                     "count")]
    return list(dict.fromkeys(pages))


SCREENSHOTS = {"receive": "receipt", "issue": "release", "card": "stock-card",
               "print": "bast"}


class QuietPage:
    """The page as Meter drives it, but "network idle" is the moment the last request ended
    rather than Playwright's half a second of silence, which would double the walk."""

    def __init__(self, page, meter_events: list, failed: set[str]):
        self._page, self._events, self._failed = page, meter_events, failed

    def __getattr__(self, name):
        return getattr(self._page, name)

    def goto(self, url):
        return self._page.goto(url, wait_until="load")

    def wait_for_load_state(self, state="load"):
        self._page.wait_for_load_state("load")
        quiet = 0
        for _ in range(100):  # at most 2 s
            started = {event["requestId"] for name, event in self._events
                       if name == "requestWillBeSent"}
            ended = self._failed | {event["requestId"] for name, event in self._events
                                    if name == "loadingFinished"}
            quiet = quiet + 1 if started <= ended else 0
            if quiet >= 2:
                return
            self._page.wait_for_timeout(20)


class Walker:
    """One role's phone: throttled, no cache (every page is a first load), nothing outside."""

    def __init__(self, browser, origin: str, state: dict):
        self.context = browser.new_context(viewport=PHONE, storage_state=state)
        self.blocked: list[str] = []
        self.context.route(lambda url: not url.startswith((origin, "data:")), self._block)
        self.page = self.context.new_page()
        self.meter = Meter(self.context, self.page, origin)
        failed: set[str] = set()
        self.meter.cdp.on("Network.loadingFailed", lambda event: failed.add(event["requestId"]))
        self.meter.page = QuietPage(self.page, self.meter.events, failed)
        self.meter.cdp.send("Network.emulateNetworkConditions", THROTTLED)
        self.meter.cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})

    def _block(self, route):
        self.blocked.append(route.request.url)
        route.abort()

    def visit(self, path: str):
        return self.meter.visit(path)

    def close(self):
        self.context.close()


def field_problems(page) -> list[str]:
    """Visible inputs, selects and textareas without a visible <label> (or aria-labelledby
    naming visible text). A placeholder or an aria-label alone leaves a field unnamed on
    screen once typed in, so they do not count. Folded sections (<details>) are opened first:
    their fields count as they read once opened (closed, Chromium lays them out but renders
    no text, so every label there would read as missing)."""
    return page.evaluate("""() => {
        document.querySelectorAll('details:not([open])').forEach(fold => { fold.open = true; });
        const shown = el => !!el && el.offsetParent !== null && el.innerText.trim() !== '';
        const found = [];
        for (const field of document.querySelectorAll('input, select, textarea')) {
            if (['hidden', 'submit', 'button', 'reset', 'image'].includes(field.type)) continue;
            if (field.offsetParent === null) continue;  // not on screen (closed menu)
            const labels = Array.from(field.labels || []).filter(shown);
            const by = (field.getAttribute('aria-labelledby') || '').split(/\\s+/)
                .map(id => document.getElementById(id)).filter(shown);
            if (!labels.length && !by.length) {
                found.push(`${field.tagName.toLowerCase()}[name=${field.name}]` +
                           (field.getAttribute('aria-label') ? ' (aria-label only)' : ''));
            }
        }
        return found;
    }""")


def text_problems(path: str, text: str) -> list[str]:
    problems = []
    if "UTC" in text:
        problems.append(f"{path} shows a time in UTC")
    if ISO_TIME.search(text):
        problems.append(f"{path} shows a raw timestamp {ISO_TIME.search(text).group(0)}")
    if ENGLISH_GROUPING.search(text):
        problems.append(f"{path} groups digits the English way: "
                        f"{ENGLISH_GROUPING.search(text).group(0)}")
    return problems


def number_problems(page, path: str, places: dict) -> list[str]:
    """The key figures of the stock pages, visible on the phone and grouped the Indonesian way
    (the rice at the central warehouse is in the thousands); documents say WIB."""
    problems = []
    key = None
    if path.endswith("/card"):
        key = "card-on-hand"
        if grouped(4000) not in page.inner_text("body"):  # the first delivery, 4000 kg
            problems.append(f"{path}: the first delivery does not read {grouped(4000)}")
    elif re.fullmatch(r"/stock/warehouses/\d+", path):
        key = "on-hand-BRS"
    if key is not None:
        figure = page.get_by_test_id(key)
        if not figure.is_visible():
            problems.append(f"{path}: the on-hand figure ({key}) is not visible")
        elif grouped(places["rice_on_hand"]) not in figure.inner_text():
            problems.append(f"{path}: expected {grouped(places['rice_on_hand'])} in "
                            f"{figure.inner_text()!r}")
    if path.startswith("/stock/documents/") and "WIB" not in page.inner_text("body"):
        problems.append(f"{path}: the posting time does not say WIB")
    return problems


def walk(app, browser, origin: str, places: dict, role: Role, *,
         shots: Path | None = None) -> tuple[list[str], list[str]]:
    """Walk one role's pages on the throttled phone: the problems found, and the fields
    without a visible label, as readable lines."""
    walker = Walker(browser, origin, log_in(browser, origin, app, user_of(role)))
    problems, unlabelled = [], []
    try:
        walker.visit("/home")
        for path in pages_for(role, offered_pages(walker.page, origin), places):
            load = walker.visit(path)
            if load.bytes > FIRST_LOAD_BUDGET:
                problems.append(f"{path}: first load {load.bytes / 1024:.1f} KB")
            # "?" is a late event of the page before; what left is in walker.blocked
            problems += [f"{path} asked outside for {url}" for url in load.external
                         if url != "?"]
            problems += text_problems(path, walker.page.inner_text("body"))
            problems += number_problems(walker.page, path, places)
            overflow = walker.page.evaluate(
                "document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                problems.append(f"{path} scrolls sideways by {overflow}px")
            unlabelled += [f"{path}: {field}" for field in field_problems(walker.page)]
            name = next((shot for end, shot in SCREENSHOTS.items() if path.endswith(end)), None)
            if shots is not None and name:
                walker.page.screenshot(path=str(shots / f"keeper-{name}.png"), full_page=True)
        problems += [f"blocked a request outside: {url}" for url in walker.blocked]
    finally:
        walker.close()
    return problems, unlabelled


@pytest.fixture
def shots(request) -> Path:
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "-", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):  # only this run's pictures count
        old.unlink()
    return folder


def test_each_role_walks_its_pages_on_a_throttled_phone(
    app, live_server, demo_loaded, session, browser, shots
):
    """Budget, nothing outside, Indonesian numbers, WIB times, no sideways scroll, then every
    field labelled on screen; the keeper's receipt, release, stock card and BAST are
    photographed."""
    places = demo_places(session)
    problems, unlabelled = {}, {}
    for role in Role:
        found, fields = walk(app, browser, live_server, places, role,
                             shots=shots if role == Role.WAREHOUSE_KEEPER else None)
        if found:
            problems[role.value] = found
        if fields:
            unlabelled[role.value] = fields
    assert problems == {}, "\n".join(f"{role}: {line}" for role, lines in problems.items()
                                      for line in lines)
    assert sorted(path.name for path in shots.glob("keeper-*.png")) == [
        "keeper-bast.png", "keeper-receipt.png", "keeper-release.png", "keeper-stock-card.png"]
    assert unlabelled == {}, "fields without a visible label:\n" + "\n".join(
        f"{role}: {line}" for role, lines in unlabelled.items() for line in lines)


def indonesian_patterns() -> list[re.Pattern]:
    """Every Indonesian message in the catalog, its %(name)s parameters as wildcards."""
    with CATALOG.open("rb") as po:
        catalog = read_po(po, locale="id")
    patterns = []
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            if text and len(text) > 3:
                parts = re.split(r"%\(\w+\)[sd]|%[sd]", text)
                patterns.append(re.compile(".+?".join(re.escape(part) for part in parts)))
    return patterns


def test_keeper_sees_every_mistake_of_a_receipt_in_one_round_in_indonesian(
    app, live_server, demo_loaded, session, browser
):
    places = demo_places(session)
    t = lambda message: gettext_id(app, message)  # noqa: E731 - read the catalog, not a copy
    state = log_in(browser, live_server, app, user_of(Role.WAREHOUSE_KEEPER))
    context = browser.new_context(viewport=PHONE, storage_state=state)
    try:
        page = context.new_page()
        page.goto(f"{live_server}/stock/warehouses/{places['warehouse']}/receive")
        today = local_today()
        page.locator("#f-document_date").fill(str(today + timedelta(days=10)))  # not yet
        row = page.locator("[data-row]").first
        row.locator("select[name=item_id]").select_option(str(places["rice"]))
        row.locator("input[name=qty]").fill("0")
        row.locator("input[name=expires_on]").fill(str(today - timedelta(days=400)))  # long gone
        page.get_by_role("button", name=t("Post receipt")).click()
        page.wait_for_load_state()

        expect(page.locator("html")).to_have_attribute("lang", "id")
        fields = {"document date": page.locator("#f-document_date"),
                  "quantity": row.locator("input[name=qty]"),
                  "expiry": row.locator("input[name=expires_on]")}
        missing = [name for name, field in fields.items()
                   if "is-invalid" not in (field.get_attribute("class") or "")]
        assert missing == [], f"no error shown on {missing} in the first round"
        # Each field names its messages through aria-describedby, as a screen reader reads them.
        messages = []
        for name, field in fields.items():
            described = (field.get_attribute("aria-describedby") or "").split()
            assert described, f"the {name} field points at no message"
            shown = [line.strip() for target in described
                     for line in page.locator(f"[id='{target}']").inner_text().splitlines()]
            messages += [line for line in shown if line]
        assert len(messages) >= 3
        patterns = indonesian_patterns()
        english = [text for text in messages
                   if not any(pattern.fullmatch(text) for pattern in patterns)]
        assert english == [], "messages not from the Indonesian catalog"
        posted = session.scalar(select(func.count()).select_from(Document).where(
            Document.document_date > today))
        session.rollback()
        assert posted == 0
    finally:
        context.close()
