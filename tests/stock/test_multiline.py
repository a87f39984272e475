"""Documents that name the same item or lot on several lines: lines are cumulative.

Each line is resolved against the balances earlier lines of the same document already reduced;
a stock count, which states what a shelf holds, may name a lot only once.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from logistics.accounts.models import User
from logistics.stock import errors, operations, queries
from logistics.stock.documents import Document
from logistics.stock.models import Lot
from logistics.stock.verify import balance_mismatches

TODAY = date(2026, 11, 24)
SOON, LATER = TODAY + timedelta(days=10), TODAY + timedelta(days=200)
BAST = {"recipient_kind": "other", "recipient_name": "Kantor Desa Enggano", "giver_name": "Andi",
        "receiver_name": "Budi"}


@pytest.fixture
def actor(session, make_user):
    """Load an admin into the test's session; call it after the shelves are stocked, since
    on SQLite the session's transaction holds the write lock from its first read."""
    username = make_user("admin")
    return lambda: session.scalar(select(User).where(User.username == username))


@pytest.fixture
def shelf(stock):
    """Rice in one warehouse: lot A (6, first to expire) and lot B (100)."""
    warehouse, rice = stock.warehouse(), stock.item(perishable=True)
    a = stock.receive(warehouse, rice, 6, batch_no="A-SOON", expires_on=SOON)
    b = stock.receive(warehouse, rice, 100, batch_no="B-LATER", expires_on=LATER)
    return {"warehouse": warehouse, "rice": rice, "a": a, "b": b}


def issue(session, user, warehouse, lines):
    return operations.issue_stock(session, actor=user, warehouse_id=warehouse, lines=lines,
                                  today=TODAY, **BAST)


def documents(session) -> int:
    return session.scalar(select(func.count()).select_from(Document))


def mismatches(session, stock) -> list[str]:
    session.rollback()  # end the test's own reads first: on SQLite they hold the write lock
    return stock.mismatches()


def moved(document) -> list[tuple[int, int]]:
    return [(m.lot_id, m.qty) for m in document.movements]


# --- first expiry, first out over several lines ----------------------------------------------

def test_two_lines_without_a_lot_take_the_first_lot_then_the_next(session, shelf, actor, stock):
    a, b = shelf["a"], shelf["b"]
    user = actor()
    document = issue(session, user, shelf["warehouse"],
                     [{"item_id": shelf["rice"], "qty": 5}, {"item_id": shelf["rice"], "qty": 5}])
    session.commit()
    assert moved(document) == [(a, -5), (a, -1), (b, -4)]
    assert [m.balance_after for m in document.movements] == [101, 100, 96]
    assert queries.lot_balance(session, shelf["warehouse"], a) == 0
    assert queries.lot_balance(session, shelf["warehouse"], b) == 96
    assert mismatches(session, stock) == []


def test_a_line_naming_a_lot_is_not_offered_again_to_a_line_without_one(
        session, shelf, actor, stock):
    a, b, rice = shelf["a"], shelf["b"], shelf["rice"]
    user = actor()
    document = issue(session, user, shelf["warehouse"],
                     [{"item_id": rice, "qty": 5, "lot_id": a}, {"item_id": rice, "qty": 5}])
    session.commit()
    assert moved(document) == [(a, -5), (a, -1), (b, -4)]
    assert queries.lot_balance(session, shelf["warehouse"], a) == 0
    assert queries.item_on_hand(session, shelf["warehouse"], rice) == 96
    assert mismatches(session, stock) == []


def test_a_line_without_a_lot_leaves_alone_what_a_later_line_names(session, shelf, actor, stock):
    a, b, rice = shelf["a"], shelf["b"], shelf["rice"]
    user = actor()
    document = issue(session, user, shelf["warehouse"],
                     [{"item_id": rice, "qty": 5}, {"item_id": rice, "qty": 5, "lot_id": a}])
    session.commit()
    assert moved(document) == [(a, -1), (b, -4), (a, -5)]
    assert queries.lot_balance(session, shelf["warehouse"], a) == 0
    assert queries.lot_balance(session, shelf["warehouse"], b) == 96
    assert mismatches(session, stock) == []


def test_a_transfer_of_two_lines_without_a_lot_carries_what_they_took(
        session, shelf, actor, stock):
    destination, a, b, rice = stock.warehouse(), shelf["a"], shelf["b"], shelf["rice"]
    user = actor()
    transfer = operations.transfer_stock(
        session, actor=user, warehouse_id=shelf["warehouse"], to_warehouse_id=destination,
        today=TODAY, lines=[{"item_id": rice, "qty": 5}, {"item_id": rice, "qty": 5}])
    session.commit()
    assert queries.sent_per_lot(session, transfer) == {a: 6, b: 4}
    assert queries.item_on_hand(session, shelf["warehouse"], rice) == 96
    assert mismatches(session, stock) == []


