"""Issue 19's walk through the SLRT pipeline on phones, each person with their own login: a
Puskesos front office registers a walk-in family and its complaint; the back office takes the
case, records findings and the register status, proposes a programme (and reads the advice)
and sends it to the decision; the manager approves with a signer, refers the case and prints
the surat rujukan, which fits one A4 page; the back office records the agency's answers and
closes the case. Every step is reached by the links on the pages, not by typed addresses.

Each phone is 360 px wide with nothing fetched from outside; no page scrolls sideways and no
page logs a console error. The same pages are then opened on a desktop. Numbers: the front
office reads the NIK in full on the household page, leadership reads it masked. Expected texts
come from the catalog (`gettext_id`). Screenshots go to test-artifacts/slrt-walk/ (not
committed).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from logistics.core.identity import make_nik
from logistics.core.masking import mask_number
from logistics.referrals.case_models import Case, CaseStatus, Referral, ReferralStatus
from logistics.referrals.flows import CASE_FLOW, REFERRAL_FLOW
from logistics.referrals.models import Household
from tests.accounts.factories import TEST_PASSWORD
from tests.browser.conftest import gettext_id
from tests.browser.test_weight import PHONE
from tests.referrals.factories import make_kk

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "slrt-walk"
DESKTOP = {"width": 1280, "height": 900}
A4_HEIGHT_PX = 1123  # 297 mm at 96 dpi
PDF_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
KECAMATAN = "17.03.01"
FAMILY = [  # name, sex, birth date, relation: a walk-in family of four
    ("Sutrisno Harahap", "L", date(1979, 5, 21), "kepala"),
    ("Rini Marlina", "P", date(1983, 11, 2), "istri_suami"),
    ("Ayu Lestari", "P", date(2009, 7, 14), "anak"),
    ("Bagas Pratama", "L", date(2014, 2, 9), "anak"),
]
PROGRAMME = "Bantuan Pangan Non Tunai / Sembako"
SIGNER = ("Drs. Hendra Saputra", "Kepala Desa")


class Person:
    """One user's browser: own cookies, nothing from outside, console errors collected."""

    def __init__(self, browser, app, origin: str, shots: Path, who: str, viewport=PHONE):
        self.app, self.origin, self.shots, self.who = app, origin, shots, who
        self.width = viewport["width"]
        self.context = browser.new_context(viewport=viewport)
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.context.route(lambda url: not url.startswith((origin, "data:")), self._block)
        self.page = self.context.new_page()
        self.page.on("console", lambda message: self.errors.append(
            f"{self.page.url}: {message.text}") if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(f"script error: {error}"))

    def _block(self, route):
        self.outside.append(route.request.url)
        route.abort()

    def log_in(self, username: str) -> None:
        t = lambda message: gettext_id(self.app, message)  # noqa: E731
        self.page.goto(f"{self.origin}/login")
        self.page.get_by_label(t("Username")).fill(username)
        self.page.get_by_label(t("Password")).fill(TEST_PASSWORD)
        self.page.get_by_role("button", name=t("Log in")).click()
        self.page.wait_for_url(f"{self.origin}/home")

    def fits(self, name: str) -> None:
        """The page does not scroll sideways at this width, logged no error; photographed."""
        page = self.page
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        path = page.url.removeprefix(self.origin)
        page.screenshot(path=str(self.shots / f"{self.who}-{self.width}-{name}.png"),
                        full_page=True)
        assert width <= self.width, f"{path} ({name}) is {width}px wide at {self.width}px"
        assert self.errors == [], self.errors
        assert self.outside == [], self.outside

    def menu(self, name: str) -> None:
        """Follow a link of the main menu, opening it first on a phone."""
        toggle = self.page.get_by_role("button", name=gettext_id(self.app, "Menu"))
        if toggle.is_visible():
            toggle.click()
        link = self.page.locator("nav").get_by_role("link", name=gettext_id(self.app, name),
                                                    exact=True)
        expect(link).to_be_visible()
        link.click()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def shots(request) -> Path:
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "-", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return folder


