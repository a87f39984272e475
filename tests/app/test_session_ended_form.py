"""A posting form sent after the session ended (logged out everywhere, or the session timed
out): nothing is kept, so nobody should be told that what they typed is still there."""

import html
import re

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from logistics.stock.documents import Document
from tests.accounts.factories import TEST_PASSWORD

SESSION_CHANGED = ("Your session changed while this form was open, so nothing was posted. "
                   "What you typed is still here: check it and send it again.")


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_a_form_sent_after_logging_out_does_not_promise_the_typed_lines(
        client, app, make_user, stock, session):
    username = make_user("warehouse_keeper")
    login = client.get("/login").get_data(as_text=True)
    assert client.post("/login", data={"username": username, "password": TEST_PASSWORD,
                                       "csrf_token": csrf_of(login)}).status_code == 302
    warehouse = stock.warehouse(keepers=[username])
    rice = stock.item()
    url = f"/stock/warehouses/{warehouse}/receive"
    page = client.get(url).get_data(as_text=True)
    token = re.search(r'name="form_token" type="hidden" value="(\w+)"', page).group(1)
    csrf = csrf_of(page)
    client.delete_cookie("session")  # the session is gone (timed out, logged out elsewhere)
    with client.session_transaction() as browser:
        browser.clear()

    sent = client.post(url, data={"csrf_token": csrf, "form_token": token,
                                  "source": "kemensos", "item_id": [str(rice)],
                                  "qty": ["40"]})
    assert sent.status_code in (302, 401)
    if sent.status_code == 302:
        assert "/login" in sent.headers["Location"]
    landing = client.get(sent.headers["Location"]) if sent.status_code == 302 else sent
    text = html.unescape(landing.get_data(as_text=True))
    with app.test_request_context(), force_locale("id"):
        promise = gettext(SESSION_CHANGED)
    assert promise not in text, "the login page says the typed lines are still here"
    assert session.scalar(select(func.count(Document.id))) == 0
    session.rollback()
