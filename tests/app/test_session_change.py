"""A keeper's session changes while a posting form is open (logged in again in another tab, a
new session cookie): sending the form then keeps everything typed and says what happened,
posts nothing, and sending it again posts once."""

import html
import re
from datetime import timedelta

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from logistics.calendar import local_today
from logistics.stock.documents import Document
from tests.accounts.factories import TEST_PASSWORD

EXPIRES = str(local_today() + timedelta(days=200))
SESSION_CHANGED = ("Your session changed while this form was open, so nothing was posted. "
                   "What you typed is still here: check it and send it again.")


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


@pytest.fixture
def keeper(client, make_user):
    username = make_user("warehouse_keeper")
    login = client.get("/login").get_data(as_text=True)
    assert client.post("/login", data={"username": username, "password": TEST_PASSWORD,
                                       "csrf_token": csrf_of(login)}).status_code == 302
    return username


@pytest.fixture
def shelf(stock, keeper):
    warehouse = stock.warehouse(keepers=[keeper])
    return {"warehouse": warehouse, "rice": stock.item(perishable=True, name_id="Beras")}


def documents(session) -> int:
    count = session.scalar(select(func.count(Document.id)))
    session.rollback()
    return count


def in_indonesian(app, message) -> str:
    with app.test_request_context(), force_locale("id"):
        return gettext(message)


def test_a_form_sent_after_the_session_changed_comes_back_as_typed_and_posts_nothing(
        client, app, shelf, stock, session):
    url = f"/stock/warehouses/{shelf['warehouse']}/receive"
    page = client.get(url).get_data(as_text=True)
    token = re.search(r'name="form_token" type="hidden" value="(\w+)"', page).group(1)
    typed = {"csrf_token": csrf_of(page), "form_token": token, "source": "kemensos",
             "supplier_ref": "SPPB/12", "item_id": [shelf["rice"], ""], "qty": ["75", ""],
             "batch_no": ["BRS-77", ""], "expires_on": [EXPIRES, ""]}
    with client.session_transaction() as cookie:  # the session began anew elsewhere
        cookie.pop("csrf_token", None)
    before = documents(session)

    shown = client.post(url, data=typed)

    assert shown.status_code == 400
    text = html.unescape(shown.get_data(as_text=True))
    assert in_indonesian(app, SESSION_CHANGED) in text
    assert 'value="SPPB/12"' in text
    assert 'value="75"' in text
    assert 'value="BRS-77"' in text
    assert f'value="{EXPIRES}"' in text
    assert f'<option value="{shelf["rice"]}" data-unit' in text
    assert " selected>" in text
    assert f'name="form_token" type="hidden" value="{token}"' in text  # still the same post
    assert documents(session) == before
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 0

    fresh = csrf_of(text)
    assert fresh != typed["csrf_token"]
    posted = client.post(url, data={**typed, "csrf_token": fresh})
    assert posted.status_code == 302
    again = client.post(url, data={**typed, "csrf_token": fresh})  # a second tap: no new post
    assert again.status_code == 302
    assert again.location == posted.location
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 75


def test_a_post_that_is_not_a_kept_form_still_gets_the_plain_refusal(client, keeper):
    refused = client.post("/logout", data={})
    assert refused.status_code == 400
    assert client.get("/home").status_code == 200  # still logged in: the logout did not run


def test_the_api_answer_to_a_missing_token_is_unchanged(client, keeper):
    refused = client.post("/stock/warehouses/1/receive", data={},
                          headers={"Accept": "application/json"})
    assert refused.status_code == 400
    assert refused.get_json()["status"] == 400
