"""Deciding and delivering one request from two gunicorn workers at once, as `make run` serves
the app: one decision wins, deliveries never pass what was approved, a retried delivery posts
once. The server and its helpers are those of test_stock_http_concurrency."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from app.extensions import db
from logistics.stock.ledger_tables import Movement
from tests.app import test_stock_http_concurrency as http
from tests.emergency.request_factories import (  # noqa: F401  (the fixture)
    COORDINATOR,
    KEEPER,
    SIGNERS,
    requests_world_fixture,
)

gunicorn = http.gunicorn  # the fixture: two workers serving the test database


def _post_all(server, calls) -> list[tuple[int, dict]]:
    """POST each (path, body, headers) at once from eight threads."""
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda call: http._post(server.base + call[0], call[1], call[2]),
                             calls))


def _releases(app, lot_id) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Movement).where(
            Movement.lot_id == lot_id, Movement.qty < 0))


def test_two_coordinators_approving_through_two_workers_one_wins(
        gunicorn, requests_world, auth, make_user):
    w = requests_world
    make_user(role="coordinator", username="koordinator-2")
    request_id = w.ask()
    line_id = w.line_ids(request_id)[0]
    headers = [auth.headers(COORDINATOR), auth.headers("koordinator-2")]
    calls = [(f"/api/v1/emergency/requests/{request_id}/approve",
              {"lines": [{"line_id": line_id, "approved_qty": 20 + index}]}, headers[index % 2])
             for index in range(12)]
    results = _post_all(gunicorn, calls)
    statuses = [status for status, _ in results]
    assert statuses.count(200) == 1
    assert statuses.count(409) == 11
    winner = next(answer for status, answer in results if status == 200)
    assert w.state(request_id) == ("approved", [(50, winner["lines"][0]["approved_qty"], 0)])
    refused = next(answer for status, answer in results if status == 409)
    assert refused["status"] == 409
    assert refused["message"]
    assert len(gunicorn.worker_pids(requests=12)) == 2


def test_delivering_the_rest_through_two_workers_posts_exactly_one_release(
        app, gunicorn, requests_world, auth):
    w = requests_world
    request_id = w.ask()
    w.approve(request_id, 40)
    w.fulfil(request_id, 25)
    line_id = w.line_ids(request_id)[0]
    body = {"warehouse_id": w.ids["warehouse"], **SIGNERS,
            "lines": [{"line_id": line_id, "qty": 15}]}
    headers = auth.headers(KEEPER)
    calls = [(f"/api/v1/emergency/requests/{request_id}/fulfilments", body,
              {**headers, "Idempotency-Key": f"hp-{index}"}) for index in range(16)]
    results = _post_all(gunicorn, calls)
    statuses = [status for status, _ in results]
    assert statuses.count(201) == 1
    assert statuses.count(409) == 15
    assert w.state(request_id) == ("fulfilled", [(50, 40, 40)])
    assert _releases(app, w.ids["lot"]) == 2  # the first delivery and exactly one more
    assert w.stock.on_hand(w.ids["warehouse"], w.ids["rice"]) == 60
    assert w.stock.mismatches() == []
    assert len(gunicorn.worker_pids(requests=16)) == 2


def test_one_delivery_retried_across_workers_posts_once(app, gunicorn, requests_world, auth):
    w = requests_world
    request_id = w.ask()
    w.approve(request_id, 40)
    line_id = w.line_ids(request_id)[0]
    body = {"warehouse_id": w.ids["warehouse"], **SIGNERS,
            "lines": [{"line_id": line_id, "qty": 10}]}
    headers = {**auth.headers(KEEPER), "Idempotency-Key": "sinyal-lemah-7"}
    results = _post_all(gunicorn, [(f"/api/v1/emergency/requests/{request_id}/fulfilments",
                                    body, headers)] * 16)
    assert {status for status, _ in results} == {201}
    assert len({answer["document_id"] for _, answer in results}) == 1
    assert w.state(request_id) == ("partly_fulfilled", [(50, 40, 10)])
    assert _releases(app, w.ids["lot"]) == 1
    assert len(gunicorn.worker_pids(requests=16)) == 2
