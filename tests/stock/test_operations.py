"""The stock verbs' rules, called as the CLI or a worker would: operation, then one commit."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import DatabaseError

from logistics.accounts.models import User
from logistics.errors import IdempotencyKeyReused, PermissionDenied
from logistics.stock import errors, ledger_guard, operations, queries
from logistics.stock.documents import Document, TransferStatus
from logistics.stock.ledger_tables import Movement, StockBalance
from logistics.stock.verify import balance_mismatches

TODAY = date(2026, 11, 24)
BAST = {"recipient_kind": "other", "recipient_name": "Kantor Desa Enggano", "giver_name": "Andi",
        "receiver_name": "Budi", "witness_name": "Citra"}


@pytest.fixture
def actor(session, make_user):
    def get(role="admin"):
        username = make_user(role)
        return session.scalar(select(User).where(User.username == username))
    return get


def issue(session, user, warehouse, lines, **fields):
    return operations.issue_stock(session, actor=user, warehouse_id=warehouse, lines=lines,
                                  today=TODAY, **{**BAST, **fields})


def documents(session) -> int:
    return session.scalar(select(func.count()).select_from(Document))


def test_receipt_in_packs_counts_base_units(session, stock, actor):
    warehouse = stock.warehouse()
    rice = stock.item(packs=[("karung", 25)])
    document = operations.receive_stock(session, actor=actor(), warehouse_id=warehouse, today=TODAY,
                                        lines=[{"item_id": rice, "pack": "karung", "packs": 4}])
    session.commit()
    assert [m.qty for m in document.movements] == [100]
    assert queries.item_on_hand(session, warehouse, rice) == 100
    assert document.number == f"TRM-W1-{TODAY.year}-00001"


def test_perishable_receipt_without_expiry_is_refused(session, stock, actor):
    warehouse, rice = stock.warehouse(), stock.item(perishable=True)
    with pytest.raises(errors.ExpiryRequired) as refused:
        operations.receive_stock(session, actor=actor(), warehouse_id=warehouse, today=TODAY,
                                 lines=[{"item_id": rice, "qty": 5}])
    assert refused.value.field == "lines.0.expires_on"


def test_issue_without_lot_takes_earliest_expiry_first_and_skips_expired(session, stock, actor):
    warehouse, rice = stock.warehouse(), stock.item(perishable=True)
    late = stock.receive(warehouse, rice, 50, batch_no="LATE", expires_on=TODAY + timedelta(200))
    soon = stock.receive(warehouse, rice, 30, batch_no="SOON", expires_on=TODAY + timedelta(10))
    stock.receive(warehouse, rice, 40, batch_no="OLD", expires_on=TODAY - timedelta(1))
    document = issue(session, actor(), warehouse, [{"item_id": rice, "qty": 45}])
    session.commit()
    assert [(m.lot_id, m.qty) for m in document.movements] == [(soon, -30), (late, -15)]
    assert [m.balance_after for m in document.movements] == [90, 75]


def test_issue_of_an_expired_lot_names_the_lot_and_changes_nothing(session, stock, actor):
    warehouse, rice = stock.warehouse(), stock.item(perishable=True)
    old = stock.receive(warehouse, rice, 40, batch_no="B-OLD-7", expires_on=TODAY - timedelta(1))
    user = actor()
    before = documents(session)
    with pytest.raises(errors.ExpiredLot, match="B-OLD-7"):
        issue(session, user, warehouse, [{"item_id": rice, "qty": 5, "lot_id": old}])
    session.rollback()
    assert documents(session) == before
    assert queries.item_on_hand(session, warehouse, rice) == 40


def test_only_expired_stock_left_means_write_off_not_issue(session, stock, actor):
    warehouse, rice = stock.warehouse(), stock.item(perishable=True)
    old = stock.receive(warehouse, rice, 40, batch_no="OLD", expires_on=TODAY - timedelta(1))
    user = actor()
    with pytest.raises(errors.ExpiredStockOnly):
        issue(session, user, warehouse, [{"item_id": rice, "qty": 5}])
    session.rollback()
    operations.adjust_stock(session, actor=user, warehouse_id=warehouse, reason="expired",
                            today=TODAY, lines=[{"item_id": rice, "lot_id": old, "qty": -40}])
    session.commit()
    assert queries.item_on_hand(session, warehouse, rice) == 0


def test_multi_line_issue_posts_all_lines_or_none(session, stock, actor):
    warehouse, rice, tent = stock.warehouse(), stock.item(), stock.item()
    stock.receive(warehouse, rice, 100)
    stock.receive(warehouse, tent, 3)
    user = actor()
    with pytest.raises(errors.InsufficientStock, match="3"):
        issue(session, user, warehouse, [{"item_id": rice, "qty": 60},
                                          {"item_id": tent, "qty": 4}])
    # The same session goes on: the failed document left nothing behind, not even in it.
    issue(session, user, warehouse, [{"item_id": rice, "qty": 10}])
    session.commit()
    assert queries.item_on_hand(session, warehouse, rice) == 90
    assert queries.item_on_hand(session, warehouse, tent) == 3
    assert balance_mismatches(session) == []


def test_lot_of_another_item_is_refused(session, stock, actor):
    warehouse, rice, blanket = stock.warehouse(), stock.item(), stock.item()
    blanket_lot = stock.receive(warehouse, blanket, 10)
    stock.receive(warehouse, rice, 10)
    with pytest.raises(errors.LotOfAnotherItem) as refused:
        issue(session, actor(), warehouse, [{"item_id": rice, "qty": 1, "lot_id": blanket_lot}])
    assert refused.value.field == "lines.0.lot_id"


def test_keeper_posts_only_in_their_own_warehouse(session, stock, make_user):
    keeper = make_user("warehouse_keeper")
    own, other = stock.warehouse(keepers=[keeper]), stock.warehouse()
    rice = stock.item()
    user = session.scalar(select(User).where(User.username == keeper))
    operations.receive_stock(session, actor=user, warehouse_id=own, today=TODAY,
                             lines=[{"item_id": rice, "qty": 5}])
    with pytest.raises(PermissionDenied):
        operations.receive_stock(session, actor=user, warehouse_id=other, today=TODAY,
                                 lines=[{"item_id": rice, "qty": 5}])


@pytest.mark.parametrize("role", ["leadership", "posko_staff", "puskesos_front"])
def test_roles_without_post_permission_cannot_post_anywhere(session, stock, actor, role):
    warehouse, rice = stock.warehouse(), stock.item()
    with pytest.raises(PermissionDenied):
        operations.receive_stock(session, actor=actor(role), warehouse_id=warehouse, today=TODAY,
                                 lines=[{"item_id": rice, "qty": 5}])





def test_transfer_waits_in_transit_then_a_shortfall_stays_open_until_settled(
        session, stock, actor):
    source, destination, rice = stock.warehouse(), stock.warehouse(), stock.item()
    lot = stock.receive(source, rice, 100)
    user = actor()
    transfer = operations.transfer_stock(session, actor=user, warehouse_id=source, today=TODAY,
                                         to_warehouse_id=destination,
                                         lines=[{"item_id": rice, "qty": 40}])
    session.commit()
    assert transfer.status == TransferStatus.IN_TRANSIT
    assert queries.item_on_hand(session, source, rice) == 60
    assert queries.item_on_hand(session, destination, rice) == 0
    operations.receive_transfer(session, actor=user, transfer_id=transfer.id, today=TODAY,
                                lines=[{"lot_id": lot, "qty": 37}])
    session.commit()
    assert queries.item_on_hand(session, destination, rice) == 37
    assert queries.transfer_shortfall(session, transfer) == {lot: 3}
    with pytest.raises(errors.TransferNotInTransit):
        operations.receive_transfer(session, actor=user, transfer_id=transfer.id, today=TODAY)
    session.rollback()
    operations.adjust_stock(session, actor=user, warehouse_id=destination, reason="lost",
                            transfer_id=transfer.id, today=TODAY,
                            lines=[{"item_id": rice, "lot_id": lot, "qty": -3}])
    session.commit()
    assert queries.transfer_shortfall(session, transfer) == {}
    assert balance_mismatches(session) == []


def test_transfer_cannot_receive_more_than_was_sent(session, stock, actor):
    source, destination, rice = stock.warehouse(), stock.warehouse(), stock.item()
    lot = stock.receive(source, rice, 100)
    user = actor()
    transfer = operations.transfer_stock(session, actor=user, warehouse_id=source, today=TODAY,
                                         to_warehouse_id=destination,
                                         lines=[{"item_id": rice, "qty": 40}])
    session.commit()
    with pytest.raises(errors.ReceivedMoreThanSent):
        operations.receive_transfer(session, actor=user, transfer_id=transfer.id, today=TODAY,
                                    lines=[{"lot_id": lot, "qty": 41}])
    session.rollback()
    assert session.get(Document, transfer.id).status == TransferStatus.IN_TRANSIT


def test_count_sets_each_lot_to_what_the_shelf_held(session, stock, actor):
    warehouse, rice = stock.warehouse(), stock.item()
    first, second = stock.receive(warehouse, rice, 50), stock.receive(warehouse, rice, 20)
    document = operations.count_stock(session, actor=actor(), warehouse_id=warehouse, today=TODAY,
                                      lines=[{"item_id": rice, "lot_id": first, "counted_qty": 47},
                                             {"item_id": rice, "lot_id": second,
                                              "counted_qty": 20}])
    session.commit()
    assert [(m.lot_id, m.qty, m.counted_qty) for m in document.movements] == [(first, -3, 47)]
    assert queries.lot_balance(session, warehouse, first) == 47
    assert queries.item_on_hand(session, warehouse, rice) == 67


def test_reversal_negates_once_and_cannot_itself_be_reversed(session, stock, actor):
    warehouse, rice = stock.warehouse(), stock.item()
    stock.receive(warehouse, rice, 50)
    user = actor()
    released = issue(session, user, warehouse, [{"item_id": rice, "qty": 20}])
    session.commit()
    reversal = operations.reverse_document(session, actor=user, document_id=released.id,
                                           notes="wrong posko", today=TODAY)
    session.commit()
    assert [m.qty for m in reversal.movements] == [20]
    assert queries.item_on_hand(session, warehouse, rice) == 50
    with pytest.raises(errors.AlreadyReversed):
        operations.reverse_document(session, actor=user, document_id=released.id, notes="again",
                                    today=TODAY)
    with pytest.raises(errors.CannotReverse):
        operations.reverse_document(session, actor=user, document_id=reversal.id, notes="undo",
                                    today=TODAY)


def test_reversing_a_receipt_whose_stock_was_issued_is_refused(session, stock, actor):
    warehouse, rice = stock.warehouse(), stock.item()
    user = actor()
    receipt = operations.receive_stock(session, actor=user, warehouse_id=warehouse, today=TODAY,
                                       lines=[{"item_id": rice, "qty": 10}])
    issue(session, user, warehouse, [{"item_id": rice, "qty": 8}])
    session.commit()
    with pytest.raises(errors.InsufficientStock):
        operations.reverse_document(session, actor=user, document_id=receipt.id, notes="x",
                                    today=TODAY)
    session.rollback()
    assert queries.item_on_hand(session, warehouse, rice) == 2


def test_a_retry_with_the_same_key_returns_the_first_document(session, stock, actor):
    warehouse, rice = stock.warehouse(), stock.item()
    stock.receive(warehouse, rice, 50)
    user = actor()
    first = issue(session, user, warehouse, [{"item_id": rice, "qty": 5}], idempotency_key="k-1")
    session.commit()
    again = issue(session, user, warehouse, [{"item_id": rice, "qty": 5}], idempotency_key="k-1")
    assert again.id == first.id
    with pytest.raises(IdempotencyKeyReused):
        issue(session, user, warehouse, [{"item_id": rice, "qty": 6}], idempotency_key="k-1")
    session.rollback()
    assert queries.item_on_hand(session, warehouse, rice) == 45


def test_future_dates_are_refused(session, stock, actor):
    warehouse, rice = stock.warehouse(), stock.item()
    with pytest.raises(errors.InvalidInput) as refused:
        operations.receive_stock(session, actor=actor(), warehouse_id=warehouse, today=TODAY,
                                 document_date=TODAY + timedelta(days=1),
                                 lines=[{"item_id": rice, "qty": 5}])
    assert refused.value.field == "document_date"


def test_ledger_lines_cannot_be_edited(session, stock):
    stock.receive(stock.warehouse(), stock.item(), 50)
    with pytest.raises(DatabaseError, match="append-only"):
        session.execute(update(Movement).values(qty=49))


def test_verify_finds_a_balance_changed_behind_the_ledgers_back(session, stock, runner):
    warehouse, rice = stock.warehouse(), stock.item()
    stock.receive(warehouse, rice, 50)
    assert runner.invoke(args=["stock", "verify"]).exit_code == 0
    session.execute(update(StockBalance).values(qty=49))
    session.commit()
    result = runner.invoke(args=["stock", "verify"])
    assert result.exit_code == 1
    assert "ledger 50, stored 49" in result.output


def test_verify_finds_a_dropped_append_only_guard(session, stock, runner):
    """A hand-made change or a careless migration that loses the trigger must not go unseen."""
    stock.receive(stock.warehouse(), stock.item(), 50)
    dialect = session.get_bind().dialect.name
    for statement in ledger_guard.drop_statements(dialect):
        session.execute(text(statement))
    session.commit()
    try:
        result = runner.invoke(args=["stock", "verify"])
        assert result.exit_code == 1
        assert "stock_movements_refuse_delete is missing" in result.output
    finally:
        for statement in ledger_guard.create_statements(dialect):
            session.execute(text(statement))
        session.commit()


def test_a_retry_after_midnight_returns_the_original_document(session, stock, actor):
    """Finding 7: the defaulted document date is not part of what the client sent."""
    warehouse, rice = stock.warehouse(), stock.item()
    stock.receive(warehouse, rice, 50)
    user = actor()
    lines = [{"item_id": rice, "qty": 5}]
    first = operations.issue_stock(session, actor=user, warehouse_id=warehouse, lines=lines,
                                   today=TODAY, idempotency_key="before-midnight", **BAST)
    session.commit()
    retry = operations.issue_stock(session, actor=user, warehouse_id=warehouse, lines=lines,
                                   today=TODAY + timedelta(days=1),
                                   idempotency_key="before-midnight", **BAST)
    assert retry.id == first.id
    assert retry.document_date == TODAY
    assert queries.item_on_hand(session, warehouse, rice) == 45
    session.rollback()
