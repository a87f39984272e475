"""The database itself keeps the stock ledger append-only: a posted line is never edited or deleted.

The verbs never change a line (a mistake is undone by a reversing document); these tests go
around them with raw SQL, as a careless script or console session would.
"""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError


@pytest.fixture
def one_line(stock):
    """A committed receipt of 10 units: one ledger line."""
    stock.receive(stock.warehouse(), stock.item(), 10)


def _lines(session) -> list[tuple[int, int]]:
    return session.execute(text("SELECT qty, balance_after FROM stock_movements")).all()


def test_deleting_a_ledger_line_is_refused_and_the_line_stays(session, one_line):
    with pytest.raises(IntegrityError, match="append-only: DELETE refused"):
        session.execute(text("DELETE FROM stock_movements"))
    session.rollback()
    assert _lines(session) == [(10, 10)]


def test_editing_a_ledger_line_is_refused_and_the_line_stays(session, one_line):
    with pytest.raises(IntegrityError, match="append-only: UPDATE refused"):
        session.execute(text("UPDATE stock_movements SET qty = 99, balance_after = 99"))
    session.rollback()
    assert _lines(session) == [(10, 10)]


def test_truncating_the_ledger_is_refused(db_backend, session, one_line):
    if db_backend == "sqlite":
        pytest.skip("SQLite has no TRUNCATE; its DELETE runs the row triggers")
    with pytest.raises(IntegrityError, match="append-only: TRUNCATE refused"):
        session.execute(text("TRUNCATE stock_movements CASCADE"))
    session.rollback()
    assert _lines(session) == [(10, 10)]
