"""The home page offers each role only what it can use today."""

import re

import pytest
from flask_babel import force_locale

from app.main.tasks import DUTIES
from logistics.accounts.roles import Role

CARD = re.compile(r'<a class="card action-card[^"]*" href="([^"]+)"')
API_CARDS = ("/account/tokens", "/api/docs")


def cards_for(client, make_user, auth, role) -> list[str]:
    make_user(role.value, username="someone")
    auth.login("someone")
    page = client.get("/home").get_data(as_text=True)
    return CARD.findall(page)


@pytest.mark.parametrize("role", list(Role))
def test_every_card_on_home_opens_for_the_role_that_sees_it(client, make_user, auth, role):
    cards = cards_for(client, make_user, auth, role)
    assert "/account/password" in cards
    for url in cards:
        assert client.get(url).status_code == 200, f"{role}: {url}"


@pytest.mark.parametrize("role", list(Role))
def test_api_cards_show_only_to_the_roles_that_connect_other_systems(
    client, make_user, auth, role
):
    cards = cards_for(client, make_user, auth, role)
    wanted = role in {Role.ADMIN, Role.COORDINATOR}
    for url in API_CARDS:
        assert (url in cards) == wanted, f"{role}: {url}"


def test_no_role_is_promised_pages_that_do_not_exist_yet(app):
    with app.test_request_context(), force_locale("en"):
        duties = {role: str(text).lower() for role, text in DUTIES.items()}
    for role, text in duties.items():
        for promise in ("map", "dispatch", "situation report", "recommend"):
            assert promise not in text, f"{role} is promised '{promise}'"