def test_a_lot_short_on_a_later_line_names_the_lot_and_that_line(session, shelf, actor, stock):
    a, b, rice = shelf["a"], shelf["b"], shelf["rice"]
    before = documents(session)
    user = actor()
    with pytest.raises(errors.InsufficientStock) as refused:
        issue(session, user, shelf["warehouse"], [{"item_id": rice, "qty": 4, "lot_id": a},
                                                  {"item_id": rice, "qty": 1, "lot_id": b},
                                                  {"item_id": rice, "qty": 4, "lot_id": a}])
    session.rollback()
    assert refused.value.field == "lines.2.qty"
    assert "A-SOON" in str(refused.value)
    assert "6 on hand, 8 requested" in str(refused.value)
    assert documents(session) == before
    assert queries.item_on_hand(session, shelf["warehouse"], rice) == 106
    assert mismatches(session, stock) == []


def test_a_write_off_short_on_a_later_line_names_the_lot_and_that_line(session, shelf, actor,
                                                                       stock):
    a, rice = shelf["a"], shelf["rice"]
    user = actor()
    with pytest.raises(errors.InsufficientStock) as refused:
        operations.adjust_stock(session, actor=user, warehouse_id=shelf["warehouse"],
                                reason="damaged", today=TODAY,
                                lines=[{"item_id": rice, "lot_id": a, "qty": -4},
                                       {"item_id": rice, "lot_id": a, "qty": -3}])
    session.rollback()
    assert refused.value.field == "lines.1.qty"
    assert "A-SOON" in str(refused.value)
    assert queries.item_on_hand(session, shelf["warehouse"], rice) == 106
    assert mismatches(session, stock) == []


def test_an_item_short_on_a_later_line_names_that_line(session, stock, actor):
    warehouse, rice = stock.warehouse(), stock.item()
    stock.receive(warehouse, rice, 6)
    user = actor()
    with pytest.raises(errors.InsufficientStock) as refused:
        issue(session, user, warehouse, [{"item_id": rice, "qty": 5}, {"item_id": rice, "qty": 5}])
    session.rollback()
    assert refused.value.field == "lines.1.qty"
    assert "6 on hand, 10 requested" in str(refused.value)
    assert queries.item_on_hand(session, warehouse, rice) == 6
    assert mismatches(session, stock) == []


def test_a_line_left_only_expired_stock_names_that_line(session, stock, actor):
    warehouse, rice = stock.warehouse(), stock.item(perishable=True)
    stock.receive(warehouse, rice, 6, batch_no="GOOD", expires_on=SOON)
    stock.receive(warehouse, rice, 40, batch_no="OLD", expires_on=TODAY - timedelta(days=1))
    user = actor()
    with pytest.raises(errors.ExpiredStockOnly) as refused:
        issue(session, user, warehouse, [{"item_id": rice, "qty": 5}, {"item_id": rice, "qty": 5}])
    session.rollback()
    assert refused.value.field == "lines.1.qty"
    assert queries.item_on_hand(session, warehouse, rice) == 46
    assert mismatches(session, stock) == []


def test_an_expired_lot_is_refused_on_its_line(session, stock, actor):
    warehouse, rice = stock.warehouse(), stock.item(perishable=True)
    stock.receive(warehouse, rice, 6, batch_no="GOOD", expires_on=SOON)
    old = stock.receive(warehouse, rice, 4, batch_no="OLD", expires_on=TODAY - timedelta(days=1))
    user = actor()
    with pytest.raises(errors.ExpiredLot) as refused:
        issue(session, user, warehouse, [{"item_id": rice, "qty": 1},
                                         {"item_id": rice, "qty": 1, "lot_id": old}])
    assert refused.value.field == "lines.1.lot_id"


# --- stock counts ----------------------------------------------------------------------------

