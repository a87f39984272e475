"""Review probes of issue 14 (imports racing, retries, repeated lots): what users do at once.

Each test runs on both databases. The races matter on PostgreSQL, where the writers really
overlap; on SQLite they queue on the write lock.
"""

import io
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from app.extensions import db
from logistics.accounts.models import User
from logistics.calendar import local_today
from logistics.errors import Conflict
from logistics.stock import imports, operations
from logistics.stock.spreadsheets import CATALOGUE_COLUMNS, OPENING_COLUMNS

EXPIRY = local_today() + timedelta(days=300)


def workbook(header, *rows) -> bytes:
    book = Workbook()
    book.active.append(list(header))
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def together(app, make_user):
    """Run each ``work(session, actor)`` in its own thread, all released at one barrier.

    One outcome per work: "ok" when it committed, else the name of the 409 it got. Anything
    else (a deadlock, an IntegrityError) is returned as "crash: <type>" so the test names it.
    """
    username = make_user("coordinator")

    def run(works) -> list[str]:
        barrier = threading.Barrier(len(works))

        def one(work):
            barrier.wait()
            with app.app_context():
                actor = db.session.scalar(select(User).where(User.username == username))
                try:
                    work(db.session, actor)
                    db.session.commit()
                    return "ok"
                except Conflict as conflict:
                    db.session.rollback()
                    return type(conflict).__name__
                except Exception as error:  # noqa: BLE001 - the probe reports it
                    db.session.rollback()
                    deadlock = " (deadlock)" if "deadlock" in str(error).lower() else ""
                    return f"crash: {type(error).__name__}{deadlock}"

        with ThreadPoolExecutor(len(works)) as pool:
            return list(pool.map(one, works))

    return run


def _importer(content: bytes, kind="opening"):
    def work(session, actor):
        imports.import_sheet(session, actor=actor, kind=kind, content=content,
                             filename="saldo.xlsx")
    return work


def test_two_opening_sheets_naming_warehouses_in_opposite_orders_both_import(stock, together):
    """Two coordinators import their opening sheets at the same moment; one lists Gudang A
    then Gudang B, the other B then A. Each sheet becomes one receipt per warehouse, posted in
    sheet order inside one transaction, and each receipt first takes its warehouse's number
    counter: A's import holds A's counter waiting for B's, B's import the reverse. PostgreSQL
    breaks the cycle by killing one (a 500), which the ledger's lock order promised never to do.
    """
    first, second = stock.warehouse(code="GA"), stock.warehouse(code="GB")
    rice = stock.item(code="BRS")
    outcomes = []
    for round_ in range(4):
        one = workbook(OPENING_COLUMNS, ("GA", "BRS", "", EXPIRY, 10 + round_, "", ""),
                       ("GB", "BRS", "", EXPIRY, 20 + round_, "", ""))
        other = workbook(OPENING_COLUMNS, ("GB", "BRS", "", EXPIRY, 30 + round_, "", ""),
                         ("GA", "BRS", "", EXPIRY, 40 + round_, "", ""))
        outcomes += together([_importer(one), _importer(other)])
    assert outcomes == ["ok"] * 8
    assert stock.on_hand(first, rice) == sum(10 + r + 40 + r for r in range(4))
    assert stock.on_hand(second, rice) == sum(20 + r + 30 + r for r in range(4))
    assert stock.mismatches() == []


def test_the_same_catalogue_sheet_uploaded_twice_at_once_names_the_earlier_import(
        session, together):
    """Issue 14 finding 2: a sheet already imported is refused *naming the earlier import*.
    Two uploads of one catalogue sheet at once (a double click, two browser tabs): on
    PostgreSQL the loser's item insert waits for the winner's and then fails on the item code,
    so it is told "this code is already in the catalogue" (DuplicateCode) instead of
    SheetAlreadyImported naming IMP-…; the unique (kind, content_sha256) rule never gets to
    speak because the import writes its SheetImport row last."""
    sheet = workbook(CATALOGUE_COLUMNS,
                     *[(f"K{n:02d}", f"Barang {n}", f"Item {n}", "pangan", "kg", "", "", "", "")
                       for n in range(30)])
    outcomes = together([_importer(sheet, "catalogue"), _importer(sheet, "catalogue")])
    assert sorted(outcomes) == ["SheetAlreadyImported", "ok"]


def test_a_transfer_of_one_lot_on_two_rows_reversed_after_its_receipt_is_undone_returns_all(
        stock, make_user, session):
    """Guard: repeated lots through transfer, receipt, reversal of the receipt, reversal of
    the transfer, end where they began (per lot), ledger proof clean."""
    username = make_user("admin")
    source, destination = stock.warehouse(), stock.warehouse()
    rice = stock.item()
    lot = stock.receive(source, rice, 30, batch_no="B-1")
    actor = session.scalar(select(User).where(User.username == username))
    transfer = operations.transfer_stock(
        session, actor=actor, warehouse_id=source, to_warehouse_id=destination,
        lines=[{"item_id": rice, "qty": 10}, {"item_id": rice, "qty": 5, "lot_id": lot},
               {"item_id": rice, "qty": 5}])
    receipt = operations.receive_transfer(
        session, actor=actor, transfer_id=transfer.id,
        lines=[{"lot_id": lot, "qty": 12}, {"lot_id": lot, "qty": 8}])
    session.commit()
    assert stock.on_hand(destination, rice) == 20
    actor = session.scalar(select(User).where(User.username == username))
    operations.reverse_document(session, actor=actor, document_id=receipt.id, notes="salah")
    operations.reverse_document(session, actor=actor, document_id=transfer.id, notes="batal")
    session.commit()
    session.rollback()
    assert (stock.on_hand(source, rice), stock.on_hand(destination, rice)) == (30, 0)
    assert stock.mismatches() == []
