"""Many writers at once: stock never goes negative and balances always equal the ledger.

Each thread has its own app context, so its own session and connection, and the threads are
released together by a barrier. On SQLite a plain session takes the write lock at BEGIN
(app/database.py), so the writers queue; on PostgreSQL they really overlap and the group locks
of the ledger decide.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from logistics.accounts.models import User
from logistics.calendar import local_today
from logistics.errors import Conflict
from logistics.stock import operations, queries
from logistics.stock.documents import Document

THREADS = 8
BAST = {"recipient_kind": "person", "recipient_name": "Pak Rahmat", "giver_name": "A",
        "receiver_name": "B"}


@pytest.fixture
def run_at_once(app, make_user):
    """Run ``work(session, actor, index)`` in many threads released together.

    Returns one outcome per attempt: "ok" when it committed, else the name of the domain
    conflict (409) it was refused with. Anything else (a crash, a deadlock) fails the test.
    """
    username = make_user("coordinator")

    def run(work, attempts: int) -> list[str]:
        barrier = threading.Barrier(THREADS)

        def one(index):
            if index < THREADS:
                barrier.wait()
            with app.app_context():
                actor = db.session.scalar(select(User).where(User.username == username))
                try:
                    work(db.session, actor, index)
                    db.session.commit()
                    return "ok"
                except Conflict as conflict:
                    db.session.rollback()
                    return type(conflict).__name__

        with ThreadPoolExecutor(THREADS) as pool:
            return list(pool.map(one, range(attempts)))

    return run


@pytest.fixture
def post(app, make_user):
    """Post one document as an admin and commit it; returns the document id."""
    username = make_user("admin")

    def run(verb, **arguments) -> int:
        with app.app_context():
            actor = db.session.scalar(select(User).where(User.username == username))
            document_id = verb(db.session, actor=actor, **arguments).id
            db.session.commit()
            return document_id

    return run


def _in_transit(app, warehouse_id, item_id) -> int:
    with app.app_context():
        rows = queries.stock_on_hand(db.session, warehouse_id=warehouse_id)
        return sum(row["in_transit"] for row in rows if row["item"].id == item_id)


def _shortfall(app, transfer_id) -> dict:
    with app.app_context():
        return queries.transfer_shortfall(db.session, db.session.get(Document, transfer_id))


def test_many_threads_issuing_from_one_balance_take_exactly_what_is_there(stock, run_at_once):
    warehouse, rice = stock.warehouse(), stock.item()
    stock.receive(warehouse, rice, 100)

    def issue(session, actor, index):
        operations.issue_stock(session, actor=actor, warehouse_id=warehouse, **BAST,
                               lines=[{"item_id": rice, "qty": 7}])

    outcomes = run_at_once(issue, attempts=40)
    assert outcomes.count("ok") == 100 // 7
    assert set(outcomes) == {"ok", "InsufficientStock"}
    assert stock.on_hand(warehouse, rice) == 100 - 14 * 7
    assert stock.mismatches() == []


def test_issues_transfers_and_write_offs_racing_for_one_balance_take_exactly_what_is_there(
        stock, run_at_once):
    """Documents of one kind in one warehouse queue on their number sequence; three kinds at
    once really overlap on PostgreSQL, so only the ledger's guarded updates stand between them."""
    warehouse, elsewhere, rice = stock.warehouse(), stock.warehouse(), stock.item()
    lot = stock.receive(warehouse, rice, 100)

    def take_seven(session, actor, index):
        if index % 3 == 0:
            operations.issue_stock(session, actor=actor, warehouse_id=warehouse, **BAST,
                                   lines=[{"item_id": rice, "qty": 7}])
        elif index % 3 == 1:
            operations.transfer_stock(session, actor=actor, warehouse_id=warehouse,
                                      to_warehouse_id=elsewhere,
                                      lines=[{"item_id": rice, "qty": 7}])
        else:
            operations.adjust_stock(session, actor=actor, warehouse_id=warehouse,
                                    reason="damaged",
                                    lines=[{"item_id": rice, "lot_id": lot, "qty": -7}])

    outcomes = run_at_once(take_seven, attempts=36)
    assert outcomes.count("ok") == 14
    assert set(outcomes) == {"ok", "InsufficientStock"}
    assert stock.on_hand(warehouse, rice) == 2
    assert stock.mismatches() == []


def test_expired_stock_is_never_issued_however_many_ask_at_once(stock, run_at_once):
    """The total counts the expired lot too; the rush must still stop at the usable stock."""
    today = local_today()
    warehouse, rice = stock.warehouse(), stock.item(perishable=True)
    stock.receive(warehouse, rice, 30, batch_no="OLD", expires_on=today - timedelta(days=1))
    stock.receive(warehouse, rice, 100, batch_no="NEW", expires_on=today + timedelta(days=60))

    def issue(session, actor, index):
        operations.issue_stock(session, actor=actor, warehouse_id=warehouse, **BAST,
                               lines=[{"item_id": rice, "qty": 7}], today=today)

    outcomes = run_at_once(issue, attempts=24)
    assert outcomes.count("ok") == 14
    assert set(outcomes) == {"ok", "ExpiredStockOnly"}
    assert stock.on_hand(warehouse, rice) == 30 + 2  # the expired lot is untouched
    assert stock.mismatches() == []


