"""An expiry already passed or more than ten years away is most often a typo (2020 for 2028):
the receipt is not posted until someone confirms it, on the page and in the API alike."""

import html
from datetime import timedelta

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from logistics.calendar import local_today
from logistics.stock import errors
from logistics.stock.documents import Document

TODAY = local_today()
PASSED = str(TODAY - timedelta(days=400))
FAR = str(TODAY + timedelta(days=365 * 11))
PLAUSIBLE = str(TODAY + timedelta(days=365 * 2))


@pytest.fixture
def shelf(stock, keeper):
    return {"warehouse": stock.warehouse(keepers=[keeper]),
            "rice": stock.item(perishable=True, name_id="Beras")}


def documents(session) -> int:
    count = session.scalar(select(func.count(Document.id)))
    session.rollback()
    return count


def in_indonesian(app, message) -> str:
    with app.test_request_context(), force_locale("id"):
        return gettext(message)


def receipt(shelf, token, expires_on, **more) -> dict:
    return {"form_token": token, "source": "kemensos", "supplier_ref": "SPPB/3",
            "item_id": [shelf["rice"], shelf["rice"]], "qty": ["40", "10"],
            "batch_no": ["TYPO-1", "OK-1"], "expires_on": [expires_on, PLAUSIBLE], **more}


@pytest.mark.parametrize(("expires_on", "message"), [(PASSED, errors.ExpiryPassed.message),
                                                     (FAR, errors.ExpiryFar.message)])
def test_the_receive_form_asks_before_posting_an_implausible_expiry(
        client, app, shelf, stock, session, expires_on, message):
    url = f"/stock/warehouses/{shelf['warehouse']}/receive"
    before = documents(session)
    asked = client.post(url, data=receipt(shelf, "exp-1", expires_on))
    assert asked.status_code == 422
    text = html.unescape(asked.get_data(as_text=True))
    first_row, second_row = text.split("data-row>")[1:3]
    assert in_indonesian(app, message) in first_row
    assert 'aria-invalid="true" aria-describedby="line-0-expires_on-error"' in first_row
    assert 'id="line-0-expires_on-error"' in first_row
    assert "is-invalid" not in second_row  # the plausible line is not marked
    assert 'name="confirm_expiry"' in text
    assert 'data-testid="confirm-expiry"' in text
    assert f'value="{expires_on}"' in text
    assert 'value="TYPO-1"' in text
    assert documents(session) == before

    confirmed = client.post(url, data=receipt(shelf, "exp-1", expires_on, confirm_expiry="1"))
    assert confirmed.status_code == 302
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 50


def test_a_plausible_expiry_posts_without_a_question(client, shelf, stock):
    url = f"/stock/warehouses/{shelf['warehouse']}/receive"
    page = client.get(url).get_data(as_text=True)
    assert 'name="confirm_expiry"' not in page
    posted = client.post(url, data=receipt(shelf, "exp-2", PLAUSIBLE))
    assert posted.status_code == 302
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 50


def test_the_api_refuses_an_implausible_expiry_on_its_line_unless_confirmed(
        client, shelf, stock, auth, keeper):
    headers = auth.headers(keeper)
    body = {"warehouse_id": shelf["warehouse"], "lines": [
        {"item_id": shelf["rice"], "qty": 5, "expires_on": PLAUSIBLE},
        {"item_id": shelf["rice"], "qty": 5, "expires_on": PASSED}]}
    refused = client.post("/api/v1/stock/receipts", headers=headers, json=body)
    assert refused.status_code == 422
    assert list(refused.get_json()["errors"]) == ["lines.1.expires_on"]
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 0
    for flag in ("yes", 1, "true"):
        bad = client.post("/api/v1/stock/receipts", headers=headers,
                          json={**body, "confirm_expiry": flag})
        assert bad.status_code == 422
        assert "confirm_expiry" in bad.get_json()["errors"]
    posted = client.post("/api/v1/stock/receipts", headers=headers,
                         json={**body, "confirm_expiry": True})
    assert posted.status_code == 201, posted.get_json()
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 10


def test_an_expiry_at_the_edge_of_ten_years_is_taken(client, shelf, auth, keeper):
    nine_years = str(TODAY + timedelta(days=365 * 9 + 300))
    posted = client.post("/api/v1/stock/receipts", headers=auth.headers(keeper), json={
        "warehouse_id": shelf["warehouse"], "lines": [
            {"item_id": shelf["rice"], "qty": 5, "expires_on": nine_years},
            {"item_id": shelf["rice"], "qty": 5, "expires_on": str(TODAY)}]})
    assert posted.status_code == 201, posted.get_json()


def test_the_question_is_asked_in_the_keepers_words(app):
    for message in (errors.ExpiryPassed.message, errors.ExpiryFar.message):
        assert in_indonesian(app, message) != message
