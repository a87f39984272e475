"""Nothing new is asked of a closed posko: not asked, not sent, not approved, also when the
close and the request come at once (the close found nothing waiting; nothing may wait after).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import update

from app.extensions import db
from logistics.accounts import queries as account_queries
from logistics.calendar import local_today
from logistics.emergency import events, requests
from logistics.emergency.errors import EventEnded, PoskoClosed
from logistics.emergency.models import Posko
from logistics.errors import Conflict
from tests.emergency.request_factories import (  # noqa: F401  (the fixture)
    COORDINATOR,
    STAFF,
    requests_world_fixture,
)

TODAY = local_today()


def _close(w, day=TODAY):
    with w.app.app_context():
        actor = account_queries.get_user_by_username(db.session, COORDINATOR)
        events.change_posko(db.session, actor=actor, posko_id=w.ids["posko"], closed_on=day)
        db.session.commit()


def test_a_posko_closed_today_takes_no_new_request(requests_world):
    w = requests_world
    _close(w)
    with pytest.raises(PoskoClosed) as refused:
        w.ask()
    assert refused.value.field == "posko_id"


def test_a_draft_of_a_posko_closed_since_cannot_be_sent(requests_world):
    w = requests_world
    request_id = w.ask(submit=False)
    _close(w, day=TODAY - timedelta(days=1))  # a draft does not hold the close up
    with pytest.raises(PoskoClosed):
        w.run(requests.submit_request, STAFF, request_id=request_id)
    assert w.state(request_id)[0] == "draft"


def test_a_request_left_waiting_on_a_closed_posko_is_not_approved(app, requests_world):
    """A request sent before the close was guarded (as a race once could leave one)."""
    w = requests_world
    request_id = w.ask()
    with app.app_context():
        db.session.execute(update(Posko).where(Posko.id == w.ids["posko"])
                           .values(closed_on=TODAY))
        db.session.commit()
    with pytest.raises(PoskoClosed):
        w.approve(request_id, 50)
    assert w.state(request_id) == ("submitted", [(50, None, 0)])


def test_sending_and_approving_for_a_closed_posko_answer_409(app, client, auth,
                                                             requests_world):
    w = requests_world
    draft = w.ask(submit=False)
    sent = w.ask()
    with app.app_context():
        db.session.execute(update(Posko).where(Posko.id == w.ids["posko"])
                           .values(closed_on=TODAY))
        db.session.commit()
    answer = client.post(f"/api/v1/emergency/requests/{draft}/submit",
                         headers=auth.headers(STAFF))
    assert answer.status_code == 409
    assert answer.get_json()["message"]
    line_id = w.line_ids(sent)[0]
    answer = client.post(f"/api/v1/emergency/requests/{sent}/approve",
                         json={"lines": [{"line_id": line_id, "approved_qty": 50}]},
                         headers=auth.headers(COORDINATOR))
    assert answer.status_code == 409
    answer = client.post(f"/api/v1/emergency/posko/{w.ids['posko']}/requests",
                         json={"lines": [{"item_id": w.ids["rice"], "qty": 5}]},
                         headers=auth.headers(STAFF))
    assert answer.status_code == 409
    assert w.state(draft)[0] == "draft"
    assert w.state(sent)[0] == "submitted"


def test_a_close_and_a_new_request_at_once_never_leave_a_request_on_a_closed_posko(
        app, emergency, requests_world):
    w = requests_world
    for round_ in range(4):
        posko_id = emergency.posko(w.ids["event"], name=f"Posko {round_}", staff=[STAFF],
                                   opened_on=TODAY - timedelta(days=2))
        barrier = threading.Barrier(2)

        def one(call, posko_id=posko_id, barrier=barrier):
            username, work = call
            barrier.wait()
            with app.app_context():
                actor = account_queries.get_user_by_username(db.session, username)
                try:
                    work(db.session, actor, posko_id)
                    db.session.commit()
                    return "ok"
                except Conflict as conflict:
                    db.session.rollback()
                    return type(conflict).__name__

        def ask(session, actor, posko_id):
            requests.request_stock(session, actor=actor, posko_id=posko_id, submit=True,
                                   lines=[{"item_id": w.ids["rice"], "qty": 10}])

        def close(session, actor, posko_id):
            events.change_posko(session, actor=actor, posko_id=posko_id, closed_on=TODAY)

        with ThreadPoolExecutor(2) as pool:
            outcomes = list(pool.map(one, [(STAFF, ask), (COORDINATOR, close)]))
        assert outcomes in (["ok", "PoskoHasOpenRequests"], ["PoskoClosed", "ok"])


def test_delivering_an_approved_request_after_its_event_ended_is_refused_whole(
        app, requests_world):
    """As designed (issue 17 review): a release to a posko of an ended event is refused with
    EventEnded (409), a delivery for a request approved before the end too; nothing posts."""
    w = requests_world
    request_id = w.ask([{"item_id": w.ids["rice"], "qty": 30}])
    w.approve(request_id, 30)
    w.run(events.change_event, COORDINATOR, event_id=w.ids["event"],
          ended_on=TODAY - timedelta(days=1))
    with pytest.raises(EventEnded):
        w.fulfil(request_id, 30)
    assert w.state(request_id) == ("approved", [(30, 30, 0)])
    assert w.releases() == 0
    assert w.stock.on_hand(w.ids["warehouse"], w.ids["rice"]) == 100
