"""Sheet imports are as strict as the API: a number that is not a whole number in range, or
text longer than its column, is a problem on its row and column, and nothing is imported.
Issue 15, findings 1 to 3, for the catalogue and opening-stock sheets."""

import io
from datetime import timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from logistics.stock.models import Item
from logistics.stock.spreadsheets import CATALOGUE_COLUMNS, OPENING_COLUMNS
from tests.app.bounds import (  # noqa: F401  (the fixtures)
    TODAY,
    admin_fixture,
    keeper_fixture,
    shelf_fixture,
)


def workbook(header, *rows) -> bytes:
    book = Workbook()
    book.active.append(list(header))
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, kind, content, headers):
    return client.post(f"/api/v1/stock/files/imports/{kind}", headers=headers,
                       data={"file": (io.BytesIO(content), "sheet.xlsx")},
                       content_type="multipart/form-data")


def problem_columns(response) -> list[str]:
    assert response.status_code == 422, response.get_json()
    return [row["column"] for row in response.get_json()["errors"]["rows"]]


@pytest.fixture
def codes(app, shelf):
    """The codes a sheet names the shelf's warehouse and rice by."""
    from app.extensions import db
    from logistics.stock.models import Warehouse

    with app.app_context():
        return (db.session.get(Warehouse, shelf["warehouse"]).code,
                db.session.get(Item, shelf["rice"]).code)


@pytest.mark.parametrize("qty", ["²", "1.5", 1.5, 10**12, "10000001"])
def test_an_opening_import_refuses_a_quantity_that_is_not_a_whole_number_in_range(
        client, admin, shelf, codes, stock, qty):
    sheet = workbook(OPENING_COLUMNS, (*codes, "B-2", str(TODAY + timedelta(90)), qty, "", ""))
    assert problem_columns(upload(client, "opening", sheet, admin)) == ["qty"]
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 2000


@pytest.mark.parametrize(("column", "value"), [
    ("shelf_life_days", "²"), ("shelf_life_days", 10**9), ("kcal_per_unit", 2**40),
    ("packs", "karung=²"), ("packs", "karung=1000000000"), ("packs", "karung=25; karung=50"),
    ("packs", "k" * 21 + "=25"), ("name_id", "B" * 121), ("base_unit", "k" * 21),
])
def test_a_catalogue_import_refuses_numbers_and_text_the_columns_cannot_hold(
        client, admin, session, column, value):
    row = dict(zip(CATALOGUE_COLUMNS, ("BRS", "Beras", "Rice", "pangan", "kg", "", "", "", ""),
                   strict=True))
    row[column] = value
    sheet = workbook(CATALOGUE_COLUMNS, tuple(row.values()))
    assert problem_columns(upload(client, "catalogue", sheet, admin)) == [column]
    assert session.scalar(select(func.count(Item.id))) == 0
    session.rollback()


@pytest.mark.parametrize(("column", "value"), [("batch_no", "B" * 61), ("donor_name", "D" * 121)])
def test_an_opening_import_refuses_text_its_columns_cannot_hold(client, admin, shelf, codes,
                                                                 stock, column, value):
    row = dict(zip(OPENING_COLUMNS, (*codes, "B-2", str(TODAY + timedelta(90)), 5, "donor",
                                     "Donatur"), strict=True))
    row[column] = value
    sheet = workbook(OPENING_COLUMNS, tuple(row.values()))
    assert problem_columns(upload(client, "opening", sheet, admin)) == [column]
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 2000

