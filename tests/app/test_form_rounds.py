"""One submit names every mistake: field checks and rules answer together, in Indonesian, each
beside its field or line; a refusal from stock names the line that caused it; codes show as
the words a keeper reads ("rusak", never "damaged"); and "+5" is a number."""

import html
import inspect
import re
from datetime import timedelta

import pytest
from flask_babel import force_locale, gettext
from marshmallow import Schema, validate
from sqlalchemy import func, select

import logistics.accounts.schemas
import logistics.stock.schemas
from app.stock.labels import stock_error
from logistics.calendar import local_today
from logistics.core.fields import parse_integer
from logistics.stock import errors, schemas
from logistics.stock.documents import Document

TODAY = local_today()
TOMORROW = str(TODAY + timedelta(days=2))


@pytest.fixture
def shelf(stock, keeper):
    warehouse = stock.warehouse(keepers=[keeper], name="Gudang Kerkap")
    rice = stock.item(perishable=True, name_id="Beras")
    fresh = stock.receive(warehouse, rice, 40, batch_no="FRESH-1", expires_on=TODAY + timedelta(90))
    old = stock.receive(warehouse, rice, 5, batch_no="OLD-1", expires_on=TODAY - timedelta(2))
    return {"warehouse": warehouse, "rice": rice, "fresh": fresh, "old": old}


def in_indonesian(app, message, **params) -> str:
    with app.test_request_context(), force_locale("id"):
        return gettext(message, **params)


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def messages_of(response, element_id) -> list[str]:
    """The messages in the element a field's aria-describedby names."""
    block = text_of(response).split(f'id="{element_id}">', 1)
    assert len(block) == 2, f"no {element_id}"
    return re.findall(r'invalid-feedback d-block">([^<]+)<', block[1].split("</div></div>")[0]
                      + "</div>")


def documents(session) -> int:
    count = session.scalar(select(func.count(Document.id)))
    session.rollback()
    return count


def release(shelf, token, **overrides) -> dict:
    return {"form_token": token, "recipient_kind": "other", "recipient_name": "Desa Air Lais",
            "giver_name": "Siti", "receiver_name": "Rahmat", **overrides}


def test_three_mistakes_of_a_receipt_come_back_in_one_answer_each_beside_its_place(
        client, app, shelf, stock, session):
    url = f"/stock/warehouses/{shelf['warehouse']}/receive"
    before = documents(session)
    refused = client.post(url, data={
        "form_token": "rounds-1", "source": "kemensos", "document_date": TOMORROW,
        "item_id": [shelf["rice"], shelf["rice"]], "qty": ["0", "10"],
        "expires_on": [str(TODAY + timedelta(200)), ""]})
    assert refused.status_code == 422
    assert messages_of(refused, "f-document_date-error") == [
        in_indonesian(app, schemas.FUTURE_DATE)]
    assert messages_of(refused, "line-0-qty-error") == [
        in_indonesian(app, "A whole number from 1 to 10,000,000.")]
    assert messages_of(refused, "line-1-expires_on-error") == [
        in_indonesian(app, errors.ExpiryRequired.message, item="Beras")]
    assert "greater than" not in text_of(refused)
    assert documents(session) == before
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 45


def test_the_api_answers_field_and_rule_errors_together_in_the_flat_shape(
        client, shelf, auth, keeper):
    body = {"warehouse_id": shelf["warehouse"], "document_date": TOMORROW, "lines": [
        {"item_id": shelf["rice"], "qty": 0, "expires_on": str(TODAY + timedelta(200))},
        {"item_id": shelf["rice"], "qty": 3, "expires_on": "2020-01-01"}]}
    headers = auth.headers(keeper)
    refused = client.post("/api/v1/stock/receipts", headers=headers, json=body)
    assert refused.status_code == 422
    assert set(refused.get_json()["errors"]) == {"document_date", "lines.0.qty"}
    # The expiry question is the operation's, asked once a retry has been recognised (a retry
    # after midnight must replay, not be asked again), so the API asks it next.
    fixed = {**body, "document_date": str(TODAY),
             "lines": [{**body["lines"][0], "qty": 3}, body["lines"][1]]}
    asked = client.post("/api/v1/stock/receipts", headers=headers, json=fixed)
    assert asked.status_code == 422
    assert set(asked.get_json()["errors"]) == {"lines.1.expires_on"}


