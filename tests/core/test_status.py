"""Guarded status moves, with the stock transfer flow as the module under test."""

from datetime import date

import pytest
from sqlalchemy import select

from logistics.accounts.models import User
from logistics.core import status
from logistics.errors import InvalidTransition
from logistics.stock import operations
from logistics.stock.documents import TRANSFER_FLOW, Document, TransferStatus

TODAY = date(2026, 11, 24)
FLOW = status.Flow("test", moves={"draft": frozenset({"submitted"}),
                                  "submitted": frozenset({"approved", "rejected"})},
                   labels={"draft": "draft", "submitted": "submitted", "approved": "approved"})


def test_a_flow_allows_only_its_moves():
    assert FLOW.allows("draft", "submitted")
    assert not FLOW.allows("draft", "approved")
    assert not FLOW.allows("approved", "draft")  # a final status has no moves


@pytest.fixture
def transfer(session, stock, make_user):
    source, destination, rice = stock.warehouse(), stock.warehouse(), stock.item()
    stock.receive(source, rice, 10)
    actor = session.scalar(select(User).where(User.username == make_user("admin")))
    document = operations.transfer_stock(session, actor=actor, warehouse_id=source,
                                         to_warehouse_id=destination, today=TODAY,
                                         lines=[{"item_id": rice, "qty": 4}])
    session.commit()
    return document.id


def test_a_move_the_flow_allows_happens_once(session, transfer):
    old = status.move(session, Document, transfer, TRANSFER_FLOW, to=TransferStatus.RECEIVED)
    assert old == TransferStatus.IN_TRANSIT
    with pytest.raises(InvalidTransition) as refused:
        status.move(session, Document, transfer, TRANSFER_FLOW, to=TransferStatus.CANCELLED)
    assert refused.value.params["old_code"] == TransferStatus.RECEIVED
    assert refused.value.params["new_code"] == TransferStatus.CANCELLED
    assert str(refused.value) == "Cannot move from received to cancelled."
    session.rollback()


def test_a_writer_who_read_the_old_status_loses_to_the_one_who_moved_first(session, transfer):
    """The guard is the WHERE clause: the second writer still believes it is in transit."""
    assert status.move_if(session, Document, transfer, TRANSFER_FLOW,
                          old=TransferStatus.IN_TRANSIT, new=TransferStatus.CANCELLED)
    assert not status.move_if(session, Document, transfer, TRANSFER_FLOW,
                              old=TransferStatus.IN_TRANSIT, new=TransferStatus.RECEIVED)
    with pytest.raises(InvalidTransition) as refused:
        status.move(session, Document, transfer, TRANSFER_FLOW, to=TransferStatus.RECEIVED,
                    from_=TransferStatus.IN_TRANSIT)
    assert refused.value.params["old_code"] == TransferStatus.CANCELLED
    session.rollback()


def test_a_move_outside_the_flow_is_refused_before_any_write(session, transfer):
    with pytest.raises(InvalidTransition):
        status.move_if(session, Document, transfer, TRANSFER_FLOW,
                       old=TransferStatus.CANCELLED, new=TransferStatus.RECEIVED)
    session.rollback()
    assert session.get(Document, transfer).status == TransferStatus.IN_TRANSIT


def test_a_refused_move_reads_in_indonesian_with_its_statuses_translated(app, session,
                                                                          transfer):
    from app.i18n import translate_error

    status.move(session, Document, transfer, TRANSFER_FLOW, to=TransferStatus.CANCELLED)
    with pytest.raises(InvalidTransition) as refused:
        status.move(session, Document, transfer, TRANSFER_FLOW, to=TransferStatus.RECEIVED)
    session.rollback()
    with app.test_request_context(headers={"Accept-Language": "id"}):
        assert translate_error(refused.value) == (
            "Tidak dapat berpindah dari dibatalkan ke diterima.")
