"""Many writers at once: stock never goes negative and balances always equal the ledger."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from app.extensions import db
from logistics.accounts.models import User
from logistics.errors import Conflict
from logistics.stock import operations
from logistics.stock.documents import Document

THREADS = 8
BAST = {"recipient_kind": "posko", "recipient_name": "Posko", "giver_name": "A",
        "receiver_name": "B"}


@pytest.fixture
def run_at_once(app, make_user):
    """Run ``work(session, actor)`` in many threads released together; returns the outcomes."""
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


def test_many_threads_issuing_from_one_balance_take_exactly_what_is_there(stock, run_at_once):
    warehouse, rice = stock.warehouse(), stock.item()
    stock.receive(warehouse, rice, 100)

    def issue(session, actor, index):
        operations.issue_stock(session, actor=actor, warehouse_id=warehouse, **BAST,
                               lines=[{"item_id": rice, "qty": 7}])

    outcomes = run_at_once(issue, attempts=40)
    assert outcomes.count("ok") == 14
    assert set(outcomes) == {"ok", "InsufficientStock"}
    assert stock.on_hand(warehouse, rice) == 2
    assert stock.mismatches() == []


def test_documents_locking_two_items_in_opposite_orders_all_finish(stock, run_at_once):
    """Lines in either order must not deadlock: groups are locked in one key order."""
    warehouse, rice, tent = stock.warehouse(), stock.item(), stock.item()
    stock.receive(warehouse, rice, 1000)
    stock.receive(warehouse, tent, 1000)

    def issue_both(session, actor, index):
        lines = [{"item_id": rice, "qty": 3}, {"item_id": tent, "qty": 5}]
        operations.issue_stock(session, actor=actor, warehouse_id=warehouse, **BAST,
                               lines=lines if index % 2 else lines[::-1])

    assert run_at_once(issue_both, attempts=32) == ["ok"] * 32
    assert stock.on_hand(warehouse, rice) == 1000 - 32 * 3
    assert stock.on_hand(warehouse, tent) == 1000 - 32 * 5
    assert stock.mismatches() == []


def test_transfers_both_ways_at_once_keep_every_unit(stock, run_at_once):
    north, south, rice = stock.warehouse(), stock.warehouse(), stock.item()
    stock.receive(north, rice, 300)
    stock.receive(south, rice, 300)

    def transfer(session, actor, index):
        source, destination = (north, south) if index % 2 else (south, north)
        operations.transfer_stock(session, actor=actor, warehouse_id=source,
                                  to_warehouse_id=destination, lines=[{"item_id": rice, "qty": 9}])

    outcomes = run_at_once(transfer, attempts=24)
    assert outcomes == ["ok"] * 24
    assert stock.on_hand(north, rice) + stock.on_hand(south, rice) == 600 - 24 * 9
    assert stock.mismatches() == []


def test_a_transfer_received_by_many_at_once_is_received_once(app, stock, run_at_once, session):
    source, destination, rice = stock.warehouse(), stock.warehouse(), stock.item()
    stock.receive(source, rice, 50)
    with app.app_context():
        actor = db.session.scalar(select(User).where(User.role == "admin"))
        transfer_id = operations.transfer_stock(
            db.session, actor=actor, warehouse_id=source, to_warehouse_id=destination,
            lines=[{"item_id": rice, "qty": 20}]).id
        db.session.commit()

    def receive(session, actor, index):
        operations.receive_transfer(session, actor=actor, transfer_id=transfer_id)

    outcomes = run_at_once(receive, attempts=THREADS)
    assert outcomes.count("ok") == 1
    assert set(outcomes) == {"ok", "TransferNotInTransit"}
    assert stock.on_hand(destination, rice) == 20
    assert stock.mismatches() == []


def test_one_document_reversed_by_many_at_once_is_reversed_once(app, stock, run_at_once):
    warehouse, rice = stock.warehouse(), stock.item()
    stock.receive(warehouse, rice, 50)
    with app.app_context():
        actor = db.session.scalar(select(User).where(User.role == "admin"))
        issued = operations.issue_stock(db.session, actor=actor, warehouse_id=warehouse, **BAST,
                                        lines=[{"item_id": rice, "qty": 20}]).id
        db.session.commit()

    def reverse(session, actor, index):
        operations.reverse_document(session, actor=actor, document_id=issued, notes="wrong")

    outcomes = run_at_once(reverse, attempts=THREADS)
    assert outcomes.count("ok") == 1
    assert stock.on_hand(warehouse, rice) == 50
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
