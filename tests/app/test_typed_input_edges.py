"""Typed numbers, prefilled links and messages on the posting pages (issue 16: 2, 6, 13)."""

import html
from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app.i18n import day
from logistics import calendar
from logistics.core.fields import Quantity, first_problem, parse_integer
from logistics.stock.documents import Document

TODAY = calendar.local_today()


def documents(session) -> int:
    count = session.scalar(select(func.count(Document.id)))
    session.rollback()
    return count


def errors_of(page) -> str:
    text = html.unescape(page.get_data(as_text=True))
    return " ".join(line for line in text.splitlines()
                    if "invalid-feedback" in line or "alert-danger" in line)


def test_expired_lot_refusal_names_the_expiry_as_a_date_people_read(client, app, stock, keeper):
    """Issue 16.2: every date on a page goes through the locale ("1 Nov 2026"), and domain
    errors pass dates as dates so `translate_error` formats them."""
    warehouse = stock.warehouse(keepers=[keeper])
    milk = stock.item(perishable=True)
    expired_on = TODAY - timedelta(days=30)
    lot = stock.receive(warehouse, milk, 30, batch_no="SUSU-LAMA", expires_on=expired_on)
    page = client.post(f"/stock/warehouses/{warehouse}/issue", data={
        "form_token": "expired-msg-1", "recipient_kind": "person", "recipient_name": "Pak Rahmat",
        "giver_name": "A", "receiver_name": "B",
        "item_id": [str(milk)], "lot_id": [str(lot)], "qty": ["5"]})
    assert page.status_code == 409
    shown = errors_of(page)
    assert "SUSU-LAMA" in shown
    with app.test_request_context(), force_locale("id"):
        readable = {day(expired_on), day(expired_on, "medium")}
    assert expired_on.isoformat() not in shown, shown
    assert any(text in shown for text in readable), shown


@pytest.mark.parametrize(("typed", "expected"), [
    ("1.000.000", 1_000_000), ("10.000.000", 10_000_000), ("+5", 5), ("1.000", 1000),
    (" 7 ", 7), ("-1.000", -1000)])
def test_indonesian_grouped_numbers_read_as_people_mean_them(typed, expected):
    assert parse_integer(typed, ".") == expected


@pytest.mark.parametrize("typed", [
    "9.999.999.999", "10.000.001", "+0", "-0", "٣", "１０", "1\u00a0000", "1.5", "10.00",
    "1.0000", "1,000", "+-3", "1e3", "²"])
def test_a_quantity_refuses_what_no_keeper_means(typed):
    number = parse_integer(typed, ".")
    assert number is None or first_problem(Quantity(), number) is not None


@pytest.mark.parametrize("qty", ["9.999.999.999", "10.000.001", "+0", "٣", "１０",
                                 "1\u00a0000", "99999999999999999999999999999"])
def test_receive_form_refuses_out_of_range_or_foreign_digits_on_its_line(
        client, stock, keeper, session, qty):
    warehouse = stock.warehouse(keepers=[keeper])
    rice = stock.item()
    before = documents(session)
    page = client.post(f"/stock/warehouses/{warehouse}/receive", data={
        "form_token": f"qty-{qty}", "source": "kemensos",
        "item_id": [str(rice)], "qty": [qty]})
    assert page.status_code == 422
    assert 'id="line-0-qty-error"' in page.get_data(as_text=True)
    assert documents(session) == before


def test_receive_form_takes_a_million_typed_with_indonesian_groups(client, stock, keeper):
    warehouse = stock.warehouse(keepers=[keeper])
    rice = stock.item()
    page = client.post(f"/stock/warehouses/{warehouse}/receive", data={
        "form_token": "qty-million", "source": "kemensos",
        "item_id": [str(rice), str(rice)], "qty": ["1.000.000", "2.500"]})
    assert page.status_code == 302
    assert stock.on_hand(warehouse, rice) == 1_002_500


def test_english_page_reads_english_groups(client, stock, keeper):
    warehouse = stock.warehouse(keepers=[keeper])
    rice = stock.item()
    with client.session_transaction() as browser:
        browser["lang"] = "en"
    page = client.post(f"/stock/warehouses/{warehouse}/receive", data={
        "form_token": "qty-en", "source": "kemensos",
        "item_id": [str(rice)], "qty": ["1,250"]})
    assert page.status_code == 302
    assert stock.on_hand(warehouse, rice) == 1250
    card = client.get(f"/stock/warehouses/{warehouse}/items/{rice}/card").get_data(as_text=True)
    assert "1,250" in card
    assert "1.250" not in card


@pytest.mark.parametrize("query", [
    "?item_id=abc&lot_id=99999999999999&qty=9.999.999.999&reason=nonsense",
    "?item_id=2147483648&qty=-0&transfer_id=abc",
    "?lot_id=%00&qty=%EF%BC%91&document_date=2026-13-45",
])
def test_a_prefilled_link_with_nonsense_shows_the_form(client, stock, keeper, query):
    warehouse = stock.warehouse(keepers=[keeper])
    stock.item()
    for form in ("adjust", "issue", "transfer", "receive", "count"):
        page = client.get(f"/stock/warehouses/{warehouse}/{form}{query}")
        assert page.status_code == 200, (form, page.status_code)


def test_a_prefilled_link_naming_another_warehouses_lot_does_not_show_it(
        client, stock, keeper, session):
    mine = stock.warehouse(keepers=[keeper])
    theirs = stock.warehouse()
    rice = stock.item()
    their_lot = stock.receive(theirs, rice, 40, batch_no="RAHASIA-LAIN")
    page = client.get(f"/stock/warehouses/{mine}/adjust?reason=expired&item_id={rice}"
                      f"&lot_id={their_lot}&qty=-40")
    assert page.status_code == 200
    assert "RAHASIA-LAIN" not in page.get_data(as_text=True)
    before = documents(session)
    token = page.get_data(as_text=True).split('name="form_token"')[1].split('value="')[1]
    posted = client.post(f"/stock/warehouses/{mine}/adjust", data={
        "form_token": token.split('"')[0], "reason": "expired", "item_id": [str(rice)],
        "lot_id": [str(their_lot)], "qty": ["-40"]})
    assert posted.status_code in (403, 404, 409, 422)
    assert documents(session) == before
    assert stock.on_hand(theirs, rice) == 40
