"""Reversing a release made for a posko's request gives back to the request what it delivered.

The rice goes back on the shelf (the stock reversal) and the request line counts it as not
delivered again: listed unmet, deliverable, and the overview's delivered figure agrees.
"""

from __future__ import annotations

from functools import partial

import pytest

from app.extensions import db
from logistics.accounts import queries as account_queries
from logistics.calendar import local_today
from logistics.emergency import overview, request_queries, requests
from logistics.errors import Conflict
from logistics.stock import errors as stock_errors
from logistics.stock import operations
from logistics.stock.verify import ledger_problems
from tests.concurrency import at_once
from tests.emergency.request_factories import (  # noqa: F401  (the fixture)
    KEEPER,
    SIGNERS,
    requests_world_fixture,
)

TODAY = local_today()


def _reverse(app, document_id, note="Truk salah"):
    with app.app_context():
        actor = account_queries.get_user_by_username(db.session, KEEPER)
        try:
            reversal = operations.reverse_document(db.session, actor=actor,
                                                   document_id=document_id, notes=note)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        return reversal.id


def _unmet(app, w):
    with app.app_context():
        return [(u.request.id, u.line.position, u.missing)
                for u in request_queries.unmet_lines(db.session, w.ids["event"])]


def _delivered_rice(app, w):
    with app.app_context():
        return overview.delivered_per_posko(db.session, [w.ids["posko"]]).get(
            w.ids["posko"], {}).get(w.ids["rice"], 0)


def _no_ledger_problems(app):
    with app.app_context():
        assert ledger_problems(db.session) == []


def test_of_two_releases_reversing_one_takes_back_only_what_it_delivered(app, requests_world):
    """30 kg of rice and 20 soap approved; a first truck brings 20 kg and 20 soap, a second
    the last 10 kg. The first release is reversed (it never left): the request is partly
    fulfilled again with 10 kg delivered, 20 kg and 20 soap open, and the rest agrees."""
    w = requests_world
    request_id = w.ask([{"item_id": w.ids["rice"], "qty": 30},
                        {"item_id": w.ids["soap"], "qty": 20}])
    w.approve(request_id, 30, 20)
    first, _ = w.fulfil(request_id, 20, 20)
    w.fulfil(request_id, 10, 0)
    assert w.state(request_id) == ("fulfilled", [(30, 30, 30), (20, 20, 20)])
    assert _delivered_rice(app, w) == 30

    _reverse(app, first)

    assert w.state(request_id) == ("partly_fulfilled", [(30, 30, 10), (20, 20, 0)])
    assert _unmet(app, w) == [(request_id, 1, 20), (request_id, 2, 20)]
    assert _delivered_rice(app, w) == 10
    assert w.stock.on_hand(w.ids["warehouse"], w.ids["rice"]) == 90
    assert w.stock.on_hand(w.ids["warehouse"], w.ids["soap"]) == 40
    # What was reopened can be delivered again, and no more than that.
    with pytest.raises(Conflict):
        w.fulfil(request_id, 21, 0)
    w.fulfil(request_id, 20, 20)
    assert w.state(request_id) == ("fulfilled", [(30, 30, 30), (20, 20, 20)])
    assert _unmet(app, w) == []
    _no_ledger_problems(app)


def test_reversing_both_releases_steps_the_request_back_to_approved(app, requests_world):
    w = requests_world
    request_id = w.ask([{"item_id": w.ids["rice"], "qty": 30}])
    w.approve(request_id, 30)
    first, _ = w.fulfil(request_id, 10)
    second, _ = w.fulfil(request_id, 10)
    _reverse(app, second)
    assert w.state(request_id) == ("partly_fulfilled", [(30, 30, 10)])
    _reverse(app, first)
    assert w.state(request_id) == ("approved", [(30, 30, 0)])
    assert _unmet(app, w) == [(request_id, 1, 30)]
    assert _delivered_rice(app, w) == 0
    _no_ledger_problems(app)


def test_the_same_line_twice_on_one_release_is_taken_back_whole(app, requests_world):
    """A keeper names the rice line twice on one release (two lots, 15 + 15); its reversal
    takes back 30, not 15."""
    w = requests_world
    request_id = w.ask([{"item_id": w.ids["rice"], "qty": 40}])
    w.approve(request_id, 40)
    line_id = w.line_ids(request_id)[0]
    document_id, _ = w.run(requests.fulfil_request, KEEPER, request_id=request_id,
                           warehouse_id=w.ids["warehouse"],
                           lines=[{"line_id": line_id, "qty": 15},
                                  {"line_id": line_id, "qty": 15, "lot_id": w.ids["lot"]}],
                           **SIGNERS)
    assert w.state(request_id) == ("partly_fulfilled", [(40, 40, 30)])
    _reverse(app, document_id)
    assert w.state(request_id) == ("approved", [(40, 40, 0)])
    _no_ledger_problems(app)


