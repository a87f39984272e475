"""Random sequences of every stock verb against a plain Python model of the shelves.

The model predicts each document's effect lot by lot (its own first-expiry-first-out) and
whether the verb must post or refuse, and with which error. After every step the database must
equal the model: balances per lot, totals and on-hand per item, each transfer's status and what
it still has on the road; nothing may be negative and every balance must equal the sum of its
ledger lines. Each example builds its own warehouses and items (unique codes), because the
rows of earlier examples stay until the test function ends.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.extensions import db
from logistics.accounts import operations as accounts
from logistics.accounts.queries import get_user_by_username
from logistics.errors import DomainError
from logistics.stock import errors, operations, queries, setup
from logistics.stock.documents import REASON_SIGN, AdjustmentReason, Document
from logistics.stock.ledger import StockBalance, StockTotal
from logistics.stock.verify import balance_mismatches
from tests.accounts.factories import TEST_PASSWORD
from tests.stock.factories import StockWorld

TODAY = date(2026, 11, 24)
# Lot "B<e>" of an item always has EXPIRIES[e]: one already expired, two ahead, one without.
EXPIRIES = [TODAY - timedelta(days=3), TODAY + timedelta(days=10), TODAY + timedelta(days=90),
            None]
PERISHABLE = [True, False]  # per item index
BAST = {"recipient_kind": "posko", "recipient_name": "P", "giver_name": "A",
        "receiver_name": "B"}
OUTGOING_REASONS = [r for r, sign in REASON_SIGN.items() if sign <= 0]

warehouse_index = st.integers(0, 1)
item_index = st.integers(0, 1)
lot_index = st.integers(0, 3)  # into EXPIRIES
arrivals = st.integers(min_value=5, max_value=60)
quantities = st.integers(min_value=1, max_value=30)
# Now and then a rule aims at something that must be refused (a received transfer, a reversed
# document) instead of something it can act on.
strays = st.sampled_from([False, False, False, True])


@dataclass
class Posted:
    id: int
    kind: str
    deltas: dict  # (warehouse, in transit?, item, lot) -> signed qty
    transfer: int | None = None  # the transfer whose family this document belongs to


class ShelvesMachine(RuleBasedStateMachine):
    def __init__(self, engine):
        super().__init__()
        self.session = Session(engine)

    @initialize(opening=st.lists(st.tuples(warehouse_index, item_index, lot_index, arrivals),
                                 min_size=2, max_size=6))
    def world(self, opening):
        """Fresh warehouses and items, with some stock on the shelves to start from.

        Hypothesis switches rules off at random per example (swarm testing); the opening stock
        keeps issues and transfers meaningful even when receipts are off.
        """
        tag = uuid.uuid4().hex[:6]
        self.actor = accounts.create_user(self.session, username=f"sm{tag}", full_name="SM",
                                          role="admin", password=TEST_PASSWORD)
        self.warehouses = [setup.create_warehouse(
            self.session, code=f"S{tag}{n}", name=f"W{n}", kind="central",
            region_code=StockWorld.KECAMATAN).id for n in range(2)]
        self.items = [setup.create_item(
            self.session, code=f"I{tag}{n}", name_id=f"I{n}", name_en=f"I{n}",
            category="pangan", base_unit="kg", is_perishable=perishable).id
            for n, perishable in enumerate(PERISHABLE)]
        self.session.commit()
        self.lots = {}  # (item index, expiry index) -> lot id
        self.expiry = {}  # lot id -> expires_on
        self.model = defaultdict(int)  # (warehouse, in transit?, item, lot) -> qty
        self.posted: list[Posted] = []
        self.reversed: set[int] = set()
        self.status = {}  # transfer id -> in_transit / received / cancelled
        self.sent = {}  # transfer id -> its in-transit deltas
        for w, i, e, qty in opening:
            self.put_on_shelf(w, i, e, qty)

    # --- how the model predicts ---------------------------------------------------------

    def fefo(self, warehouse, item, qty):
        """(deltas, expected error) of taking ``qty`` first-expiry-first-out, as the ledger does."""
        item_of = {lot: self.items[i] for (i, _), lot in self.lots.items()}
        here = [(lot, self.model[(warehouse, False, item, lot)]) for lot in self.expiry
                if self.model[(warehouse, False, item, lot)] and item_of[lot] == item]
        if sum(qty_ for _, qty_ in here) < qty:
            return None, errors.InsufficientStock
        usable = sorted((self.expiry[lot] is None, self.expiry[lot] or TODAY, lot, qty_)
                        for lot, qty_ in here
                        if self.expiry[lot] is None or self.expiry[lot] >= TODAY)
        deltas = {}
        for _, _, lot, available in usable:
            take = min(qty, available)
            deltas[(warehouse, False, item, lot)], qty = -take, qty - take
            if not qty:
                return deltas, None
        return None, errors.ExpiredStockOnly

    @staticmethod
    def choose(data, preferred: list, fallback: list):
        """One of ``preferred``, or of ``fallback`` when there is none."""
        return data.draw(st.sampled_from(preferred or fallback))

    def known_lot(self, data) -> tuple[int, int]:
        """(item, lot) of one of the lots received so far."""
        (i, _), lot = self.choose(data, [], sorted(self.lots.items()))
        return self.items[i], lot

    def short(self, deltas):
        """InsufficientStock when the deltas would take any balance below zero."""
        if any(self.model[key] + change < 0 for key, change in deltas.items()):
            return errors.InsufficientStock
        return None

    def on_the_road(self, transfer) -> dict:
        """Per in-transit key, what this transfer's documents (and their reversals) left there."""
        left = defaultdict(int)
        for document in self.posted:
            if document.transfer == transfer:
                for key, change in document.deltas.items():
                    if key[1]:
                        left[key] += change
        return left

    def short_transfers(self) -> list[int]:
        """Received transfers with something still open on the road."""
        return [t for t, status in self.status.items()
                if status == "received" and any(self.on_the_road(t).values())]

    def standing_settlement(self, transfer) -> bool:
        return any(d.kind == "settlement" and d.transfer == transfer and d.id not in self.reversed
                   for d in self.posted)

    def attempt(self, call, error):
        """Run the verb; it must refuse with ``error`` (nothing written) or, if None, post."""
        refused = None
        try:
            document = call()
        except DomainError as raised:
            self.session.rollback()
            refused = raised
        if refused is not None:
            assert error is not None, f"refused though the model allows it: {refused!r}"
            assert isinstance(refused, error), f"{refused!r}, expected {error.__name__}"
            event(f"refused: {error.__name__}")
            return None
        assert error is None, f"posted though the model expects {error.__name__}"
        document_id, lots = document.id, [m.lot_id for m in document.movements]
        self.session.commit()
        return document_id, lots

    def record(self, document_id, kind, deltas, transfer=None):
        event(f"posted: {kind}")
        for key, change in deltas.items():
            self.model[key] += change
        self.posted.append(Posted(document_id, kind, deltas, transfer))

    # --- rules --------------------------------------------------------------------------

    @rule(w=warehouse_index, i=item_index, e=lot_index, qty=arrivals)
    def receive(self, w, i, e, qty):
        self.put_on_shelf(w, i, e, qty)

    def put_on_shelf(self, w, i, e, qty):
        warehouse, item = self.warehouses[w], self.items[i]
        line = {"item_id": item, "qty": qty, "batch_no": f"B{e}", "expires_on": EXPIRIES[e]}
        error = errors.ExpiryRequired if PERISHABLE[i] and EXPIRIES[e] is None else None
        result = self.attempt(lambda: operations.receive_stock(
            self.session, actor=self.actor, warehouse_id=warehouse, lines=[line], today=TODAY),
            error)
        if result:
            document_id, (lot,) = result
            self.lots[(i, e)], self.expiry[lot] = lot, EXPIRIES[e]
            self.record(document_id, "receipt", {(warehouse, False, item, lot): qty})

    @rule(data=st.data(), w=warehouse_index, i=item_index, qty=quantities,
          how=st.sampled_from(["fefo", "lot held here", "any lot"]))
    def issue(self, data, w, i, qty, how):
        """Without a lot first-expiry-first-out, or from a lot of the item."""
        warehouse, item = self.warehouses[w], self.items[i]
        line = {"item_id": item, "qty": qty}
        lots = sorted(lot for (i_, _), lot in self.lots.items() if i_ == i)
        held = [lot for lot in lots if self.model[(warehouse, False, item, lot)]]
        if how != "fefo" and lots:
            lot = line["lot_id"] = self.choose(data, held if how == "lot held here" else [], lots)
            deltas = {(warehouse, False, item, lot): -qty}
            expired = self.expiry[lot] is not None and self.expiry[lot] < TODAY
            error = errors.ExpiredLot if expired else self.short(deltas)
        else:
            deltas, error = self.fefo(warehouse, item, qty)
        result = self.attempt(lambda: operations.issue_stock(
            self.session, actor=self.actor, warehouse_id=warehouse, lines=[line], today=TODAY,
            **BAST), error)
        if result:
            self.record(result[0], "issue", deltas)

    @rule(w=warehouse_index, i=item_index, qty=quantities)
    def transfer(self, w, i, qty):
        source, destination = self.warehouses[w], self.warehouses[1 - w]
        item = self.items[i]
        taken, error = self.fefo(source, item, qty)
        result = self.attempt(lambda: operations.transfer_stock(
            self.session, actor=self.actor, warehouse_id=source, to_warehouse_id=destination,
            lines=[{"item_id": item, "qty": qty}], today=TODAY), error)
        if result:
            on_road = {(destination, True, item, k[3]): -n for k, n in taken.items()}
            self.record(result[0], "transfer", {**taken, **on_road}, transfer=result[0])
            self.status[result[0]], self.sent[result[0]] = "in_transit", on_road

    @precondition(lambda self: self.sent)
    @rule(data=st.data(), stray=strays, arrived=st.sampled_from(["all", 100, 50, 0]))
    def receive_transfer(self, data, stray, arrived):
        """A transfer on the road, or (stray) any transfer; all, or a share of each lot."""
        on_road = [t for t, status in self.status.items() if status == "in_transit"]
        transfer = self.choose(data, [] if stray else on_road, list(self.sent))
        lines, deltas = None if arrived == "all" else [], {}
        for (destination, _, item, lot), qty in self.sent[transfer].items():
            got = qty if arrived == "all" else qty * arrived // 100
            if lines is not None:
                lines.append({"lot_id": lot, "qty": got})
            if got:
                deltas[(destination, True, item, lot)] = -got
                deltas[(destination, False, item, lot)] = got
        error = (errors.TransferNotInTransit if self.status[transfer] != "in_transit"
                 else self.short(deltas))
        result = self.attempt(lambda: operations.receive_transfer(
            self.session, actor=self.actor, transfer_id=transfer, lines=lines, today=TODAY),
            error)
        if result:
            self.record(result[0], "transfer_receipt", deltas, transfer=transfer)
            self.status[transfer] = "received"

    @precondition(lambda self: self.short_transfers())
    @rule(data=st.data(), stray=strays, qty=st.one_of(st.none(), st.integers(1, 12)),
          reason=st.sampled_from(OUTGOING_REASONS))
    def settle_shortfall(self, data, stray, qty, reason):
        """Write off what a received transfer left open (all of it when ``qty`` is None)."""
        transfer = self.choose(data, [] if stray else self.short_transfers(), list(self.sent))
        left = self.on_the_road(transfer)
        key = self.choose(data, [] if stray else [k for k in sorted(left) if left[k]],
                          sorted(self.sent[transfer]))
        destination, _, item, lot = key
        qty = qty or self.on_the_road(transfer)[key] or 1
        if self.status[transfer] != "received":
            error = errors.TransferNotReceived
        elif qty > self.on_the_road(transfer)[key]:
            error = errors.NothingToSettle
        else:
            error = None
        result = self.attempt(lambda: operations.adjust_stock(
            self.session, actor=self.actor, warehouse_id=destination, reason=reason,
            transfer_id=transfer, lines=[{"item_id": item, "lot_id": lot, "qty": -qty}],
            today=TODAY), error)
        if result:
            self.record(result[0], "settlement", {key: -qty}, transfer=transfer)

    @precondition(lambda self: self.lots)
    @rule(data=st.data(), w=warehouse_index, qty=quantities,
          reason=st.sampled_from(list(AdjustmentReason)), outgoing=st.booleans(),
          wrong_sign=st.booleans())
    def adjust(self, data, w, qty, reason, outgoing, wrong_sign):
        """A correction with its reason's sign, or (wrong_sign) against it."""
        warehouse, item, lot = self.warehouses[w], *self.known_lot(data)
        sign = REASON_SIGN[reason] or (-1 if outgoing else 1)
        wrong = wrong_sign and REASON_SIGN[reason] != 0
        deltas = {(warehouse, False, item, lot): (-sign if wrong else sign) * qty}
        result = self.attempt(lambda: operations.adjust_stock(
            self.session, actor=self.actor, warehouse_id=warehouse, reason=reason, today=TODAY,
            lines=[{"item_id": item, "lot_id": lot, "qty": next(iter(deltas.values()))}]),
            errors.WrongSign if wrong else self.short(deltas))
        if result:
            self.record(result[0], "adjustment", deltas)

    @precondition(lambda self: self.lots)
    @rule(data=st.data(), w=warehouse_index, counted=st.integers(0, 60))
    def count(self, data, w, counted):
        warehouse, item, lot = self.warehouses[w], *self.known_lot(data)
        key = (warehouse, False, item, lot)
        result = self.attempt(lambda: operations.count_stock(
            self.session, actor=self.actor, warehouse_id=warehouse, today=TODAY,
            lines=[{"item_id": item, "lot_id": lot, "counted_qty": counted}]), None)
        difference = counted - self.model[key]
        self.record(result[0], "count", {key: difference} if difference else {})

    @precondition(lambda self: self.posted)
    @rule(data=st.data(), stray=strays)
    def reverse(self, data, stray):
        """A document that still stands, or (stray) any document at all."""
        standing = [d for d in self.posted if d.kind != "reversal" and d.id not in self.reversed]
        original = self.choose(data, [] if stray else standing, self.posted)
        negated = {key: -change for key, change in original.deltas.items()}
        transfer_status = self.status.get(original.transfer)
        if original.kind == "reversal":
            error = errors.CannotReverse
        elif original.id in self.reversed:
            error = errors.AlreadyReversed
        elif original.kind == "transfer" and transfer_status != "in_transit":
            error = errors.CannotReverse  # received: reverse its receipt first
        elif original.kind == "transfer_receipt" and (
                transfer_status != "received" or self.standing_settlement(original.transfer)):
            error = errors.CannotReverse
        else:
            error = self.short(negated)
        result = self.attempt(lambda: operations.reverse_document(
            self.session, actor=self.actor, document_id=original.id, notes="x", today=TODAY),
            error)
        if result:
            self.record(result[0], "reversal", negated, transfer=original.transfer)
            self.reversed.add(original.id)
            if original.kind == "transfer":
                self.status[original.transfer] = "cancelled"
            elif original.kind == "transfer_receipt":
                self.status[original.transfer] = "in_transit"

    # --- what must always hold ----------------------------------------------------------

    @invariant()
    def database_equals_model(self):
        if not hasattr(self, "warehouses"):
            return
        session = self.session
        stored = {tuple(row[:4]): row[4] for row in session.execute(
            select(StockBalance.warehouse_id, StockBalance.is_in_transit, StockBalance.item_id,
                   StockBalance.lot_id, StockBalance.qty)
            .where(StockBalance.warehouse_id.in_(self.warehouses), StockBalance.qty != 0))}
        assert stored == {key: qty for key, qty in self.model.items() if qty}
        totals = {tuple(row[:3]): row[3] for row in session.execute(
            select(StockTotal.warehouse_id, StockTotal.is_in_transit, StockTotal.item_id,
                   StockTotal.qty)
            .where(StockTotal.warehouse_id.in_(self.warehouses), StockTotal.qty != 0))}
        expected_totals = defaultdict(int)
        for (warehouse, in_transit, item, _), qty in self.model.items():
            expected_totals[(warehouse, in_transit, item)] += qty
        assert totals == {key: qty for key, qty in expected_totals.items() if qty}
        for warehouse in self.warehouses:
            for item in self.items:
                assert queries.item_on_hand(session, warehouse, item) == expected_totals[
                    (warehouse, False, item)]
        assert (session.scalar(select(func.min(StockBalance.qty))) or 0) >= 0
        assert (session.scalar(select(func.min(StockTotal.qty))) or 0) >= 0
        assert balance_mismatches(session) == []
        assert session.scalar(select(func.count()).select_from(Document).where(
            Document.warehouse_id.in_(self.warehouses))) == len(self.posted)  # none half-posted
        session.rollback()

    @invariant()
    def every_transfer_accounts_for_its_load(self):
        """In transit, a transfer's whole load is on the road; never less than nothing is."""
        if not getattr(self, "sent", None):
            return
        stored = dict(self.session.execute(
            select(Document.id, Document.status).where(Document.id.in_(self.sent))).all())
        assert stored == self.status
        for transfer, load in self.sent.items():
            left = {key: qty for key, qty in self.on_the_road(transfer).items() if qty}
            assert all(qty > 0 for qty in left.values()), (transfer, left)
            if self.status[transfer] == "in_transit":
                assert left == load
            if self.status[transfer] == "cancelled":
                assert left == {}
            if self.status[transfer] == "received":
                shortfall = queries.transfer_shortfall(self.session,
                                                       self.session.get(Document, transfer))
                assert shortfall == {key[3]: qty for key, qty in left.items()}
        self.session.rollback()

    def teardown(self):
        self.session.close()


