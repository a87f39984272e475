"""Transfers whose lines repeat a lot: what arrives plus what is written off, per transfer and
lot, never exceeds what the transfer has open; and the open shortfalls can be listed."""

from datetime import date

import pytest
from sqlalchemy import func, select

from logistics.accounts.models import User
from logistics.stock import errors, operations, queries
from logistics.stock.documents import Document, TransferStatus
from logistics.stock.ledger_tables import Movement
from logistics.stock.verify import balance_mismatches

TODAY = date(2026, 11, 24)


@pytest.fixture
def actor(session, make_user):
    username = make_user("admin")
    user = session.scalar(select(User).where(User.username == username))
    session.rollback()  # on SQLite an open transaction would lock out the stock factories
    return user


@pytest.fixture
def road(session, stock, actor):
    """Two transfers of one rice lot on the road to the same warehouse: the first sent as two
    rows of 10 without a lot (FEFO takes the lot twice), the second as one row of 30."""
    source, destination, rice = stock.warehouse(), stock.warehouse(), stock.item()
    lot = stock.receive(source, rice, 100, batch_no="BRS-A")
    two_rows = operations.transfer_stock(
        session, actor=actor, warehouse_id=source, to_warehouse_id=destination, today=TODAY,
        lines=[{"item_id": rice, "qty": 10}, {"item_id": rice, "qty": 10}])
    other = operations.transfer_stock(
        session, actor=actor, warehouse_id=source, to_warehouse_id=destination, today=TODAY,
        lines=[{"item_id": rice, "qty": 30}])
    ids = {"two_rows": two_rows.id, "other": other.id}
    session.commit()
    return {"source": source, "destination": destination, "rice": rice, "lot": lot, **ids}


def snapshot(session) -> tuple:
    """Everything a refused posting must leave as it was."""
    state = (session.scalar(select(func.count(Document.id))),
             session.scalar(select(func.count(Movement.id))),
             tuple(session.execute(select(Document.id, Document.status).order_by(Document.id))))
    session.rollback()
    return state


def receive(session, actor, transfer_id, lines):
    return operations.receive_transfer(session, actor=actor, transfer_id=transfer_id,
                                       lines=lines, today=TODAY)


def settle(session, actor, road, transfer_id, quantities):
    return operations.adjust_stock(
        session, actor=actor, warehouse_id=road["destination"], reason="lost",
        transfer_id=transfer_id, today=TODAY,
        lines=[{"item_id": road["rice"], "lot_id": road["lot"], "qty": qty}
               for qty in quantities])


def test_a_transfer_of_one_lot_in_two_rows_carries_it_once_per_lot(session, road):
    transfer = session.get(Document, road["two_rows"])
    assert [m.lot_id for m in transfer.movements if m.is_in_transit] == [road["lot"]] * 2
    assert queries.sent_per_lot(session, transfer) == {road["lot"]: 20}


def test_arrival_lines_of_one_lot_are_summed_against_what_the_transfer_carried(
        session, road, actor):
    before = snapshot(session)
    with pytest.raises(errors.ReceivedMoreThanSent) as refused:
        receive(session, actor, road["two_rows"],
                [{"lot_id": road["lot"], "qty": 20}, {"lot_id": road["lot"], "qty": 20}])
    session.rollback()
    assert refused.value.field == "lines.1.qty"
    assert "BRS-A" in str(refused.value)
    assert "40" in str(refused.value)
    assert snapshot(session) == before
    assert queries.item_on_hand(session, road["destination"], road["rice"]) == 0
    # The other transfer on the road still carries all of its own units.
    assert queries.transfer_shortfall(session, session.get(Document, road["other"])) == {
        road["lot"]: 30}
    session.rollback()
    assert balance_mismatches(session) == []


def test_arrival_in_two_rows_that_fit_the_lot_posts_and_leaves_the_other_transfer_whole(
        session, road, actor):
    receive(session, actor, road["two_rows"],
            [{"lot_id": road["lot"], "qty": 12}, {"lot_id": road["lot"], "qty": 8}])
    session.commit()
    receive(session, actor, road["other"], None)
    session.commit()
    assert queries.item_on_hand(session, road["destination"], road["rice"]) == 50
    assert balance_mismatches(session) == []


def test_settlement_lines_of_one_lot_are_summed_against_the_open_shortfall(
        session, road, actor):
    receive(session, actor, road["two_rows"], [{"lot_id": road["lot"], "qty": 18}])
    session.commit()
    before = snapshot(session)
    with pytest.raises(errors.NothingToSettle) as refused:
        settle(session, actor, road, road["two_rows"], [-2, -2])
    session.rollback()
    assert refused.value.field == "lines.1.qty"
    assert "BRS-A" in str(refused.value)
    assert snapshot(session) == before
    transfers = {key: session.get(Document, road[key]) for key in ("two_rows", "other")}
    assert queries.transfer_shortfall(session, transfers["two_rows"]) == {road["lot"]: 2}
    assert queries.transfer_shortfall(session, transfers["other"]) == {road["lot"]: 30}
    session.rollback()
    settle(session, actor, road, road["two_rows"], [-1, -1])
    session.commit()
    assert queries.transfer_shortfall(session, session.get(Document, road["two_rows"])) == {}
    receive(session, actor, road["other"], None)  # its 30 are all still on the road
    session.commit()
    assert queries.item_on_hand(session, road["destination"], road["rice"]) == 48
    assert balance_mismatches(session) == []