def test_documents_locking_two_items_in_opposite_orders_post_whole_or_not_at_all(
        stock, run_at_once):
    """Lines in either order must not deadlock, and a document short of tents takes no rice."""
    warehouse, rice, tent = stock.warehouse(), stock.item(), stock.item()
    stock.receive(warehouse, rice, 1000)
    stock.receive(warehouse, tent, 52)

    def issue_both(session, actor, index):
        lines = [{"item_id": rice, "qty": 3}, {"item_id": tent, "qty": 5}]
        operations.issue_stock(session, actor=actor, warehouse_id=warehouse, **BAST,
                               lines=lines if index % 2 else lines[::-1])

    outcomes = run_at_once(issue_both, attempts=32)
    assert outcomes.count("ok") == 10
    assert set(outcomes) == {"ok", "InsufficientStock"}
    assert stock.on_hand(warehouse, rice) == 1000 - 10 * 3
    assert stock.on_hand(warehouse, tent) == 2
    assert stock.mismatches() == []


def test_transfers_both_ways_at_once_keep_every_unit(app, stock, run_at_once):
    north, south, rice = stock.warehouse(), stock.warehouse(), stock.item()
    stock.receive(north, rice, 300)
    stock.receive(south, rice, 300)

    def transfer(session, actor, index):
        source, destination = (north, south) if index % 2 else (south, north)
        operations.transfer_stock(session, actor=actor, warehouse_id=source,
                                  to_warehouse_id=destination, lines=[{"item_id": rice, "qty": 9}])

    outcomes = run_at_once(transfer, attempts=24)
    assert outcomes == ["ok"] * 24
    assert stock.on_hand(north, rice) == stock.on_hand(south, rice) == 300 - 12 * 9
    assert _in_transit(app, north, rice) == _in_transit(app, south, rice) == 12 * 9
    assert stock.mismatches() == []


def test_a_transfer_received_by_many_at_once_is_received_once(stock, run_at_once, post):
    source, destination, rice = stock.warehouse(), stock.warehouse(), stock.item()
    stock.receive(source, rice, 50)
    transfer_id = post(operations.transfer_stock, warehouse_id=source,
                       to_warehouse_id=destination, lines=[{"item_id": rice, "qty": 20}])

    def receive(session, actor, index):
        operations.receive_transfer(session, actor=actor, transfer_id=transfer_id)

    outcomes = run_at_once(receive, attempts=THREADS)
    assert outcomes.count("ok") == 1
    assert set(outcomes) == {"ok", "TransferNotInTransit"}
    assert stock.on_hand(destination, rice) == 20
    assert stock.mismatches() == []


def test_a_transfer_received_and_cancelled_at_once_does_exactly_one(
        app, stock, run_at_once, post):
    source, destination, rice = stock.warehouse(), stock.warehouse(), stock.item()
    stock.receive(source, rice, 50)
    transfer_id = post(operations.transfer_stock, warehouse_id=source,
                       to_warehouse_id=destination, lines=[{"item_id": rice, "qty": 20}])

    def receive_or_cancel(session, actor, index):
        if index % 2:
            operations.receive_transfer(session, actor=actor, transfer_id=transfer_id)
        else:
            operations.reverse_document(session, actor=actor, document_id=transfer_id,
                                        notes="cancelled")

    outcomes = run_at_once(receive_or_cancel, attempts=THREADS)
    assert outcomes.count("ok") == 1
    assert set(outcomes) <= {"ok", "TransferNotInTransit", "CannotReverse", "AlreadyReversed"}
    assert stock.on_hand(source, rice) + stock.on_hand(destination, rice) == 50
    assert _in_transit(app, destination, rice) == 0
    assert stock.mismatches() == []


def test_one_document_reversed_by_many_at_once_is_reversed_once(stock, run_at_once, post):
    warehouse, rice = stock.warehouse(), stock.item()
    stock.receive(warehouse, rice, 50)
    issued = post(operations.issue_stock, warehouse_id=warehouse, **BAST,
                  lines=[{"item_id": rice, "qty": 20}])

    def reverse(session, actor, index):
        operations.reverse_document(session, actor=actor, document_id=issued, notes="wrong")

    outcomes = run_at_once(reverse, attempts=THREADS)
    assert outcomes.count("ok") == 1
    # The losers either saw the reversal (it committed first) or clashed on its unique key,
    # which names the same rule.
    assert set(outcomes) <= {"ok", "AlreadyReversed"}
    assert stock.on_hand(warehouse, rice) == 50
    assert stock.mismatches() == []