def test_a_count_naming_a_lot_twice_is_refused_on_the_later_line(session, stock, actor):
    warehouse, rice, blanket = stock.warehouse(), stock.item(), stock.item()
    lot = stock.receive(warehouse, rice, 10, batch_no="R-77")
    other = stock.receive(warehouse, blanket, 3)
    before = documents(session)
    user = actor()
    with pytest.raises(errors.LotCountedTwice) as refused:
        operations.count_stock(session, actor=user, warehouse_id=warehouse, today=TODAY, lines=[
            {"item_id": rice, "lot_id": lot, "counted_qty": 5},
            {"item_id": blanket, "lot_id": other, "counted_qty": 3},
            {"item_id": rice, "lot_id": lot, "counted_qty": 7}])
    session.rollback()
    assert isinstance(refused.value, errors.InvalidInput)
    assert refused.value.field == "lines.2.lot_id"
    assert "R-77" in str(refused.value)
    assert "line 1" in str(refused.value)
    assert documents(session) == before
    assert queries.lot_balance(session, warehouse, lot) == 10
    assert mismatches(session, stock) == []


# --- receipts --------------------------------------------------------------------------------

def receive(session, user, warehouse, lines, **fields):
    return operations.receive_stock(session, actor=user, warehouse_id=warehouse, lines=lines,
                                    today=TODAY, **fields)


def lots_of(session, document) -> list[tuple[str, date | None, int]]:
    """(batch, expiry, qty received) per lot, in the order the receipt's lines posted them."""
    per_lot: dict[int, int] = {}
    for movement in document.movements:
        per_lot[movement.lot_id] = per_lot.get(movement.lot_id, 0) + movement.qty
    return [(session.get(Lot, lot).batch_no, session.get(Lot, lot).expires_on, qty)
            for lot, qty in per_lot.items()]


def test_lines_without_a_batch_get_one_lot_per_expiry(session, stock, actor):
    warehouse, rice, oil = stock.warehouse(), stock.item(perishable=True), stock.item()
    user = actor()
    document = receive(session, user, warehouse, [
        {"item_id": rice, "qty": 10, "expires_on": SOON},
        {"item_id": rice, "qty": 20, "expires_on": LATER, "batch_no": " "},
        {"item_id": oil, "qty": 7},
        {"item_id": rice, "qty": 5, "expires_on": SOON},
        {"item_id": oil, "qty": 3}])
    session.commit()
    number = document.number
    assert lots_of(session, document) == [
        (number, SOON, 15), (f"{number}-2", LATER, 20), (number, None, 10)]
    assert queries.item_on_hand(session, warehouse, rice) == 35
    assert mismatches(session, stock) == []


def test_a_generated_batch_never_takes_a_batch_someone_typed(session, stock, actor):
    warehouse, rice = stock.warehouse(), stock.item(perishable=True)
    user = actor()
    first = receive(session, user, warehouse, [
        {"item_id": rice, "qty": 1, "batch_no": "X", "expires_on": SOON}])
    taken = f"{first.number[:-6]}-00003-2"  # what receipt 3 would make of its 2nd expiry
    receive(session, user, warehouse, [
        {"item_id": rice, "qty": 4, "batch_no": taken, "expires_on": TODAY + timedelta(days=3)}])
    document = receive(session, user, warehouse, [
        {"item_id": rice, "qty": 10, "expires_on": SOON},
        {"item_id": rice, "qty": 20, "expires_on": LATER}])
    session.commit()
    assert document.number == f"{first.number[:-6]}-00003"
    assert sorted(lots_of(session, document)) == [
        (document.number, SOON, 10), (f"{document.number}-3", LATER, 20)]
    assert mismatches(session, stock) == []


def test_a_typed_batch_on_two_lines_adds_up_in_one_lot(session, stock, actor):
    warehouse, rice = stock.warehouse(), stock.item(perishable=True)
    user = actor()
    document = receive(session, user, warehouse, [
        {"item_id": rice, "qty": 10, "batch_no": "K-1", "expires_on": SOON},
        {"item_id": rice, "qty": 20, "batch_no": "K-1", "expires_on": SOON}])
    session.commit()
    assert lots_of(session, document) == [("K-1", SOON, 30)]
    assert mismatches(session, stock) == []


def test_a_typed_batch_with_two_expiries_is_refused_on_the_later_line(session, stock, actor):
    warehouse, rice = stock.warehouse(), stock.item(perishable=True)
    before = documents(session)
    user = actor()
    with pytest.raises(errors.LotMismatch, match="K-1") as refused:
        receive(session, user, warehouse, [
            {"item_id": rice, "qty": 10, "batch_no": "K-1", "expires_on": SOON},
            {"item_id": rice, "qty": 20, "batch_no": "K-1", "expires_on": LATER}])
    session.rollback()
    assert refused.value.field == "lines.1.expires_on"
    assert documents(session) == before
    assert session.scalar(select(func.count()).select_from(Lot)) == 0


# --- reversals -------------------------------------------------------------------------------

