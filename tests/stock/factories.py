"""Stock factories: a kecamatan, warehouses, items, and stock put on the shelf."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from app.extensions import db
from logistics.accounts import operations as accounts
from logistics.accounts import queries as account_queries
from logistics.accounts.models import User
from logistics.regions.models import Region
from logistics.stock import operations as stock_operations
from logistics.stock import queries as stock_queries
from logistics.stock import setup as stock_setup
from logistics.stock.verify import balance_mismatches
from tests.accounts.factories import TEST_PASSWORD


@dataclass
class StockWorld:
    """Factories for stock tests: a kecamatan, warehouses, items, and stock put on the shelf.

    Each factory commits in its own app context, like make_user, so the test's client and
    session see the rows at once.
    """

    app: object
    counter: object

    KECAMATAN = "17.03.01"

    def _commit(self, build):
        with self.app.app_context():
            row = build(db.session)
            db.session.commit()
            return row.id

    def ensure_regions(self) -> None:
        with self.app.app_context():
            if db.session.get(Region, self.KECAMATAN) is None:
                for code, parent, level, kind, name in (
                        ("17", None, 1, "provinsi", "Bengkulu"),
                        ("17.03", "17", 2, "kabupaten", "Bengkulu Utara"),
                        (self.KECAMATAN, "17.03", 3, "kecamatan", "Enggano")):
                    db.session.add(Region(code=code, parent_code=parent, level=level, kind=kind,
                                          name=name, source="test"))
                db.session.commit()

    def warehouse(self, *, kind="central", name=None, code=None, keepers=()) -> int:
        """Create a warehouse; ``keepers`` are usernames assigned to it. Returns its id."""
        self.ensure_regions()
        number = next(self.counter)
        code = code or f"W{number}"

        def build(session):
            warehouse = stock_setup.create_warehouse(
                session, code=code, name=name or f"Gudang {number}", kind=kind,
                region_code=self.KECAMATAN)
            for username in keepers:
                stock_setup.assign_keeper(session, warehouse,
                                          account_queries.get_user_by_username(session, username))
            return warehouse

        return self._commit(build)

    def item(self, *, code=None, perishable=False, packs=(), **fields) -> int:
        number = next(self.counter)
        fields = {"name_id": f"Barang {number}", "name_en": f"Item {number}",
                  "category": "pangan", "base_unit": "kg", **fields}
        return self._commit(lambda session: stock_setup.create_item(
            session, code=code or f"ITEM{number}", is_perishable=perishable, packs=packs,
            **fields))

    def receive(self, warehouse_id, item_id, qty, *, batch_no=None, expires_on=None,
                actor="stock-admin") -> int:
        """Put ``qty`` of one lot on the shelf through a real receipt; returns the lot id.
        An expired lot is a shelf's state tests need, so its expiry is taken as confirmed."""
        with self.app.app_context():
            user = db.session.scalar(select(User).where(User.username == actor))
            if user is None:
                user = accounts.create_user(db.session, username=actor, full_name="Stock Admin",
                                            role="admin", password=TEST_PASSWORD)
            document = stock_operations.receive_stock(
                db.session, actor=user, warehouse_id=warehouse_id, lines=[{
                    "item_id": item_id, "qty": qty, "batch_no": batch_no,
                    "expires_on": expires_on}], confirm_expiry=True)
            lot_id = document.movements[0].lot_id
            db.session.commit()
            return lot_id

    def on_hand(self, warehouse_id, item_id) -> int:
        with self.app.app_context():
            return stock_queries.item_on_hand(db.session, warehouse_id, item_id)

    def mismatches(self) -> list[str]:
        with self.app.app_context():
            return balance_mismatches(db.session)


@pytest.fixture
def keeper(make_user, auth):
    """A warehouse keeper logged in on the test client (assign warehouses with `stock`)."""
    username = make_user("warehouse_keeper")
    auth.login(username)
    return username


@pytest.fixture
def stock(app):
    """Stock factories (see StockWorld); every test gets its own."""
    return StockWorld(app, iter(range(1, 100_000)))
