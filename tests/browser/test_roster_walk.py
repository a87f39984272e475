"""Issue 18's walk on a phone: the demo coordinator filters the Tagana roster, takes dispatch
suggestions for one of the flood's posko, dispatches the chosen in one step and opens a
message's wa.me link; then posko staff read who is at their posko, never a NIK or a home desa.

The phone is 360 px wide on a throttled line and every request to anything but the app is
blocked and recorded: the only one allowed to be tried is the wa.me link the coordinator opens
(it is stopped, never reached). No page of the walk scrolls sideways. Expected texts come from
the catalog (`gettext_id`) and the message composer, facts from the database. Screenshots are
kept under test-artifacts/roster-walk/ (not committed).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from logistics.accounts.models import User
from logistics.calendar import field_timezone, local_today
from logistics.core.masking import mask_number
from logistics.emergency.access import staffed_posko_ids
from logistics.emergency.models import Event, Posko
from logistics.regions.models import Region
from logistics.roster.board import LIVE
from logistics.roster.deployment_models import Deployment, Dispatch
from logistics.roster.messages import VOLUNTEER_LANGUAGE, wa_digits, when
from logistics.roster.models import Unavailability, Volunteer, VolunteerSkill, VolunteerStatus
from tests.browser.conftest import gettext_id
from tests.browser.test_posko_walk import Phone

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "roster-walk"
KITCHEN, BOAT = "dapur_umum", "perahu_karet"
NEED = {f"skill-{KITCHEN}": 2, f"equipment-{BOAT}": 1}
MASKED_NIK = re.compile(r"^\d{4}\*{10}\d{2}$")
ANY_NIK = re.compile(r"(?<!\d)\d{16}(?!\d)|\d{4}\*{10}\d{2}")
WA_LINK = re.compile(r"^https://wa\.me/(\d+)\?text=(.+)$")
BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
         "September", "Oktober", "November", "Desember")


@pytest.fixture
def shots(request) -> Path:
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "-", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):  # only this run's pictures count
        old.unlink()
    return folder


def the_flood(session) -> dict:
    """The demo flood, its first posko by code (the filter's kecamatan is that posko's), and
    how many dispatches exist before the walk; plain values only."""
    event = session.scalar(select(Event).order_by(Event.id).limit(1))
    posko = session.scalar(select(Posko).where(Posko.event_id == event.id)
                           .order_by(Posko.code).limit(1))
    kecamatan = session.get(Region, session.get(Region, posko.desa_code).parent_code)
    found = {"event": event.id, "event_name": event.name, "posko": posko.id,
             "posko_name": posko.name, "kecamatan": kecamatan.code,
             "kecamatan_name": kecamatan.name,
             "dispatches": session.scalar(select(func.count()).select_from(Dispatch))}
    session.rollback()  # an open transaction would hold SQLite's lock against the server
    return found


def deployed_now(session, now: datetime) -> set[int]:
    return set(session.scalars(select(Deployment.volunteer_id).where(
        Deployment.volunteer_id.is_not(None), Deployment.status.in_(LIVE),
        Deployment.starts_at <= now, Deployment.ends_at > now)))


def free_cooks_of(session, kecamatan: str, now: datetime) -> tuple[set[int], set[int]]:
    """Who the filter must list (active, home in the kecamatan, with the skill, not away
    today, not deployed now) and who of those with the skill there is deployed now."""
    with_skill = set(session.scalars(
        select(Volunteer.id).join(VolunteerSkill).join(Region,
                                                       Region.code == Volunteer.home_desa_code)
        .where(Region.parent_code == kecamatan, VolunteerSkill.skill_code == KITCHEN,
               Volunteer.status == VolunteerStatus.ACTIVE)))
    today = local_today()
    away = set(session.scalars(select(Unavailability.volunteer_id).where(
        Unavailability.starts_on <= today, Unavailability.ends_on >= today)))
    busy = deployed_now(session, now)
    return with_skill - away - busy, with_skill & busy


def local_input(moment: datetime) -> str:
    return moment.astimezone(field_timezone()).strftime("%Y-%m-%dT%H:%M")


def signed(text: str) -> int:
    """A score as the page writes it ("+12", "-3", "1.250")."""
    return int(text.strip().replace("\u2212", "-").replace("+", "").replace(".", ""))


def dispatches(session) -> int:
    count = session.scalar(select(func.count()).select_from(Dispatch))
    session.rollback()
    return count


def test_a_coordinator_filters_the_roster_takes_suggestions_dispatches_and_opens_a_message(
    app, live_server, demo_loaded, session, browser, shots
):
    t = lambda message: gettext_id(app, message)  # noqa: E731 - read the catalog, not a copy
    flood = the_flood(session)
    phone = Phone(browser, live_server, shots, "koordinator")
    page = phone.page
    try:
        phone.log_in(app, "koordinator")

        # 1. The roster, filtered to the posko's kecamatan, the kitchen skill, available now.
        page.goto(f"{live_server}/roster/volunteers")
        phone.fits("roster")
        filters = page.get_by_test_id("roster-filters")
        filters.get_by_label(t("Kecamatan")).select_option(flood["kecamatan"])
        filters.get_by_label(t("Skill")).select_option(KITCHEN)
        filters.get_by_label(t("Available now")).check()
        filters.get_by_role("button", name=t("Show")).click()
        page.wait_for_url(re.compile(r"available_now=1"))
        phone.fits("roster-filtered")
        rows = page.locator("[data-testid=roster] tbody tr[data-volunteer]")
        listed = {int(row.get_attribute("data-volunteer")): row for row in rows.all()}
        expected, busy = free_cooks_of(session, flood["kecamatan"], datetime.now(UTC))
        assert listed, "nobody free with the kitchen skill in the flood's kecamatan"
        assert set(listed) == expected  # every one who matches, and only they
        assert busy, "the demo deploys nobody from here: the filter is not put to the test"
        assert not busy & set(listed)
        people = {v.id: v for v in session.scalars(
            select(Volunteer).where(Volunteer.id.in_(listed)))}
        for volunteer_id, row in listed.items():
            person = people[volunteer_id]
            assert person.home_desa.parent_code == flood["kecamatan"]
            assert KITCHEN in {skill.skill_code for skill in person.skills}
            assert person.status == VolunteerStatus.ACTIVE
            nik = row.locator(f"td[data-label='{t('NIK')}']").inner_text().strip()
            assert MASKED_NIK.match(nik), nik
            assert nik == mask_number(person.nik)
            assert person.nik not in row.inner_text()
            expect(row.locator(f"td[data-label='{t('Home')}']")).to_contain_text(
                flood["kecamatan_name"])
        session.rollback()
        assert not re.search(r"(?<!\d)\d{16}(?!\d)", page.content()), "a NIK in full"

        # 2. The flood's board, then the posko's suggestions for a period from tomorrow.
        page.get_by_test_id("boards-link").click()
        phone.fits("boards")
        page.get_by_role("link", name=re.compile(re.escape(flood["event_name"]))).click()
        expect(page).to_have_url(f"{live_server}/roster/events/{flood['event']}/board")
        phone.fits("board")
        section = page.get_by_test_id(f"board-posko-{flood['posko']}")
        before_on_board = {int(r.get_attribute("data-deployment"))
                           for r in section.locator("tr[data-deployment]").all()}
        section.get_by_test_id("suggestions-link").click()
        expect(page).to_have_url(f"{live_server}/roster/posko/{flood['posko']}/suggestions")
        phone.fits("suggestions-form")
        tomorrow = datetime.combine(local_today() + timedelta(days=1), datetime.min.time(),
                                    tzinfo=field_timezone())
        starts_at, ends_at = tomorrow.replace(hour=7), tomorrow.replace(hour=19) + timedelta(
            days=2)
        form = page.get_by_test_id("need-form")
        form.get_by_label(t("From")).fill(local_input(starts_at))
        form.get_by_label(t("Until")).fill(local_input(ends_at))
        for field, count in NEED.items():
            form.locator(f"#{field}").fill(str(count))
        form.get_by_role("button", name=t("Suggest")).click()
        expect(page.get_by_test_id("dispatch-chosen")).to_be_visible()
        phone.fits("suggestions")

        cooks = page.get_by_test_id(f"candidates-{KITCHEN}").locator("tr[data-volunteer]")
        ranks, scores, chosen = [], [], []
        for row in cooks.all():
            ranks.append(int(row.locator("td[data-label='#']").inner_text()))
            score = signed(row.locator(f"td[data-label='{t('Score')}']").inner_text())
            scores.append(score)
            why = [li.inner_text() for li in row.locator(
                f"td[data-label='{t('Why')}'] li").all()]
            assert why, "a candidate without the reasons for its place"
            points = [signed(re.search(r"\(([^()]*)\)\s*$", text).group(1)) for text in why]
            assert sum(points) == score, (why, score)  # the reasons add up to the score
            if row.locator("input[name=volunteer]").is_checked():
                chosen.append(int(row.get_attribute("data-volunteer")))
        assert len(ranks) > NEED[f"skill-{KITCHEN}"], "no choice beyond the proposal"
        assert ranks == list(range(1, len(ranks) + 1))
        assert scores == sorted(scores, reverse=True), scores
        ids = [int(r.get_attribute("data-volunteer")) for r in cooks.all()]
        assert chosen == ids[:NEED[f"skill-{KITCHEN}"]]  # the best two, preselected
        boats = page.get_by_test_id(f"equipment-{BOAT}").locator("tr[data-equipment]")
        assert boats.count() >= 1
        for row in boats.all():
            expect(row.locator(f"td[data-label='{t('Why')}']")).not_to_be_empty()
        boat = [int(r.get_attribute("data-equipment")) for r in boats.all()
                if r.locator("input[name=equipment]").is_checked()]
        assert len(boat) == NEED[f"equipment-{BOAT}"]
        names = {v.id: {"name": v.name, "phone": v.phone} for v in session.scalars(
            select(Volunteer).where(Volunteer.id.in_(chosen)))}
        session.rollback()  # plain values: a lazy load later would hold SQLite's lock

        # 3. One step: the chosen are dispatched, each with a message and its wa.me link.
        page.get_by_test_id("dispatch-chosen").click()
        messages = page.get_by_test_id("messages")
        expect(messages).to_be_visible()
        phone.fits("dispatched")
        heading = page.locator("h1").inner_text()
        sent = session.scalar(select(Dispatch).order_by(Dispatch.id.desc()).limit(1))
        assert sent.number in heading
        assert sent.posko_id == flood["posko"]
        assert sorted(d.volunteer_id for d in sent.deployments if d.volunteer_id) == sorted(
            chosen)
        assert [d.equipment_id for d in sent.deployments if d.equipment_id] == boat
        dispatch_id, number = sent.id, sent.number
        session.rollback()
        assert dispatches(session) == flood["dispatches"] + 1
        items = messages.locator("li[data-message]")
        with_phone = [v for v in names.values() if v["phone"]]
        assert items.count() == len(with_phone) > 0
        period = (when(starts_at, VOLUNTEER_LANGUAGE), when(ends_at, VOLUNTEER_LANGUAGE))
        # As a volunteer reads it, whatever the composer does: "3 Desember 2026 07.00 WIB".
        spelled = [f"{m.day} {BULAN[m.month - 1]} {m.year} {m:%H.%M} WIB"
                   for m in (starts_at, ends_at)]
        when_line = t("When: %(starts)s until %(ends)s.") % dict(zip(("starts", "ends"), period,
                                                                      strict=True))
        links = {}
        for person in with_phone:
            item = items.filter(has_text=person["name"])
            link = item.get_by_role("link", name=t("Open in WhatsApp"))
            href = link.get_attribute("href")
            digits, text = WA_LINK.match(href).groups()
            assert digits == wa_digits(person["phone"])
            assert digits.startswith("62")
            text = unquote(text)
            assert person["name"] in text
            assert flood["posko_name"] in text
            assert when_line in text.splitlines(), (when_line, text)
            assert all(moment in text for moment in spelled), (spelled, text)
            assert "WIB" in text
            assert "Dinas Sosial" in text
            links[person["name"]] = (link, href)

        # "Opening" a link tries wa.me in a new tab: stopped at the door, recorded, never reached.
        link, href = next(iter(links.values()))
        with phone.context.expect_event("requestfailed") as failed, \
                page.expect_popup() as popup:
            link.click()
        assert failed.value.url.startswith("https://wa.me/")
        assert unquote(failed.value.url) == unquote(href)
        popup.value.close()
        assert [unquote(url) for url in phone.outside] == [unquote(href)]
        expect(page.locator("h1")).to_have_text(heading)  # the coordinator is still here

        # 4. A reload of the result (the form sent again) and back-then-submit post nothing.
        page.reload()
        expect(page.locator("h1")).to_contain_text(number)
        page.go_back()
        expect(page.get_by_test_id("dispatch-chosen")).to_be_visible()
        # The page came back asked anew (fresh candidates: the first are booked now), yet
        # "Dispatch chosen" there shows the first dispatch rather than sending the next-best.
        page.get_by_test_id("dispatch-chosen").click()
        expect(page.locator("h1")).to_contain_text(number)
        phone.fits("sent-again")
        assert dispatches(session) == flood["dispatches"] + 1

        # Back on the board, the dispatched are under that posko, nowhere else.
        page.goto(f"{live_server}/roster/events/{flood['event']}/board")
        phone.fits("board-after")
        section = page.get_by_test_id(f"board-posko-{flood['posko']}")
        new_rows = [r for r in section.locator("tr[data-deployment]").all()
                    if int(r.get_attribute("data-deployment")) not in before_on_board]
        assert len(new_rows) == len(chosen) + len(boat)
        for person in names.values():
            expect(section.get_by_role("link", name=person["name"], exact=True)).to_be_visible()
        for row in new_rows:
            expect(row).to_contain_text(number)
        assert page.locator("tr[data-deployment]").filter(has_text=number).count() == len(
            new_rows)
        assert session.scalar(select(func.max(Dispatch.id))) == dispatch_id
        session.rollback()
        assert [unquote(url) for url in phone.outside] == [unquote(href)]
    finally:
        phone.close()


def test_posko_staff_see_names_roles_and_phones_at_their_posko_never_a_nik_or_a_home(
    app, live_server, demo_loaded, session, browser, shots
):
    t = lambda message: gettext_id(app, message)  # noqa: E731
    staff = session.scalar(select(User).where(User.username == "posko"))
    theirs = sorted(staffed_posko_ids(session, staff))
    now = datetime.now(UTC)
    at_posko = {}
    for posko_id in theirs:
        rows = session.execute(select(Deployment, Volunteer).join(
            Volunteer, Volunteer.id == Deployment.volunteer_id).where(
            Deployment.posko_id == posko_id, Deployment.status.in_(LIVE),
            Deployment.ends_at > now, Deployment.starts_at <= now)).all()
        if rows:
            at_posko = {"posko": posko_id, "people": [
                {"name": v.name, "role": d.role, "phone": v.phone, "nik": v.nik,
                 "desa": v.home_desa.name} for d, v in rows]}
            break
    other = session.scalar(select(Posko.id).where(Posko.id.not_in(theirs))
                           .order_by(Posko.code).limit(1))
    session.rollback()
    assert at_posko, "the demo sends nobody to the posko the posko user staffs"
    phone = Phone(browser, live_server, shots, "posko")
    page = phone.page
    try:
        phone.log_in(app, "posko")
        page.goto(f"{live_server}/roster/posko/{at_posko['posko']}/people")
        phone.fits("people")
        table = page.get_by_test_id("posko-people")
        for person in at_posko["people"]:
            row = table.locator("tr[data-deployment]").filter(has_text=person["name"])
            expect(row.locator(f"td[data-label='{t('Role')}']")).to_have_text(person["role"])
            if person["phone"]:
                expect(row.locator(f"a[href='tel:{person['phone']}']")).to_be_visible()
        shown = page.locator("body").inner_text()
        html = page.content()
        assert not ANY_NIK.search(shown)
        assert not ANY_NIK.search(html)
        for person in at_posko["people"]:
            assert person["nik"] not in html
            assert person["nik"][:4] + "*" not in html
        for person in at_posko["people"]:  # the row says whom to call, not where they live
            row = table.locator("tr[data-deployment]").filter(has_text=person["name"])
            told = row.inner_text().replace(person["name"], "")
            assert not re.search(rf"\b{re.escape(person['desa'])}\b", told), told

        response = page.goto(f"{live_server}/roster/posko/{other}/people")
        assert response.status == 403
        assert phone.outside == []
    finally:
        phone.close()