def test_reversing_a_correction_up_and_down_on_one_empty_lot_restores_it(session, stock, actor):
    warehouse, rice = stock.warehouse(), stock.item()
    lot = stock.receive(warehouse, rice, 10)
    user = actor()
    issue(session, user, warehouse, [{"item_id": rice, "qty": 10}])
    correction = operations.adjust_stock(
        session, actor=user, warehouse_id=warehouse, reason="count_correction", today=TODAY,
        lines=[{"item_id": rice, "lot_id": lot, "qty": 5},
               {"item_id": rice, "lot_id": lot, "qty": -3}])
    session.commit()
    assert queries.lot_balance(session, warehouse, lot) == 2
    reversal = operations.reverse_document(session, actor=user, document_id=correction.id,
                                           notes="wrong shelf", today=TODAY)
    session.commit()
    assert sorted(m.qty for m in reversal.movements) == [-5, 3]
    assert all(m.balance_after >= 0 for m in reversal.movements)
    assert queries.lot_balance(session, warehouse, lot) == 0
    assert queries.item_on_hand(session, warehouse, rice) == 0
    assert mismatches(session, stock) == []


# --- two receipts creating the same lots at once ---------------------------------------------

ROUNDS = 20


def test_receipts_creating_the_same_lots_in_opposite_orders_all_post(app, stock, make_user):
    """On PostgreSQL the two really overlap (different warehouses, so different numbers): a
    lot created by one waits for the other's commit, which must never be a cycle."""
    username = make_user("admin")
    north, south, rice = stock.warehouse(), stock.warehouse(), stock.item(perishable=True)

    def receive_both(warehouse, batches, barrier):
        barrier.wait()
        with app.app_context():
            actor = db.session.scalar(select(User).where(User.username == username))
            operations.receive_stock(db.session, actor=actor, warehouse_id=warehouse, lines=[
                {"item_id": rice, "qty": 3, "batch_no": batch, "expires_on": SOON}
                for batch in batches])
            db.session.commit()
            return "ok"

    with ThreadPoolExecutor(2) as pool:
        for round_ in range(ROUNDS):
            barrier = threading.Barrier(2)
            batches = [f"X{round_}", f"Y{round_}"]
            outcomes = [pool.submit(receive_both, north, batches, barrier),
                        pool.submit(receive_both, south, batches[::-1], barrier)]
            assert [outcome.result() for outcome in outcomes] == ["ok", "ok"]
    assert stock.on_hand(north, rice) == stock.on_hand(south, rice) == ROUNDS * 6
    assert stock.mismatches() == []


# --- what an API client or a form sees -------------------------------------------------------

def test_the_api_puts_each_refusal_on_the_line_it_happened_on(client, stock, make_user, auth):
    username = make_user("warehouse_keeper")
    headers = auth.headers(username)
    warehouse, rice = stock.warehouse(keepers=[username]), stock.item()
    lot = stock.receive(warehouse, rice, 6, batch_no="R-6")
    short = client.post("/api/v1/stock/issues", headers=headers, json={
        "warehouse_id": warehouse, **BAST,
        "lines": [{"item_id": rice, "qty": 5}, {"item_id": rice, "qty": 5}]})
    assert short.status_code == 409
    assert list(short.get_json()["errors"]) == ["lines.1.qty"]
    twice = client.post("/api/v1/stock/counts", headers=headers, json={
        "warehouse_id": warehouse,
        "lines": [{"item_id": rice, "lot_id": lot, "counted_qty": 5},
                  {"item_id": rice, "lot_id": lot, "counted_qty": 7}]})
    assert twice.status_code == 422
    assert list(twice.get_json()["errors"]) == ["lines.1.lot_id"]
    assert "R-6" in twice.get_json()["errors"]["lines.1.lot_id"][0]
    assert stock.on_hand(warehouse, rice) == 6
    assert stock.mismatches() == []


def test_a_balance_may_pass_what_a_32_bit_integer_holds(session, stock, actor):
    """Three full receipts of 200 lines × 10,000,000 hold 6 billion units: the balance, the
    total and the running balance keep every unit on both databases, and verify agrees."""
    warehouse, rice = stock.warehouse(), stock.item()
    user = actor()
    for _ in range(3):
        operations.receive_stock(session, actor=user, warehouse_id=warehouse, today=TODAY,
                                 lines=[{"item_id": rice, "qty": 10_000_000, "batch_no": "BIG"}]
                                 * 200)
        session.commit()
    assert queries.item_on_hand(session, warehouse, rice) == 6_000_000_000
    last = queries.stock_card(session, warehouse, rice, limit=1)[0]
    assert last.balance_after == 6_000_000_000
    assert balance_mismatches(session) == []
