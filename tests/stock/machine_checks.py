"""What the stock state machine (`test_stateful.py`) checks after every step: the database
equals the model (balances per warehouse, lot and in transit or not, totals, on-hand, the
lots, the documents posted, nothing negative, `flask stock verify` clean), and every
transfer's load is accounted for."""

from collections import defaultdict

from hypothesis.stateful import invariant
from sqlalchemy import func, select

from logistics.stock import queries
from logistics.stock.documents import Document
from logistics.stock.ledger_tables import StockBalance, StockTotal
from logistics.stock.models import Lot
from logistics.stock.verify import balance_mismatches


class ShelfChecks:
    """The machine's invariants; they read ``self.session``, ``self.model``,
    ``self.warehouses`` and ``self.items``."""

    def check(self):
        self.database_equals_model()
        self.every_transfer_accounts_for_its_load()

    @invariant()
    def database_equals_model(self):
        if not hasattr(self, "model"):
            return
        session, model = self.session, self.model
        stored = {tuple(row[:4]): row[4] for row in session.execute(
            select(StockBalance.warehouse_id, StockBalance.is_in_transit, StockBalance.item_id,
                   StockBalance.lot_id, StockBalance.qty)
            .where(StockBalance.warehouse_id.in_(self.warehouses), StockBalance.qty != 0))}
        assert stored == {key: qty for key, qty in model.qty.items() if qty}
        totals = {tuple(row[:3]): row[3] for row in session.execute(
            select(StockTotal.warehouse_id, StockTotal.is_in_transit, StockTotal.item_id,
                   StockTotal.qty)
            .where(StockTotal.warehouse_id.in_(self.warehouses), StockTotal.qty != 0))}
        expected_totals = defaultdict(int)
        for (warehouse, in_transit, item, _), qty in model.qty.items():
            expected_totals[(warehouse, in_transit, item)] += qty
        assert totals == {key: qty for key, qty in expected_totals.items() if qty}
        for warehouse in self.warehouses:
            for item in self.items:
                assert queries.item_on_hand(session, warehouse, item) == expected_totals[
                    (warehouse, False, item)]
        lots = {lot.id: (lot.item_id, lot.expires_on) for lot in session.scalars(
            select(Lot).where(Lot.item_id.in_(self.items)))}
        assert lots == {lot: (info.item, info.expires_on) for lot, info in model.lots.items()}
        assert (session.scalar(select(func.min(StockBalance.qty))) or 0) >= 0
        assert (session.scalar(select(func.min(StockTotal.qty))) or 0) >= 0
        assert balance_mismatches(session) == []
        assert session.scalar(select(func.count()).select_from(Document).where(
            Document.warehouse_id.in_(self.warehouses))) == len(model.posted)  # none half-posted
        session.rollback()

    @invariant()
    def every_transfer_accounts_for_its_load(self):
        """In transit, a transfer's whole load is on the road; never less than nothing is."""
        if not getattr(self, "model", None) or not self.model.routes:
            return
        model = self.model
        stored = dict(self.session.execute(
            select(Document.id, Document.status).where(Document.id.in_(model.routes))).all())
        assert stored == model.status
        for transfer, route in model.routes.items():
            left = model.on_the_road(transfer)
            assert all(qty > 0 for qty in left.values()), (transfer, left)
            if model.status[transfer] == "in_transit":
                assert left == route.load
            if model.status[transfer] == "cancelled":
                assert left == {}
            if model.status[transfer] == "received":
                shortfall = queries.transfer_shortfall(self.session,
                                                       self.session.get(Document, transfer))
                assert shortfall == {key[3]: qty for key, qty in left.items()}
        self.session.rollback()
