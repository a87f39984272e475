"""Importing a large opening-stock sheet is quick: it posts through the ledger in a few
statements, however many rows it has.
"""

import io
from datetime import date, timedelta

from openpyxl import Workbook
from sqlalchemy import event, select

from logistics.accounts.models import User
from logistics.stock import imports
from logistics.stock.spreadsheets import OPENING_COLUMNS

EXPIRY = date(2027, 3, 31)


def workbook(*rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- large imports ------------------------------------------------------------------------------

def test_a_large_opening_sheet_posts_through_the_ledger_in_a_few_statements(session, stock,
                                                                            make_user):
    """Finding 12: 50,000 rows died at the worker timeout; each row cost several statements."""
    warehouses = [stock.warehouse(code=f"W{n}") for n in range(2)]
    items = [stock.item(code=f"I{n}", perishable=n % 2 == 0) for n in range(10)]
    rows = [(f"W{n % 2}", f"I{n % 10}", f"B{n}", EXPIRY + timedelta(days=n % 7),
             1 + n % 50, ("kemensos", "donor")[n % 3 == 0], "CSR Bank" if n % 3 == 0 else "")
            for n in range(1000)]
    content = workbook(OPENING_COLUMNS, *rows)
    actor = session.scalar(select(User).where(User.username == make_user("admin")))
    statements = []

    def count(_connection, _cursor, statement, *_):
        statements.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        imported = imports.import_sheet(session, actor=actor, kind="opening", content=content,
                                        filename="saldo-awal.xlsx").rows
        session.commit()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert imported == 1000
    assert len(statements) < 100, f"{len(statements)} statements for 1,000 rows"
    for warehouse in warehouses:
        for item in items:
            expected = sum(row[4] for row in rows
                           if row[0] == f"W{warehouses.index(warehouse)}"
                           and row[1] == f"I{items.index(item)}")
            assert stock.on_hand(warehouse, item) == expected
    assert stock.mismatches() == []
