"""Postings per second: the real issue operation against a bare guarded UPDATE + INSERT."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from app.extensions import db
from bench.common import rate
from logistics.accounts.models import User
from logistics.calendar import local_today
from logistics.stock import operations

BAST = {"recipient_kind": "person", "recipient_name": "Pak Rahmat", "giver_name": "A",
        "receiver_name": "B"}


def measure(world, seconds: float = 4.0) -> dict:
    warehouse, item = world.warehouse_ids[0], world.item_ids[0]
    with world.app.app_context():
        session = db.session
        actor = session.get(User, world.actor_id)
        operations.receive_stock(session, actor=actor, warehouse_id=warehouse, lines=[
            {"item_id": item, "qty": 10_000_000, "batch_no": f"L{n}",
             "expires_on": local_today() + timedelta(days=100 + n)} for n in range(3)])
        session.execute(text("CREATE TABLE bench_moves (id INTEGER PRIMARY KEY, "
                             "balance_id INTEGER, qty INTEGER)" if "sqlite" in world.url else
                             "CREATE TABLE bench_moves (id BIGSERIAL PRIMARY KEY, "
                             "balance_id INTEGER, qty INTEGER)"))
        session.commit()

        def bare():
            session.execute(text(
                "UPDATE stock_balances SET qty = qty - 1 WHERE warehouse_id = :w "
                "AND item_id = :i AND is_in_transit = false AND lot_id = :lot AND qty >= 1"),
                {"w": warehouse, "i": item, "lot": 1})
            session.execute(text("INSERT INTO bench_moves (balance_id, qty) VALUES (1, -1)"))
            session.commit()

        def issue():
            operations.issue_stock(session, actor=session.get(User, world.actor_id),
                                   warehouse_id=warehouse, lines=[{"item_id": item, "qty": 1}],
                                   **BAST)
            session.commit()

        keys = (f"bench-{n}" for n in range(10**9))

        def issue_with_key():
            operations.issue_stock(session, actor=session.get(User, world.actor_id),
                                   warehouse_id=warehouse, lines=[{"item_id": item, "qty": 1}],
                                   idempotency_key=next(keys), **BAST)
            session.commit()

        def receive():
            operations.receive_stock(session, actor=session.get(User, world.actor_id),
                                     warehouse_id=warehouse, lines=[
                                         {"item_id": item, "qty": 5, "batch_no": "L0",
                                          "expires_on": local_today() + timedelta(days=100)}])
            session.commit()

        bare(), issue(), issue_with_key(), receive()  # warm up caches and connections
        results = {"bare_per_s": rate(bare, seconds), "issue_per_s": rate(issue, seconds),
                   "issue_key_per_s": rate(issue_with_key, seconds),
                   "receive_per_s": rate(receive, seconds)}
    results["issue_ratio"] = results["issue_per_s"] / results["bare_per_s"]
    results["issue_key_ratio"] = results["issue_key_per_s"] / results["bare_per_s"]
    return results