def test_a_release_names_an_expired_lot_and_a_bad_quantity_at_once(client, app, shelf, session):
    url = f"/stock/warehouses/{shelf['warehouse']}/issue"
    before = documents(session)
    refused = client.post(url, data=release(
        shelf, "rounds-2", item_id=[shelf["rice"], shelf["rice"]],
        lot_id=[shelf["old"], ""], qty=["1", "1,5"]))
    assert refused.status_code == 422
    assert "OLD-1" in messages_of(refused, "line-0-lot_id-error")[0]
    assert messages_of(refused, "line-1-qty-error") == [
        in_indonesian(app, "Not a valid integer.")]
    assert documents(session) == before


def test_not_enough_stock_marks_the_line_that_asked_too_much(client, app, shelf, stock, session):
    url = f"/stock/warehouses/{shelf['warehouse']}/issue"
    refused = client.post(url, data=release(
        shelf, "rounds-3", item_id=[shelf["rice"], "", shelf["rice"]],
        lot_id=[shelf["fresh"], "", shelf["fresh"]], qty=["30", "", "30"]))
    assert refused.status_code == 409
    assert 'aria-invalid="true" aria-describedby="line-0-qty-error"' not in text_of(refused)
    message = messages_of(refused, "line-2-qty-error")
    assert len(message) == 1
    assert "FRESH-1" in message[0]
    assert 'id="line-2-qty" type="text" inputmode="numeric" autocomplete="off" name="qty" ' \
           'value="30" aria-invalid="true" aria-describedby="line-2-qty-error"' in text_of(refused)
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 45


def test_a_reason_that_does_not_fit_the_sign_is_said_in_words_not_codes(
        client, app, shelf, stock):
    url = f"/stock/warehouses/{shelf['warehouse']}/adjust"
    refused = client.post(url, data={
        "form_token": "rounds-4", "reason": "damaged", "item_id": [shelf["rice"]],
        "lot_id": [shelf["fresh"]], "qty": ["+5"]})
    assert refused.status_code == 422
    assert messages_of(refused, "line-0-qty-error") == [in_indonesian(app, schemas.TAKES_OUT)]
    assert "damaged" not in text_of(refused).split("data-rows", 1)[1]
    with app.test_request_context(), force_locale("id"):
        said = stock_error(errors.WrongSign(reason="damaged", qty=5))
    assert "rusak" in said
    assert "damaged" not in said


def test_a_found_surplus_typed_with_a_plus_posts(client, shelf, stock):
    url = f"/stock/warehouses/{shelf['warehouse']}/adjust"
    posted = client.post(url, data={
        "form_token": "rounds-5", "reason": "found", "item_id": [shelf["rice"]],
        "lot_id": [shelf["fresh"]], "qty": ["+5"]})
    assert posted.status_code == 302
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 50


@pytest.mark.parametrize(("typed", "group", "read"), [
    ("+5", None, 5), (" +5 ", None, 5), ("-5", None, -5), ("+1.000", ".", 1000),
    ("++5", None, None), ("+-5", None, None), ("+", None, None), ("5+", None, None),
    ("+1.5", ".", None), ("+²", None, None), ("+1e3", None, None), ("+ 5", None, None),
])
def test_a_typed_number_may_carry_its_sign_and_nothing_looser(typed, group, read):
    assert parse_integer(typed, group) == read


def test_a_plus_in_a_json_body_is_still_not_a_number(client, shelf, auth, keeper):
    refused = client.post("/api/v1/stock/adjustments", headers=auth.headers(keeper), json={
        "warehouse_id": shelf["warehouse"], "reason": "found", "lines": [
            {"item_id": shelf["rice"], "lot_id": shelf["fresh"], "qty": "+5"}]})
    assert refused.status_code == 422
    assert "lines.0.qty" in refused.get_json()["errors"]


def _input_schemas():
    for module in (logistics.stock.schemas, logistics.accounts.schemas):
        for _, schema in inspect.getmembers(module, inspect.isclass):
            if issubclass(schema, Schema) and schema.__module__ == module.__name__ \
                    and schema.__name__.endswith(("In", "Query")):
                yield schema


def _validators(field):
    yield from getattr(field, "validators", [])
    if getattr(field, "inner", None) is not None:  # a list's items
        yield from _validators(field.inner)


def test_every_bound_says_itself_in_a_message_of_its_own():
    """marshmallow's own wording ("Must be greater than or equal to 1.") carries numbers, so
    the catalog cannot translate it and it reaches the keeper in English: every range, length
    and choice of an input schema names its own message (test_i18n checks it is translated)."""
    bare = [f"{schema.__name__}.{name}" for schema in _input_schemas()
            for name, field in schema().fields.items() for validator in _validators(field)
            if isinstance(validator, validate.Range | validate.Length | validate.OneOf
                          | validate.NoneOf | validate.Regexp) and validator.error is None]
    assert bare == []
