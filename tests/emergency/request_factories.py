"""A posko asking a warehouse for rice and soap: the people and stock request tests need.

The request tests import ``requests_world_fixture`` (the fixture ``requests_world``) rather
than it being listed in the root conftest, so it reaches only the tests that use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from shapely.geometry import Point
from sqlalchemy import func, select

from app.extensions import db
from logistics.accounts import queries as account_queries
from logistics.calendar import local_today
from logistics.emergency import requests
from logistics.emergency.request_models import StockRequest
from logistics.stock.documents import Document, DocumentKind
from logistics.stock.models import Warehouse

STAFF, COORDINATOR, KEEPER = "staf-posko", "koordinator", "penjaga"
SIGNERS = {"giver_name": "Siti", "receiver_name": "Rahmat"}


@dataclass
class RequestsWorld:
    app: object
    stock: object
    ids: dict = field(default_factory=dict)

    def run(self, operation, username, **arguments):
        """Run an operation as ``username`` and commit; returns (id, status) of what it
        returned (a request's status, a document's number)."""
        with self.app.app_context():
            actor = account_queries.get_user_by_username(db.session, username)
            try:
                result = operation(db.session, actor=actor, **arguments)
                db.session.commit()
            except Exception:
                db.session.rollback()
                raise
            return result.id, getattr(result, "status", None) or result.number

    def ask(self, lines=None, *, submit=True, **arguments) -> int:
        lines = lines or [{"item_id": self.ids["rice"], "qty": 50}]
        return self.run(requests.request_stock, STAFF, posko_id=self.ids["posko"],
                        lines=lines, submit=submit, **arguments)[0]

    def line_ids(self, request_id) -> list[int]:
        with self.app.app_context():
            return [line.id for line in db.session.get(StockRequest, request_id).lines]

    def approve(self, request_id, *quantities, username=COORDINATOR):
        lines = [{"line_id": line_id, "approved_qty": qty}
                 for line_id, qty in zip(self.line_ids(request_id), quantities, strict=True)]
        return self.run(requests.approve_request, username, request_id=request_id, lines=lines)

    def fulfil(self, request_id, *quantities, username=KEEPER, warehouse=None, **arguments):
        lines = [{"line_id": line_id, "qty": qty}
                 for line_id, qty in zip(self.line_ids(request_id), quantities, strict=True)
                 if qty]
        return self.run(requests.fulfil_request, username, request_id=request_id,
                        warehouse_id=warehouse or self.ids["warehouse"], lines=lines,
                        **SIGNERS, **arguments)

    def state(self, request_id) -> tuple[str, list[tuple]]:
        """The request's status and each line's (asked, approved, fulfilled)."""
        with self.app.app_context():
            request = db.session.get(StockRequest, request_id)
            return request.status, [(line.qty, line.approved_qty, line.fulfilled_qty)
                                    for line in request.lines]

    def releases(self) -> int:
        with self.app.app_context():
            return db.session.scalar(select(func.count()).select_from(Document).where(
                Document.kind == DocumentKind.ISSUE))


@pytest.fixture(name="requests_world")
def requests_world_fixture(app, emergency, stock, make_user) -> RequestsWorld:
    """An event in tanggap darurat with a staffed posko, a coordinator, and a keeper whose
    warehouse (10 km from the posko) holds 100 kg of rice and 40 pieces of soap."""
    world = RequestsWorld(app, stock)
    for role, username in (("posko_staff", STAFF), ("coordinator", COORDINATOR),
                           ("warehouse_keeper", KEEPER)):
        make_user(role=role, username=username)
    ids = world.ids
    started_on = local_today() - timedelta(days=3)
    ids["event"] = emergency.event(status="tanggap_darurat", started_on=started_on)
    ids["posko"] = emergency.posko(ids["event"], staff=[STAFF], opened_on=started_on)
    ids["warehouse"] = stock.warehouse(name="Gudang Ketahun", keepers=[KEEPER])
    ids["rice"] = stock.item(perishable=True, base_unit="kg")
    ids["soap"] = stock.item(category="kebersihan", base_unit="pcs")
    ids["lot"] = stock.receive(ids["warehouse"], ids["rice"], 100, batch_no="BERAS-1",
                               expires_on=local_today() + timedelta(days=200))
    ids["soap_lot"] = stock.receive(ids["warehouse"], ids["soap"], 40)
    with app.app_context():
        db.session.get(Warehouse, ids["warehouse"]).location = Point(102.05, -3.36)
        db.session.commit()
    return world