def test_a_settlement_line_beyond_the_open_shortfall_names_its_line(session, road, actor):
    receive(session, actor, road["two_rows"], [{"lot_id": road["lot"], "qty": 18}])
    session.commit()
    with pytest.raises(errors.NothingToSettle) as refused:
        settle(session, actor, road, road["two_rows"], [-3])
    session.rollback()
    assert refused.value.field == "lines.0.qty"
    assert balance_mismatches(session) == []


# --- open shortfalls ------------------------------------------------------------------------

def rows_of(shortfalls) -> list[tuple]:
    return [(row.transfer.id, row.lot.batch_no, row.sent, row.arrived, row.written_off,
             row.open) for row in shortfalls]


def test_open_shortfalls_list_sent_arrived_written_off_and_open_per_transfer_and_lot(
        session, stock, road, actor):
    elsewhere = stock.warehouse()
    beans = stock.item()
    stock.receive(road["source"], beans, 50, batch_no="KCG-1")
    far = operations.transfer_stock(
        session, actor=actor, warehouse_id=road["source"], to_warehouse_id=elsewhere,
        today=TODAY, lines=[{"item_id": beans, "qty": 15}])
    session.commit()
    receive(session, actor, road["two_rows"], [{"lot_id": road["lot"], "qty": 15}])
    settle(session, actor, road, road["two_rows"], [-2])
    receive(session, actor, far.id, [{"lot_id": far.movements[0].lot_id, "qty": 11}])
    session.commit()
    assert rows_of(queries.open_shortfalls(session, warehouse_id=road["destination"])) == [
        (road["two_rows"], "BRS-A", 20, 15, 2, 3)]
    assert rows_of(queries.open_shortfalls(session)) == [
        (road["two_rows"], "BRS-A", 20, 15, 2, 3), (far.id, "KCG-1", 15, 11, 0, 4)]
    # In transit is not a shortfall; a wholly settled one is no longer open.
    settle(session, actor, road, road["two_rows"], [-3])
    session.commit()
    assert rows_of(queries.open_shortfalls(session, warehouse_id=road["destination"])) == []
    assert balance_mismatches(session) == []


def test_a_reversed_write_off_reopens_the_shortfall_and_a_reversed_receipt_closes_it(
        session, road, actor):
    receipt = receive(session, actor, road["two_rows"], [{"lot_id": road["lot"], "qty": 16}])
    write_off = settle(session, actor, road, road["two_rows"], [-4])
    session.commit()
    assert rows_of(queries.open_shortfalls(session)) == []
    operations.reverse_document(session, actor=actor, document_id=write_off.id,
                                notes="found on the truck", today=TODAY)
    session.commit()
    assert rows_of(queries.open_shortfalls(session)) == [
        (road["two_rows"], "BRS-A", 20, 16, 0, 4)]
    operations.reverse_document(session, actor=actor, document_id=receipt.id,
                                notes="recorded on the wrong transfer", today=TODAY)
    session.commit()
    assert session.get(Document, road["two_rows"]).status == TransferStatus.IN_TRANSIT
    assert rows_of(queries.open_shortfalls(session)) == []


def test_open_shortfalls_page_by_key(session, stock, actor):
    source, destination, rice = stock.warehouse(), stock.warehouse(), stock.item()
    lot = stock.receive(source, rice, 100, batch_no="P-1")
    transfers = []
    for _ in range(3):
        transfer = operations.transfer_stock(
            session, actor=actor, warehouse_id=source, to_warehouse_id=destination,
            today=TODAY, lines=[{"item_id": rice, "qty": 5}])
        receive(session, actor, transfer.id, [{"lot_id": lot, "qty": 4}])
        transfers.append(transfer.id)
    session.commit()
    first = queries.open_shortfalls(session, limit=2)
    assert [row.transfer.id for row in first] == transfers[:2]
    rest = queries.open_shortfalls(session, after=first[-1].key, limit=2)
    assert [row.transfer.id for row in rest] == transfers[2:]


# --- a sequence the state machine found, pinned ------------------------------------------

def test_a_receipt_cannot_be_reversed_while_a_write_off_of_its_shortfall_stands(
        stock, session, actor):
    """Un-receiving would put the transfer back in transit two short of what it carried; its
    next receipt would then take two units belonging to another transfer on the same road."""
    source, destination, rice = stock.warehouse(), stock.warehouse(), stock.item()
    lot = stock.receive(source, rice, 100)

    def post(verb, **arguments):
        document_id = verb(session, actor=actor, **arguments).id
        session.commit()
        return document_id

    short = post(operations.transfer_stock, warehouse_id=source, to_warehouse_id=destination,
                 lines=[{"item_id": rice, "qty": 10}])
    receipt = post(operations.receive_transfer, transfer_id=short,
                   lines=[{"lot_id": lot, "qty": 8}])
    write_off = post(operations.adjust_stock, warehouse_id=destination, reason="lost",
                     transfer_id=short, lines=[{"item_id": rice, "lot_id": lot, "qty": -2}])
    other = post(operations.transfer_stock, warehouse_id=source, to_warehouse_id=destination,
                 lines=[{"item_id": rice, "qty": 10}])

    with pytest.raises(errors.CannotReverse):
        operations.reverse_document(session, actor=actor, document_id=receipt, notes="x")
    session.rollback()
    assert session.get(Document, short).status == "received"

    post(operations.reverse_document, document_id=write_off, notes="found after all")
    post(operations.reverse_document, document_id=receipt, notes="counted wrong")
    post(operations.receive_transfer, transfer_id=short)  # all ten arrive after all
    post(operations.receive_transfer, transfer_id=other)
    assert stock.on_hand(destination, rice) == 20
    assert stock.mismatches() == []