def test_reversing_a_release_twice_is_refused_and_takes_back_once(app, requests_world):
    w = requests_world
    request_id = w.ask([{"item_id": w.ids["rice"], "qty": 30}])
    w.approve(request_id, 30)
    document_id, _ = w.fulfil(request_id, 30)
    _reverse(app, document_id)
    with pytest.raises(stock_errors.AlreadyReversed):
        _reverse(app, document_id, note="Lagi")
    assert w.state(request_id) == ("approved", [(30, 30, 0)])
    assert w.stock.on_hand(w.ids["warehouse"], w.ids["rice"]) == 100
    _no_ledger_problems(app)


def test_a_retried_reversal_replays_and_takes_back_once(app, requests_world):
    w = requests_world
    request_id = w.ask([{"item_id": w.ids["rice"], "qty": 30}])
    w.approve(request_id, 30)
    w.fulfil(request_id, 10)
    document_id, _ = w.fulfil(request_id, 10)
    reversals = []
    for _ in range(2):
        reversals.append(w.run(operations.reverse_document, KEEPER, document_id=document_id,
                               notes="Truk salah", idempotency_key="batal-1")[0])
    assert reversals[0] == reversals[1]
    assert w.state(request_id) == ("partly_fulfilled", [(30, 30, 10)])


def test_a_reversal_of_a_cancelled_requests_release_keeps_it_cancelled(app, requests_world):
    """Delivered in part, then withdrawn; the part delivered is reversed later: the request
    stays cancelled and counts nothing delivered."""
    w = requests_world
    request_id = w.ask([{"item_id": w.ids["rice"], "qty": 30}])
    w.approve(request_id, 30)
    document_id, _ = w.fulfil(request_id, 10)
    w.run(requests.cancel_request, "staf-posko", request_id=request_id, reason="Pindah posko")
    _reverse(app, document_id)
    assert w.state(request_id) == ("cancelled", [(30, 30, 0)])
    assert _unmet(app, w) == []


_at_once = partial(at_once, refused=Conflict)


def test_two_keepers_reversing_one_release_at_once_take_it_back_once(app, requests_world):
    w = requests_world
    request_id = w.ask([{"item_id": w.ids["rice"], "qty": 60}])
    w.approve(request_id, 60)
    w.fulfil(request_id, 20)
    for _ in range(3):
        document_id, _ = w.fulfil(request_id, 10)

        def reverse(session, actor, document_id=document_id):
            operations.reverse_document(session, actor=actor, document_id=document_id,
                                        notes="Truk salah")

        outcomes = _at_once(app, [(KEEPER, reverse), (KEEPER, reverse)])
        assert sorted(outcomes) == ["AlreadyReversed", "ok"]
        assert w.state(request_id) == ("partly_fulfilled", [(60, 60, 20)])
    _no_ledger_problems(app)


def test_a_delivery_and_a_reversal_of_one_request_at_once_both_land(app, requests_world):
    """One keeper delivers the next 10 kg while another reverses the first release: they
    lock the request and the stock in one order, so neither deadlocks and both count."""
    w = requests_world
    request_id = w.ask([{"item_id": w.ids["rice"], "qty": 90}])
    w.approve(request_id, 90)
    line_id = w.line_ids(request_id)[0]
    delivered = 0
    for _ in range(3):
        document_id, _ = w.fulfil(request_id, 10)
        delivered += 10

        def reverse(session, actor, document_id=document_id):
            operations.reverse_document(session, actor=actor, document_id=document_id,
                                        notes="Truk salah")

        def deliver(session, actor):
            requests.fulfil_request(session, actor=actor, request_id=request_id,
                                    warehouse_id=w.ids["warehouse"],
                                    lines=[{"line_id": line_id, "qty": 10}], **SIGNERS)

        assert _at_once(app, [(KEEPER, reverse), (KEEPER, deliver)]) == ["ok", "ok"]
        assert w.state(request_id) == ("partly_fulfilled", [(90, 90, delivered)])
    assert w.stock.on_hand(w.ids["warehouse"], w.ids["rice"]) == 100 - delivered
    assert _delivered_rice(app, w) == delivered
    _no_ledger_problems(app)
