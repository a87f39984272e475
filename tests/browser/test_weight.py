"""Pages stay light on a phone at a posko: on an emulated Fast-3G line, at 360 px, every role's
first visit to a page costs at most 150 KB, the next page at most 20 KB with every file the
browser already holds taken from its cache (no revalidation, nothing fetched twice; a file only
that page uses, such as the stock forms' script, comes once), and nothing comes from outside.

Bytes are what Chromium's network layer reports (`encodedDataLength`: headers and body as they
crossed the wire, compressed). Set LUMBUNG_WEIGHT_REPORT=<file> to write the measured table,
as kept in docs/performance.md.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from logistics.accounts.roles import Role
from logistics.stock.models import Item, Warehouse
from seeds import demo
from tests.accounts.factories import TEST_PASSWORD
from tests.browser.conftest import gettext_id

pytestmark = pytest.mark.browser

FIRST_LOAD_BUDGET = 150 * 1024
LATER_PAGE_BUDGET = 20 * 1024
PHONE = {"width": 360, "height": 740}
# Chrome DevTools' "Fast 3G" preset: 1.6 Mbit/s down, 750 kbit/s up (90% goodput), 562.5 ms.
FAST_3G = {"offline": False, "latency": 562.5, "downloadThroughput": 1.6e6 / 8 * 0.9,
           "uploadThroughput": 750e3 / 8 * 0.9}

STOCK_ROLES = {Role.ADMIN, Role.COORDINATOR, Role.WAREHOUSE_KEEPER, Role.POSKO_STAFF,
               Role.LEADERSHIP}
POSTING_ROLES = {Role.ADMIN, Role.COORDINATOR, Role.WAREHOUSE_KEEPER}


@dataclass
class Load:
    """What one navigation fetched: over the network, revalidated, or from the cache."""

    path: str
    bytes: int = 0
    network: list[str] = field(default_factory=list)  # files fetched over the wire, page aside
    again: list[str] = field(default_factory=list)  # ... that an earlier page had fetched
    revalidated: list[str] = field(default_factory=list)  # answered 304 Not Modified
    cached: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    seconds: float = 0.0


class Meter:
    """Count what a page's navigations cost, through Chromium's DevTools protocol."""

    def __init__(self, context, page, origin: str):
        self.page, self.origin = page, origin
        self.cdp = context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.emulateNetworkConditions", FAST_3G)
        self.fetched: set[str] = set()  # every file this browser has had so far
        self.events: list[tuple[str, dict]] = []
        for name in ("requestWillBeSent", "requestServedFromCache", "responseReceived",
                     "loadingFinished"):
            self.cdp.on(f"Network.{name}", lambda event, name=name: self.events.append(
                (name, event)))

    def visit(self, path: str) -> Load:
        return self.watch(path, lambda: self.page.goto(f"{self.origin}{path}"))

    def watch(self, path: str, navigate) -> Load:
        """What the navigation `navigate` starts costs, until the network is quiet."""
        self.events.clear()
        started = time.monotonic()
        response = navigate()
        self.page.wait_for_load_state("networkidle")
        load = Load(path, seconds=time.monotonic() - started)
        if response is not None:
            assert response.status == 200, path
        seen: dict[str, dict] = {}  # request id -> what happened to it
        for name, event in self.events:
            request = seen.setdefault(event["requestId"], {"bytes": 0})
            if name == "requestWillBeSent":
                request["url"] = event["request"]["url"]
            elif name == "requestServedFromCache":
                request["cached"] = True  # Blink's memory cache
            elif name == "responseReceived":
                request["type"] = event["type"]
                request["status"] = event["response"]["status"]
                request["cached"] = request.get("cached") or any(
                    event["response"].get(flag) for flag in ("fromDiskCache", "fromPrefetchCache"))
            elif name == "loadingFinished":
                request["bytes"] += int(event["encodedDataLength"])
        for request in seen.values():
            url = request.get("url", "?")
            short = url.removeprefix(self.origin)
            load.bytes += request["bytes"]
            if url.startswith("data:"):
                continue
            if not url.startswith(self.origin):
                load.external.append(url)
            if request.get("cached"):
                load.cached.append(short)
            elif request.get("status") == 304:
                load.revalidated.append(short)
            elif request.get("type") != "Document":
                load.network.append(short)
                if short in self.fetched:
                    load.again.append(short)
        self.fetched.update(load.network)
        return load


def log_in(browser, origin: str, app, username: str) -> dict:
    """Log in once at full speed; the measured contexts start from its cookies, cache empty."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{origin}/login")
    page.get_by_label(gettext_id(app, "Username")).fill(username)
    page.get_by_label(gettext_id(app, "Password")).fill(TEST_PASSWORD)
    page.get_by_role("button", name=gettext_id(app, "Log in")).click()
    page.wait_for_url(f"{origin}/home")
    state = context.storage_state()
    context.close()
    return state


