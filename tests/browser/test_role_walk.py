"""Each demo role logs in through chromium, sees its home page in Indonesian, then English."""

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import Page, expect

from app.labels import ROLE_LABELS
from app.main.tasks import DUTIES
from logistics.accounts.roles import Role
from seeds import demo
from tests.accounts.factories import TEST_PASSWORD
from tests.browser.conftest import gettext_id

pytestmark = pytest.mark.browser


def _texts(app, locale, role):
    with app.test_request_context(), force_locale(locale):
        return {"role": str(ROLE_LABELS[role]), "duties": str(DUTIES[role]),
                "next": gettext("What you can do now"), "login": gettext("Log in"),
                "logout": gettext("Log out")}


def test_every_demo_role_logs_in_and_reads_home_in_indonesian_then_english(
    app, live_server, demo_loaded, page: Page
):
    for username, _full_name, role in demo.DEMO_USERS:
        indonesian, english = _texts(app, "id", role), _texts(app, "en", role)
        page.goto(f"{live_server}/login")
        expect(page.locator("html")).to_have_attribute("lang", "id")
        page.get_by_label(gettext_id(app, "Username")).fill(username)
        page.get_by_label(gettext_id(app, "Password")).fill(TEST_PASSWORD)
        page.get_by_role("button", name=indonesian["login"]).click()
        expect(page).to_have_url(f"{live_server}/home")
        expect(page.get_by_test_id("role")).to_have_text(indonesian["role"])
        expect(page.get_by_test_id("duties")).to_have_text(indonesian["duties"])
        expect(page.get_by_text(indonesian["next"])).to_be_visible()

        page.get_by_test_id("language-en").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_test_id("role")).to_have_text(english["role"])
        expect(page.get_by_test_id("duties")).to_have_text(english["duties"])
        expect(page.get_by_text(english["next"])).to_be_visible()

        page.get_by_test_id("language-id").click()  # leave the account as the office expects
        page.get_by_role("link", name=gettext_id(app, "Browse regions")).click()
        expect(page.get_by_role("link", name="Bengkulu", exact=True)).to_be_visible()
        page.goto(f"{live_server}/admin/users/")
        if role == Role.ADMIN:
            expect(page.get_by_role("link", name="kadis")).to_be_visible()
        else:
            expect(page.get_by_test_id("error-page")).to_contain_text(
                gettext_id(app, "Access denied"))
        page.get_by_role("button", name=indonesian["logout"]).click()
        expect(page).to_have_url(f"{live_server}/login")


def test_wrong_password_shows_a_readable_message(app, live_server, demo_loaded, page: Page):
    page.goto(f"{live_server}/login")
    page.get_by_label(gettext_id(app, "Username")).fill("gudang")
    page.get_by_label(gettext_id(app, "Password")).fill("not-the-password")
    page.get_by_role("button", name=gettext_id(app, "Log in")).click()
    expect(page.get_by_text(gettext_id(app, "Invalid username or password."))).to_be_visible()
