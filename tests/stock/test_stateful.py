"""Random sequences of every stock verb against a plain Python model of the shelves.

The model predicts each document's effect lot by lot (its own first-expiry-first-out) and
whether the verb must succeed or refuse; after every step the database must equal the model,
nothing may be negative, and every balance must equal the sum of its ledger lines.
"""

import uuid
from collections import defaultdict
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.extensions import db
from logistics.accounts import operations as accounts
from logistics.errors import DomainError
from logistics.stock import operations, setup
from logistics.stock.documents import REASON_SIGN, AdjustmentReason
from logistics.stock.ledger import StockBalance, StockTotal, balance_mismatches
from tests.conftest import TEST_PASSWORD, StockWorld

TODAY = date(2026, 11, 24)
EXPIRIES = [TODAY - timedelta(days=3), TODAY + timedelta(days=10), TODAY + timedelta(days=90)]
BAST = {"recipient_kind": "posko", "recipient_name": "P", "giver_name": "A",
        "receiver_name": "B"}
quantities = st.integers(min_value=1, max_value=40)


class ShelvesMachine(RuleBasedStateMachine):
    app = None  # set by the test before running

    @initialize()
    def world(self):
        self.session = Session(self.engine)
        tag = uuid.uuid4().hex[:6]
        self.actor = accounts.create_user(self.session, username=f"sm{tag}", full_name="SM",
                                          role="admin", password=TEST_PASSWORD)
        self.warehouses = [setup.create_warehouse(
            self.session, code=f"S{tag}{n}", name=f"W{n}", kind="central",
            region_code=StockWorld.KECAMATAN).id for n in range(2)]
        self.items = [setup.create_item(
            self.session, code=f"I{tag}{n}", name_id=f"I{n}", name_en=f"I{n}",
            category="pangan", base_unit="kg", is_perishable=True).id for n in range(2)]
        self.session.commit()
        self.lots = {}  # (item, expiry index) -> (lot id, expires_on)
        self.model = defaultdict(int)  # (warehouse, in transit, item, lot) -> qty
        self.documents = []  # (id, kind, deltas, transfer id)
        self.reversed = set()
        self.transfers = {}  # transfer id -> status

    # --- how the model predicts ---------------------------------------------------------

    def fefo(self, warehouse, item, qty):
        """Lots to take, or None when the usable (unexpired) stock is short."""
        candidates = sorted(
            (expires, lot) for (item_, _), (lot, expires) in self.lots.items()
            if item_ == item and expires >= TODAY and self.model[(warehouse, False, item, lot)])
        taken = {}
        for _, lot in candidates:
            take = min(qty, self.model[(warehouse, False, item, lot)])
            taken[lot], qty = take, qty - take
            if not qty:
                return taken
        return None

    def attempt(self, call, deltas, *, kind, transfer=None):
        """Run the verb; a refusal is expected exactly when the model has no deltas for it."""
        try:
            document = call()
        except DomainError:
            self.session.rollback()
            assert deltas is None, f"{kind} refused though the model allows it"
            return None
        self.session.commit()
        assert deltas is not None, f"{kind} posted though the model forbids it"
        for key, change in deltas.items():
            self.model[key] += change
        self.documents.append((document.id, kind, deltas, transfer))
        return document

    def valid(self, deltas):
        return deltas if all(self.model[k] + v >= 0 for k, v in deltas.items()) else None

    # --- rules --------------------------------------------------------------------------

    @rule(w=st.integers(0, 1), i=st.integers(0, 1), e=st.integers(0, 2), qty=quantities)
    def receive(self, w, i, e, qty):
        warehouse, item = self.warehouses[w], self.items[i]
        document = self.attempt(lambda: operations.receive_stock(
            self.session, actor=self.actor, warehouse_id=warehouse, today=TODAY,
            lines=[{"item_id": item, "qty": qty, "batch_no": f"B{e}", "expires_on": EXPIRIES[e]}]),
            {}, kind="receipt")
        lot = document.movements[0].lot_id
        self.lots[(item, e)] = (lot, EXPIRIES[e])
        self.model[(warehouse, False, item, lot)] += qty
        self.documents[-1] = (document.id, "receipt", {(warehouse, False, item, lot): qty}, None)

    @rule(w=st.integers(0, 1), i=st.integers(0, 1), qty=quantities,
          e=st.one_of(st.none(), st.integers(0, 2)))
    def issue(self, w, i, qty, e):
        warehouse, item = self.warehouses[w], self.items[i]
        line = {"item_id": item, "qty": qty}
        if e is not None and (item, e) in self.lots:
            lot, expires = self.lots[(item, e)]
            line["lot_id"] = lot
            deltas = None if expires < TODAY else self.valid({(warehouse, False, item, lot): -qty})
        else:
            taken = self.fefo(warehouse, item, qty)
            deltas = taken and {(warehouse, False, item, lot): -n for lot, n in taken.items()}
        self.attempt(lambda: operations.issue_stock(
            self.session, actor=self.actor, warehouse_id=warehouse, lines=[line], today=TODAY,
            **BAST), deltas, kind="issue")

    @rule(w=st.integers(0, 1), i=st.integers(0, 1), qty=quantities)
    def transfer(self, w, i, qty):
        source, destination, item = self.warehouses[w], self.warehouses[1 - w], self.items[i]
        taken = self.fefo(source, item, qty)
        deltas = None
        if taken:
            deltas = {(source, False, item, lot): -n for lot, n in taken.items()}
            deltas.update({(destination, True, item, lot): n for lot, n in taken.items()})
        document = self.attempt(lambda: operations.transfer_stock(
            self.session, actor=self.actor, warehouse_id=source, to_warehouse_id=destination,
            lines=[{"item_id": item, "qty": qty}], today=TODAY), deltas, kind="transfer")
        if document is not None:
            self.transfers[document.id] = "in_transit"

    @rule(pick=st.integers(0, 50), percent=st.sampled_from([100, 100, 80, 0]))
    def receive_transfer(self, pick, percent):
        open_ones = [t for t, status in self.transfers.items() if status == "in_transit"]
        if not open_ones:
            return
        transfer = open_ones[pick % len(open_ones)]
        sent = next(d for d_id, _, d, _ in self.documents if d_id == transfer)
        deltas, lines = {}, []
        for (warehouse, in_transit, item, lot), qty in sent.items():
            if in_transit:
                arrived = qty * percent // 100
                lines.append({"lot_id": lot, "qty": arrived})
                if arrived:
                    deltas[(warehouse, True, item, lot)] = -arrived
                    deltas[(warehouse, False, item, lot)] = arrived
        if self.attempt(lambda: operations.receive_transfer(
                self.session, actor=self.actor, transfer_id=transfer, lines=lines, today=TODAY),
                deltas, kind="transfer_receipt", transfer=transfer) is not None:
            self.transfers[transfer] = "received"

    @rule(w=st.integers(0, 1), i=st.integers(0, 1), e=st.integers(0, 2), qty=quantities,
          reason=st.sampled_from(list(AdjustmentReason)), negative=st.booleans())
    def adjust(self, w, i, e, qty, reason, negative):
        warehouse, item = self.warehouses[w], self.items[i]
        if (item, e) not in self.lots:
            return
        lot = self.lots[(item, e)][0]
        sign = REASON_SIGN[reason] or (-1 if negative else 1)
        self.attempt(lambda: operations.adjust_stock(
            self.session, actor=self.actor, warehouse_id=warehouse, reason=reason, today=TODAY,
            lines=[{"item_id": item, "lot_id": lot, "qty": sign * qty}]),
            self.valid({(warehouse, False, item, lot): sign * qty}), kind="adjustment")

    @rule(w=st.integers(0, 1), i=st.integers(0, 1), e=st.integers(0, 2),
          counted=st.integers(0, 60))
    def count(self, w, i, e, counted):
        warehouse, item = self.warehouses[w], self.items[i]
        if (item, e) not in self.lots:
            return
        lot = self.lots[(item, e)][0]
        key = (warehouse, False, item, lot)
        difference = counted - self.model[key]
        self.attempt(lambda: operations.count_stock(
            self.session, actor=self.actor, warehouse_id=warehouse, today=TODAY,
            lines=[{"item_id": item, "lot_id": lot, "counted_qty": counted}]),
            {key: difference} if difference else {}, kind="count")

    @rule(pick=st.integers(0, 200))
    def reverse(self, pick):
        if not self.documents:
            return
        document_id, kind, deltas, transfer = self.documents[pick % len(self.documents)]
        allowed = (kind != "reversal" and document_id not in self.reversed
                   and (kind != "transfer" or self.transfers[document_id] == "in_transit")
                   and (kind != "transfer_receipt" or self.transfers[transfer] == "received"))
        negated = self.valid({key: -qty for key, qty in deltas.items()}) if allowed else None
        if self.attempt(lambda: operations.reverse_document(
                self.session, actor=self.actor, document_id=document_id, notes="x",
                today=TODAY), negated, kind="reversal") is not None:
            self.reversed.add(document_id)
            if kind == "transfer":
                self.transfers[document_id] = "cancelled"
            elif kind == "transfer_receipt":
                self.transfers[transfer] = "in_transit"

    # --- what must always hold ----------------------------------------------------------

    @invariant()
    def database_equals_model(self):
        if not hasattr(self, "session"):
            return
        stored = {(w, t, i, lot): qty for w, t, i, lot, qty in self.session.execute(
            select(StockBalance.warehouse_id, StockBalance.is_in_transit, StockBalance.item_id,
                   StockBalance.lot_id, StockBalance.qty)
            .where(StockBalance.warehouse_id.in_(self.warehouses)))}
        expected = {key: qty for key, qty in self.model.items() if qty}
        assert {key: qty for key, qty in stored.items() if qty} == expected
        assert min(self.session.scalar(select(func.min(StockTotal.qty))) or 0, 0) == 0
        assert balance_mismatches(self.session) == []
        self.session.rollback()

    def teardown(self):
        if hasattr(self, "session"):
            self.session.close()


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
def test_random_sequences_of_documents_keep_the_shelves_right(app, stock):
    stock.ensure_regions()
    with app.app_context():
        ShelvesMachine.engine = db.engine
    ShelvesMachine.TestCase.settings = settings(
        max_examples=25, stateful_step_count=25, deadline=None,
        suppress_health_check=list(HealthCheck))
    ShelvesMachine.TestCase().runTest()