@pytest.fixture
def staff(slrt) -> dict:
    """The four people of the walk: one Puskesos' three offices, and the Kepala Dinas."""
    slrt.ensure()
    return {"front": slrt.staff("puskesos_front", username="fo-walk"),
            "back": slrt.staff("puskesos_back", username="bo-walk"),
            "manager": slrt.staff("puskesos_manager", username="mgr-walk"),
            "leadership": slrt.staff("leadership", username="kadis-walk")}


def family_numbers() -> tuple[str, list[str]]:
    kk = make_kk(KECAMATAN, 7301)
    niks = [make_nik(KECAMATAN, born, "F" if sex == "P" else "M", 8100 + place)
            for place, (_, sex, born, _) in enumerate(FAMILY)]
    return kk, niks


def status_of(session, model, row_id):
    value = session.scalar(select(model.status).where(model.id == row_id))
    session.rollback()  # an open transaction would hold SQLite's lock against the server
    return value


def open_case_from_queue(person, t, number: str) -> None:
    """The queue lists the case; its row leads to the case page."""
    page = person.page
    person.menu("SLRT")
    person.fits("queue")
    row = page.get_by_test_id("queue").locator("tbody tr").filter(has_text=number)
    expect(row.first).to_be_visible()
    row.first.get_by_role("link", name=number).click()
    expect(page.locator("h1")).to_contain_text(number)


def open_case_from_list(person, t, number: str, status: CaseStatus) -> None:
    """The back office finds a case the way it looks for one by step: the case list,
    filtered (its queue lists the same cases among the rest, oldest first)."""
    page = person.page
    person.menu("SLRT")
    page.get_by_test_id("cases-link").click()
    page.get_by_label(t("Step")).select_option(status.value)
    page.get_by_role("button", name=t("Show")).click()
    person.fits(f"cases-{status.value}")
    page.get_by_role("link", name=number, exact=True).click()
    expect(page.locator("h1")).to_contain_text(number)


