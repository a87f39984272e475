"""Numbers, dates and times as an Indonesian office reads and types them: "3.240", "1 Desember
2026", "05.33 WIB"; English pages keep English formats. The kabupaten's zone is configurable."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from flask_babel import force_locale

from app.i18n import day, moment, number
from logistics import calendar
from logistics.core.fields import parse_integer
from tests.app.test_stock_forms import form_token, text_of
from tests.conftest import make_app

LATE_EVENING_UTC = datetime(2026, 11, 30, 22, 33, tzinfo=UTC)  # 1 December, 05.33 in Jakarta


def test_numbers_dates_and_times_follow_the_language(app):
    with app.test_request_context(), force_locale("id"):
        assert number(3240) == "3.240"
        assert number(1234567) == "1.234.567"
        assert number(-5) == "-5"
        assert number(5, signed=True) == "+5"
        assert number(1.25, decimals=1) == "1,2"
        assert number(None) == "—"
        assert day(date(2026, 12, 1)) == "1 Desember 2026"
        assert moment(LATE_EVENING_UTC) == "1 Des 2026 05.33 WIB"
        assert moment(LATE_EVENING_UTC.replace(tzinfo=None)) == "1 Des 2026 05.33 WIB"  # SQLite
    with app.test_request_context(), force_locale("en"):
        assert number(3240) == "3,240"
        assert day(date(2026, 12, 1)) == "December 1, 2026"
        assert moment(LATE_EVENING_UTC) == "1 Dec 2026 05:33 WIB"


def test_a_kabupaten_in_central_indonesia_reads_wita(database_url):
    app = make_app(database_url, BABEL_DEFAULT_TIMEZONE="Asia/Makassar")
    try:
        with app.test_request_context(), force_locale("id"):
            assert moment(LATE_EVENING_UTC) == "1 Des 2026 06.33 WITA"
        assert calendar.local_today() == datetime.now(calendar.field_timezone()).date()
    finally:
        calendar.use_field_timezone(calendar.DEFAULT_TIMEZONE)


@pytest.mark.parametrize(("typed", "group", "read"), [
    ("1.000", ".", 1000), ("12.345.678", ".", 12345678), (" 2.500 ", ".", 2500),
    ("1,000", ",", 1000), ("1000", ".", 1000),
    ("1.5", ".", None), ("10.00", ".", None), ("1,000", ".", None), ("1.000", None, None),
    ("1.000,5", ".", None), (".100", ".", None), ("1..000", ".", None), ("1.000", ",", None),
])
def test_typed_numbers_take_the_languages_thousands_separator_and_nothing_looser(
        typed, group, read):
    assert parse_integer(typed, group) == read


def test_a_keeper_types_a_thousand_the_indonesian_way(client, make_user, auth, stock):
    keeper = make_user("warehouse_keeper")
    auth.login(keeper)
    warehouse = stock.warehouse(keepers=[keeper])
    rice = stock.item(name_id="Beras")
    url = f"/stock/warehouses/{warehouse}/receive"
    form = {"source": "kemensos", "item_id": [rice], "qty": ["1.000"], "pack": [""],
            "packs": [""], "batch_no": ["B-1"], "expires_on": [""]}
    refused = client.post(url, data={**form, "form_token": form_token(client, url),
                                     "qty": ["1.5"]})
    assert refused.status_code == 422
    assert stock.on_hand(warehouse, rice) == 0
    posted = client.post(url, data={**form, "form_token": form_token(client, url)})
    assert posted.status_code == 302
    assert stock.on_hand(warehouse, rice) == 1000
    page = text_of(client.get(posted.location))
    assert "1.000" in page
    today = calendar.local_today()
    assert re.search(rf"{today.day} \w+ {today.year}", page)  # the document date, spelled out
    assert "UTC" not in page
    assert "WIB" in page


def test_an_api_quantity_stays_a_json_number(client, make_user, auth, stock):
    """Grouping is for people typing into pages: the API's "1.000" is no number."""
    keeper = make_user("warehouse_keeper")
    headers = auth.headers(keeper)
    warehouse = stock.warehouse(keepers=[keeper])
    rice = stock.item()
    answer = client.post("/api/v1/stock/receipts", headers=headers, json={
        "warehouse_id": warehouse, "lines": [{"item_id": rice, "qty": "1.000"}]})
    assert answer.status_code == 422
    assert stock.on_hand(warehouse, rice) == 0
    assert "lines.0.qty" in answer.get_json()["errors"]


def test_dates_in_the_stock_card_read_the_indonesian_way(client, make_user, auth, stock):
    keeper = make_user("warehouse_keeper")
    auth.login(keeper)
    warehouse = stock.warehouse(keepers=[keeper])
    rice = stock.item()
    stock.receive(warehouse, rice, 3240, expires_on=calendar.local_today() + timedelta(400))
    page = text_of(client.get(f"/stock/warehouses/{warehouse}/items/{rice}/card"))
    assert "3.240" in page
    assert "3,240" not in page