def main_pages(role: Role, session) -> list[str]:
    """Each role's everyday pages: home, the stock list, a form, the stock card."""
    if role not in STOCK_ROLES:
        return ["/home", "/regions/", "/account/password"]
    warehouse = session.scalar(select(Warehouse.id).where(Warehouse.code == "GDG-BU"))
    rice = session.scalar(select(Item.id).where(Item.code == "BRS"))
    session.rollback()
    place = f"/stock/warehouses/{warehouse}"
    form = f"{place}/receive" if role in POSTING_ROLES else "/account/password"
    return ["/home", "/stock/", form, f"{place}/items/{rice}/card"]


def measure(browser, origin: str, state: dict | None, first: str, later: str) -> list[Load]:
    """A first visit with an empty cache, then the next page as the user walks on."""
    context = browser.new_context(viewport=PHONE, storage_state=state)
    try:
        page = context.new_page()
        meter = Meter(context, page, origin)
        return [meter.visit(first), meter.visit(later)]
    finally:
        context.close()


def check(loads: list[Load]) -> list[str]:
    """The budget breaches among a first visit and the page after it, as readable lines."""
    first, later = loads
    problems = []
    if first.bytes > FIRST_LOAD_BUDGET:
        problems.append(f"first load of {first.path}: {first.bytes / 1024:.1f} KB")
    if later.bytes > LATER_PAGE_BUDGET:
        problems.append(f"{later.path} after {first.path}: {later.bytes / 1024:.1f} KB")
    if later.again or later.revalidated:
        problems.append(f"{later.path} after {first.path} fetched {later.again} again and "
                        f"revalidated {later.revalidated}")
    problems += [f"{load.path} asked outside for {url}" for load in loads
                 for url in load.external]
    return problems


def report(role: str, rows: list[list[Load]]) -> None:
    target = os.environ.get("LUMBUNG_WEIGHT_REPORT")
    if not target:
        return
    with open(target, "a", encoding="utf-8") as out:
        for first, later in rows:
            again = len(later.again) + len(later.revalidated)
            out.write(f"| {role} | `{first.path}` | {first.bytes / 1024:.1f} KB "
                      f"| {first.seconds:.1f} s | `{later.path}` | {later.bytes / 1024:.1f} KB "
                      f"| {later.seconds:.1f} s | {len(later.network)} | {again} |\n")


def test_login_page_is_light_and_logging_in_fetches_no_file_again(
    app, live_server, demo_loaded, browser
):
    """Logging in changes the session cookie: the files cached on the login page still serve."""
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        meter = Meter(context, page, live_server)
        first = meter.visit("/login")
        page.get_by_label(gettext_id(app, "Username")).fill("gudang")
        page.get_by_label(gettext_id(app, "Password")).fill(TEST_PASSWORD)
        button = page.get_by_role("button", name=gettext_id(app, "Log in"))
        later = meter.watch("/home", button.click)
        assert page.url == f"{live_server}/home"
    finally:
        context.close()
    report("(anyone)", [[first, later]])
    assert check([first, later]) == []


@pytest.mark.parametrize("role", list(Role))
def test_each_roles_main_pages_are_light_on_fast_3g(
    app, live_server, demo_loaded, session, browser, role
):
    username = next(name for name, _full, each in demo.DEMO_USERS if each == role)
    state = log_in(browser, live_server, app, username)
    pages = main_pages(role, session)
    rows = [measure(browser, live_server, state, page, pages[(i + 1) % len(pages)])
            for i, page in enumerate(pages)]
    report(role.value, rows)
    problems = [problem for loads in rows for problem in check(loads)]
    assert problems == []