def test_a_walk_in_family_goes_from_the_front_office_to_a_printed_letter_and_a_closed_case(
    app, live_server, session, browser, staff, shots
):
    t = lambda message: gettext_id(app, message)  # noqa: E731 - read the catalog, not a copy
    kk, niks = family_numbers()
    people = []

    def person(who, viewport=PHONE):
        made = Person(browser, app, live_server, shots, who, viewport)
        people.append(made)
        made.log_in(staff[who])
        return made

    try:
        # 1. Front office: from the SLRT menu to the households, a registration, a complaint.
        front = person("front")
        page = front.page
        front.menu("SLRT")
        front.fits("queue")
        page.get_by_test_id("households-link").click()
        front.fits("households")
        page.get_by_test_id("register-household").click()
        front.fits("household-form")
        form = page.get_by_test_id("household-form")
        form.get_by_label(t("No. KK")).fill(kk)
        form.get_by_label(t("Address (street or dusun)")).fill("Dusun II, Jl. Kenanga")
        form.locator("#f-rt").fill("003")
        form.locator("#f-rw").fill("002")
        for place, (name, sex, born, relation) in enumerate(FAMILY):
            row = form.locator(f"[data-member-row='{place}']")
            row.get_by_label(t("Name"), exact=True).fill(name)
            row.get_by_label(t("NIK"), exact=True).fill(niks[place])
            row.get_by_label(t("Birth date"), exact=True).fill(born.isoformat())
            row.get_by_label(t("Sex"), exact=True).select_option(sex)
            row.get_by_label(t("Relation to the head"), exact=True).select_option(relation)
        form.get_by_role("button", name=t("Register household")).click()
        expect(page.get_by_test_id("members")).to_be_visible()
        front.fits("household")
        household_id = session.scalar(select(Household.id).where(Household.kk_number == kk))
        session.rollback()
        assert page.url == f"{live_server}/slrt/households/{household_id}"
        members = page.get_by_test_id("members")
        for place, (name, *_rest) in enumerate(FAMILY):  # the front office needs them whole
            row = members.locator("tbody tr").filter(has_text=name)
            expect(row.locator(f"td[data-label='{t('NIK')}']")).to_have_text(niks[place])
        expect(page.get_by_test_id("household-facts").get_by_test_id("kk")).to_have_text(kk)

        page.get_by_test_id("new-case-link").click()
        front.fits("case-new")
        page.get_by_label(t("How the complaint came in")).select_option("datang_langsung")
        page.get_by_label(t("Need")).select_option("pangan")
        page.get_by_label(t("Description")).fill(
            "Suami kehilangan pekerjaan di kebun sawit; beras habis sejak seminggu.")
        page.get_by_role("button", name=t("Save")).click()
        expect(page.get_by_test_id("case-status")).to_have_text(t(CASE_FLOW.label(CaseStatus.REGISTERED)))
        front.fits("case")
        case = session.scalar(select(Case).where(Case.household_id == household_id))
        case_id, number = case.id, case.number
        session.rollback()
        assert page.url == f"{live_server}/slrt/cases/{case_id}"
        page.get_by_test_id("household-link").click()  # the case leads back to the family
        expect(page).to_have_url(f"{live_server}/slrt/households/{household_id}")
        expect(page.get_by_test_id("household-cases")).to_contain_text(number)

        # 2. Back office: the case from the queue, handling, findings, register, proposal.
        back = person("back")
        page = back.page
        open_case_from_list(back, t, number, CaseStatus.REGISTERED)
        page.get_by_role("button", name=t("Take into handling")).click()
        expect(page.get_by_test_id("case-status")).to_have_text(t(CASE_FLOW.label(CaseStatus.HANDLING)))
        back.fits("case-handling")
        page.get_by_label(t("Verification findings (home visit, register check)")).fill(
            "Kunjungan rumah 2 Des: empat jiwa, tanpa penghasilan tetap; rumah layak.")
        page.get_by_role("button", name=t("Save findings")).click()
        expect(page.get_by_test_id("findings")).to_contain_text("empat jiwa")
        back.fits("case-findings")
        page.get_by_test_id("household-link").click()
        back.fits("household")
        page.get_by_test_id("register-link").click()
        back.fits("register-form")
        page.get_by_label(t("Social register")).select_option("dtks")
        page.get_by_label(t("Welfare decile (1-10)")).fill("2")
        page.get_by_role("button", name=t("Save register status")).click()
        expect(page.get_by_test_id("register")).to_contain_text("2")
        back.fits("household-register")
        page.get_by_test_id("household-cases").get_by_role("link", name=number).click()
        expect(page.locator("h1")).to_contain_text(number)
        page.get_by_label(t("Propose a programme")).select_option(label=PROGRAMME)
        page.get_by_label(t("Recommendation")).fill("Usul BPNT; pantau tiga bulan.")
        page.get_by_role("button", name=t("Propose"), exact=True).click()
        referrals = page.get_by_test_id("referrals")
        expect(referrals).to_contain_text(PROGRAMME)
        advice = referrals.get_by_test_id("advice")
        assert advice.count() >= 1, "no eligibility advice beside the proposal"
        for note in advice.all():
            assert note.inner_text().strip().startswith("✓"), note.inner_text()
        back.fits("case-proposed")
        referral_id = session.scalar(select(Referral.id).where(Referral.case_id == case_id))
        session.rollback()
        page.get_by_role("button", name=t("Send to the service decision")).click()
        expect(page.get_by_test_id("case-status")).to_have_text(t(CASE_FLOW.label(CaseStatus.DECIDING)))
        back.fits("case-deciding")

        # 3. Manager: approve with a signer, refer, print the letter: one A4 page.
        manager = person("manager")
        page = manager.page
        open_case_from_queue(manager, t, number)
        row = page.get_by_test_id(f"referral-{referral_id}")
        decide = page.locator(
            f"form[action$='/slrt/referrals/{referral_id}/decision']")
        decide.get_by_label(t("Signed by")).fill(SIGNER[0])
        decide.get_by_label(t("Position")).fill(SIGNER[1])
        decide.get_by_role("button", name=t("Approve"), exact=True).click()
        expect(row).to_contain_text(t(REFERRAL_FLOW.label(ReferralStatus.APPROVED)))
        manager.fits("case-approved")
        page.get_by_role("button", name=t("Refer: letters go out")).click()
        expect(page.get_by_test_id("case-status")).to_have_text(t(CASE_FLOW.label(CaseStatus.REFERRED)))
        manager.fits("case-referred")
        page.get_by_test_id(f"referral-{referral_id}").get_by_role(
            "link", name=t("Print letter")).click()
        expect(page.get_by_test_id("signer-name")).to_have_text(SIGNER[0])
        expect(page.get_by_test_id("agency")).not_to_be_empty()
        expect(page.get_by_test_id("kk")).to_have_text(kk)
        expect(page.get_by_test_id("head-nik")).to_have_text(niks[0])
        manager.fits("letter")
        letter_url = page.url
        pdf = page.pdf(format="A4", print_background=True)
        assert len(PDF_PAGE.findall(pdf)) == 1, "the surat rujukan runs onto a second page"
        page.set_viewport_size({"width": 794, "height": A4_HEIGHT_PX})  # A4 at 96 dpi
        page.emulate_media(media="print")
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height <= A4_HEIGHT_PX, f"the letter is {height}px tall in print"
        page.emulate_media(media="screen")
        page.set_viewport_size(PHONE)

        # 4. Back office: the agency's answers, then the case is closed as resolved.
        page = back.page
        open_case_from_list(back, t, number, CaseStatus.REFERRED)
        for answer in (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.SERVED):
            form = page.locator(f"form[action$='/slrt/referrals/{referral_id}/outcome']")
            form.get_by_label(t("Agency answer")).select_option(answer.value)
            form.get_by_role("button", name=t("Record")).click()
            expect(page.get_by_test_id("referrals")).to_be_visible()
            assert status_of(session, Referral, referral_id) == answer
            back.fits(f"referral-{answer.value}")
        close = page.locator(f"form[action$='/slrt/cases/{case_id}/close']")
        close.get_by_label(t("Close the case")).select_option("tertangani")
        close.get_by_role("button", name=t("Close")).click()
        expect(page.get_by_test_id("case-status")).to_have_text(t(CASE_FLOW.label(CaseStatus.CLOSED)))
        back.fits("case-closed")
        assert status_of(session, Case, case_id) == CaseStatus.CLOSED
        history = page.get_by_test_id("steps").locator("tbody tr")
        assert history.count() >= 8  # every step, with its time and person

        # 5. Leadership reads the family's numbers masked, on a phone and on a desktop.
        for viewport, tag in ((PHONE, "leadership"), (DESKTOP, "leadership")):
            reader = Person(browser, app, live_server, shots, tag, viewport)
            people.append(reader)
            reader.log_in(staff["leadership"])
            for path, name in ((f"/slrt/households/{household_id}", "household"),
                               (f"/slrt/cases/{case_id}", "case")):
                reader.page.goto(f"{live_server}{path}")
                reader.fits(name)
                html = reader.page.content()
                for nik in (*niks, kk):
                    assert nik not in html, f"{path} shows a number in full to leadership"
            shown = reader.page.goto(f"{live_server}/slrt/households/{household_id}")
            assert shown.ok
            members = reader.page.get_by_test_id("members")
            for place, (name, *_rest) in enumerate(FAMILY):
                cell = members.locator("tbody tr").filter(has_text=name).locator(
                    f"td[data-label='{t('NIK')}']")
                expect(cell).to_have_text(mask_number(niks[place]))
                assert re.fullmatch(r"1703\*{10}\d{2}", cell.inner_text().strip())

        # 6. The same pages on a desktop, for the front office and the manager.
        desk = person("front", DESKTOP)
        for path, name in (("/slrt/queue", "queue"), ("/slrt/households", "households"),
                           (f"/slrt/households/{household_id}", "household"),
                           (f"/slrt/cases/{case_id}", "case"), ("/slrt/cases", "cases")):
            desk.page.goto(f"{live_server}{path}")
            desk.fits(name)
        desk_manager = person("manager", DESKTOP)
        for path, name in ((f"/slrt/cases/{case_id}", "case"), ("/slrt/queue", "queue")):
            desk_manager.page.goto(f"{live_server}{path}")
            desk_manager.fits(name)
        desk_manager.page.goto(letter_url)
        desk_manager.fits("letter")
    finally:
        for made in people:
            made.close()