def test_random_sequences_of_documents_keep_the_shelves_right(app, stock):
    stock.ensure_regions()
    with app.app_context():
        engine = db.engine
    run_state_machine_as_test(lambda: ShelvesMachine(engine), settings=settings(
        max_examples=25, stateful_step_count=30, deadline=None,
        suppress_health_check=list(HealthCheck)))


# --- sequences the machine found, pinned ---------------------------------------------------

@pytest.fixture
def admin(app, make_user, session):
    user = get_user_by_username(session, make_user("admin"))
    session.commit()
    return user


def test_a_receipt_cannot_be_reversed_while_a_write_off_of_its_shortfall_stands(
        stock, session, admin):
    """Un-receiving would put the transfer back in transit two short of what it carried; its
    next receipt would then take two units belonging to another transfer on the same road."""
    source, destination, rice = stock.warehouse(), stock.warehouse(), stock.item()
    lot = stock.receive(source, rice, 100)

    def post(verb, **arguments):
        document_id = verb(session, actor=admin, **arguments).id
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
        operations.reverse_document(session, actor=admin, document_id=receipt, notes="x")
    session.rollback()
    assert session.get(Document, short).status == "received"

    post(operations.reverse_document, document_id=write_off, notes="found after all")
    post(operations.reverse_document, document_id=receipt, notes="counted wrong")
    post(operations.receive_transfer, transfer_id=short)  # all ten arrive after all
    post(operations.receive_transfer, transfer_id=other)
    assert stock.on_hand(destination, rice) == 20
    assert stock.mismatches() == []
