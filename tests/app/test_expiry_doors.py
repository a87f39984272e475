"""Issue 16.10: "A receipt dated expiry 2020-01-01 posts without a word" -- an already expired
or implausible expiry (past, or more than ten years ahead) asks for confirmation. The page and
the API ask; every other door that receives stock must not post it silently either."""

from datetime import date

import pytest
from sqlalchemy import select

from logistics.accounts.models import User
from logistics.stock import imports
from logistics.stock.spreadsheets import OPENING_COLUMNS
from tests.stock.test_spreadsheets import workbook


@pytest.mark.parametrize("expires_on", [date(2020, 1, 1), date(2099, 3, 31)])
def test_an_opening_sheet_does_not_post_an_implausible_expiry_without_a_word(
        session, stock, make_user, expires_on):
    warehouse_code = "WX1"
    warehouse = stock.warehouse(code=warehouse_code)
    rice = stock.item(code="BRS1", perishable=True)
    content = workbook(OPENING_COLUMNS, (warehouse_code, "BRS1", "TYPO-1",
                                         expires_on, 120, "kemensos", ""))
    actor = session.scalar(select(User).where(User.username == make_user("admin")))
    try:
        imports.import_sheet(session, actor=actor, kind="opening", content=content,
                             filename="saldo-awal.xlsx")
        session.commit()
    except Exception:  # noqa: BLE001 - a refusal naming the row is what we want
        session.rollback()
    assert stock.on_hand(warehouse, rice) == 0, \
        f"expiry {expires_on} posted from a sheet with no question asked"