def test_one_shortfall_settled_by_many_at_once_is_settled_once(app, stock, run_at_once, post):
    """Another transfer of the same lot is in transit too: settling must not eat into it."""
    source, destination, rice = stock.warehouse(), stock.warehouse(), stock.item()
    lot = stock.receive(source, rice, 100)
    short = post(operations.transfer_stock, warehouse_id=source, to_warehouse_id=destination,
                 lines=[{"item_id": rice, "qty": 10}])
    post(operations.receive_transfer, transfer_id=short, lines=[{"lot_id": lot, "qty": 8}])
    on_the_road = post(operations.transfer_stock, warehouse_id=source,
                       to_warehouse_id=destination, lines=[{"item_id": rice, "qty": 50}])

    def settle(session, actor, index):
        operations.adjust_stock(session, actor=actor, warehouse_id=destination, reason="lost",
                                transfer_id=short,
                                lines=[{"item_id": rice, "lot_id": lot, "qty": -2}])

    outcomes = run_at_once(settle, attempts=THREADS)
    assert outcomes.count("ok") == 1
    assert set(outcomes) == {"ok", "NothingToSettle"}
    assert _shortfall(app, short) == {}
    assert _shortfall(app, on_the_road) == {lot: 50}
    assert _in_transit(app, destination, rice) == 50
    assert stock.mismatches() == []


def test_a_settlement_racing_the_reversal_of_its_receipt_never_both_post(
        app, stock, run_at_once, post):
    """Un-receiving a transfer whose shortfall was written off would leave it in transit short
    of what it carried; whichever comes first, the other must be refused."""
    source, destination, rice = stock.warehouse(), stock.warehouse(), stock.item()
    lot = stock.receive(source, rice, 100)
    short = post(operations.transfer_stock, warehouse_id=source, to_warehouse_id=destination,
                 lines=[{"item_id": rice, "qty": 10}])
    receipt = post(operations.receive_transfer, transfer_id=short,
                   lines=[{"lot_id": lot, "qty": 6}])
    post(operations.transfer_stock, warehouse_id=source, to_warehouse_id=destination,
         lines=[{"item_id": rice, "qty": 50}])

    def settle_or_unreceive(session, actor, index):
        if index % 2:
            operations.adjust_stock(session, actor=actor, warehouse_id=destination,
                                    reason="lost", transfer_id=short,
                                    lines=[{"item_id": rice, "lot_id": lot, "qty": -1}])
        else:
            operations.reverse_document(session, actor=actor, document_id=receipt, notes="x")

    outcomes = run_at_once(settle_or_unreceive, attempts=THREADS)
    assert set(outcomes) <= {"ok", "CannotReverse", "TransferNotReceived", "AlreadyReversed"}
    settled = sum(o == "ok" for index, o in enumerate(outcomes) if index % 2)
    unreceived = sum(o == "ok" for index, o in enumerate(outcomes) if not index % 2)
    assert (settled, unreceived) in {(0, 1)} | {(n, 0) for n in range(1, 5)}
    with app.app_context():
        status = db.session.get(Document, short).status
    # In transit again means the whole load is on the road again; received means the
    # write-offs came out of the open shortfall only.
    open_qty = 10 if unreceived else 4 - settled
    assert _shortfall(app, short) == ({lot: open_qty} if open_qty else {})
    assert status == ("in_transit" if unreceived else "received")
    assert _in_transit(app, destination, rice) == 50 + open_qty
    assert stock.mismatches() == []


def test_retries_with_one_idempotency_key_racing_post_once(app, stock, run_at_once):
    warehouse, rice = stock.warehouse(), stock.item()
    stock.receive(warehouse, rice, 100)
    posted = []

    def retry(session, actor, index):
        document = operations.issue_stock(session, actor=actor, warehouse_id=warehouse, **BAST,
                                          lines=[{"item_id": rice, "qty": 10}],
                                          idempotency_key="phone-retry-1")
        posted.append(document.id)

    assert run_at_once(retry, attempts=THREADS) == ["ok"] * THREADS
    assert len(set(posted)) == 1
    assert stock.on_hand(warehouse, rice) == 90
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Document)
                                  .where(Document.kind == "issue"))
    assert count == 1
    assert stock.mismatches() == []


def test_one_key_with_two_bodies_at_once_posts_one_and_refuses_the_other(
        app, stock, run_at_once):
    """Finding 6: the race path compares fingerprints too, so the loser with another body
    gets 409 instead of the winner's document."""
    warehouse, rice = stock.warehouse(), stock.item()
    stock.receive(warehouse, rice, 100)
    posted = {}

    def send(session, actor, index):
        qty = 10 if index % 2 else 11
        document = operations.issue_stock(session, actor=actor, warehouse_id=warehouse, **BAST,
                                          lines=[{"item_id": rice, "qty": qty}],
                                          idempotency_key="same-key")
        posted[index] = (document.id, qty)

    outcomes = run_at_once(send, attempts=THREADS)
    assert set(outcomes) == {"ok", "IdempotencyKeyReused"}
    (winner_qty,) = {qty for _, qty in posted.values()}
    assert len({document_id for document_id, _ in posted.values()}) == 1
    assert sorted(posted) == [i for i in range(THREADS) if (10 if i % 2 else 11) == winner_qty]
    assert stock.on_hand(warehouse, rice) == 100 - winner_qty
    assert stock.mismatches() == []
