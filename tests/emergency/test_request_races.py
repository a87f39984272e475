"""Two coordinators or two keepers acting on one request at once: one wins, the other is told.

Each thread has its own app context (its own session and connection) and the threads are
released together by a barrier, as in tests/stock/test_concurrency.py. On SQLite the writers
queue on the write lock taken at BEGIN; on PostgreSQL they overlap, and the request row's
guarded status update and the lines' guarded ``fulfilled_qty`` update decide.
"""

from __future__ import annotations

from functools import partial

from sqlalchemy import func, select

from app.extensions import db
from logistics.accounts import queries as account_queries
from logistics.emergency import requests
from logistics.errors import Conflict
from logistics.stock import setup
from logistics.stock.ledger_tables import Movement
from logistics.stock.models import Warehouse
from tests.concurrency import at_once
from tests.emergency.request_factories import (  # noqa: F401  (the fixture)
    COORDINATOR,
    KEEPER,
    SIGNERS,
    requests_world_fixture,
)

_at_once = partial(at_once, refused=Conflict)


def _releases_of(app, lot_id) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Movement).where(
            Movement.lot_id == lot_id, Movement.qty < 0))


def test_two_coordinators_approving_at_once_one_wins_the_other_is_409(
        app, requests_world, make_user):
    w = requests_world
    make_user(role="coordinator", username="koordinator-2")
    for _ in range(3):
        request_id = w.ask()
        line_id = w.line_ids(request_id)[0]

        def approve(qty, request_id=request_id, line_id=line_id):
            return lambda session, actor: requests.approve_request(
                session, actor=actor, request_id=request_id,
                lines=[{"line_id": line_id, "approved_qty": qty}])

        outcomes = _at_once(app, [(COORDINATOR, approve(40)), ("koordinator-2", approve(25))])
        assert sorted(outcomes) == ["InvalidTransition", "ok"]
        winner = 40 if outcomes[0] == "ok" else 25
        assert w.state(request_id) == ("approved", [(50, winner, 0)])


def test_approving_and_rejecting_at_once_leave_one_decision(app, requests_world):
    w = requests_world
    request_id = w.ask()
    line_id = w.line_ids(request_id)[0]
    outcomes = _at_once(app, [
        (COORDINATOR, lambda session, actor: requests.approve_request(
            session, actor=actor, request_id=request_id,
            lines=[{"line_id": line_id, "approved_qty": 50}])),
        (COORDINATOR, lambda session, actor: requests.reject_request(
            session, actor=actor, request_id=request_id, reason="Tidak ada stok")),
    ])
    assert sorted(outcomes) == ["InvalidTransition", "ok"]
    status, lines = w.state(request_id)
    assert (status, lines) in (("approved", [(50, 50, 0)]), ("rejected", [(50, None, 0)]))


def test_two_keepers_delivering_the_rest_at_once_never_pass_what_was_approved(
        app, requests_world, make_user, stock):
    w = requests_world
    make_user(role="warehouse_keeper", username="penjaga-2")
    with app.app_context():
        setup.assign_keeper(db.session, db.session.get(Warehouse, w.ids["warehouse"]),
                            account_queries.get_user_by_username(db.session, "penjaga-2"))
        db.session.commit()
    request_id = w.ask()
    w.approve(request_id, 40)
    w.fulfil(request_id, 25)
    line_id = w.line_ids(request_id)[0]

    def deliver(session, actor):
        requests.fulfil_request(session, actor=actor, request_id=request_id,
                                warehouse_id=w.ids["warehouse"], **SIGNERS,
                                lines=[{"line_id": line_id, "qty": 15}])

    outcomes = _at_once(app, [(KEEPER, deliver), ("penjaga-2", deliver)])
    assert outcomes.count("ok") == 1
    assert set(outcomes) - {"ok"} <= {"FulfilledMoreThanApproved", "InvalidTransition"}
    assert w.state(request_id) == ("fulfilled", [(50, 40, 40)])
    assert _releases_of(app, w.ids["lot"]) == 2  # the first delivery and exactly one more
    assert w.stock.on_hand(w.ids["warehouse"], w.ids["rice"]) == 60
    assert w.stock.mismatches() == []


def test_many_keepers_delivering_parts_at_once_add_up_to_at_most_what_was_approved(
        app, requests_world):
    w = requests_world
    request_id = w.ask()
    w.approve(request_id, 50)
    line_id = w.line_ids(request_id)[0]

    def deliver(session, actor):
        requests.fulfil_request(session, actor=actor, request_id=request_id,
                                warehouse_id=w.ids["warehouse"], **SIGNERS,
                                lines=[{"line_id": line_id, "qty": 7}])

    outcomes = _at_once(app, [(KEEPER, deliver)] * 8)
    assert outcomes.count("ok") == 7  # 7 x 7 = 49 of 50; the eighth would pass the approval
    assert set(outcomes) == {"ok", "FulfilledMoreThanApproved"}
    assert w.state(request_id) == ("partly_fulfilled", [(50, 50, 49)])
    assert _releases_of(app, w.ids["lot"]) == 7
    assert w.stock.on_hand(w.ids["warehouse"], w.ids["rice"]) == 51
    assert w.stock.mismatches() == []


def test_one_delivery_retried_by_many_threads_at_once_posts_once(app, requests_world):
    w = requests_world
    request_id = w.ask()
    w.approve(request_id, 40)
    line_id = w.line_ids(request_id)[0]
    documents = []

    def deliver(session, actor):
        documents.append(requests.fulfil_request(
            session, actor=actor, request_id=request_id, warehouse_id=w.ids["warehouse"],
            idempotency_key="bast-hp-3", **SIGNERS,
            lines=[{"line_id": line_id, "qty": 30}]).id)

    assert _at_once(app, [(KEEPER, deliver)] * 6) == ["ok"] * 6
    assert len(set(documents)) == 1
    assert w.state(request_id) == ("partly_fulfilled", [(50, 40, 30)])
    assert _releases_of(app, w.ids["lot"]) == 1
