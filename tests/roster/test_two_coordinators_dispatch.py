"""Two coordinators sending the same volunteer and the same boat to overlapping periods at
the same moment: in threads, through the API in threads, and through two gunicorn workers as
`make run` serves the app. Exactly one dispatch wins; every other gets the 409 that names the
winner's dispatch; a retry with the same Idempotency-Key posts once. Both databases."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from app.extensions import db
from logistics.roster import dispatch as dispatch_module
from logistics.roster.deployment_models import Deployment, Dispatch
from tests.app import test_stock_http_concurrency as http
from tests.concurrency import at_once
from tests.roster.dispatch_factories import hours_from_now

gunicorn = http.gunicorn  # the fixture: two workers serving the test database
DISPATCHES = "/api/v1/roster/dispatches"


def _live(app, column, subject_id) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Deployment).where(
            column == subject_id, Deployment.status != "cancelled"))


def _dispatches(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Dispatch.number).order_by(Dispatch.id)))


def _body(posko_id, volunteer_id, boat_id, start: float, role: str = "evakuasi") -> dict:
    starts, ends = hours_from_now(start, 24)
    return {"posko_id": posko_id, "starts_at": starts.isoformat(), "ends_at": ends.isoformat(),
            "volunteers": [{"volunteer_id": volunteer_id, "role": role}],
            "equipment": [{"equipment_id": boat_id, "role": "evakuasi"}]}


def _coordinators(dispatching) -> list[str]:
    return [dispatching.coordinator(f"koordinator-{side}") for side in ("utara", "selatan")]


def _sending(posko_id, volunteer_id, boat_id, start: float, role: str):
    """One coordinator's dispatch as `at_once` runs it."""
    starts, ends = hours_from_now(start, 24)

    def work(session, actor):
        dispatch_module.dispatch(
            session, actor=actor, posko_id=posko_id, starts_at=starts, ends_at=ends,
            volunteers=[{"volunteer_id": volunteer_id, "role": role}],
            equipment=[{"equipment_id": boat_id, "role": "evakuasi"}])
    return work


def test_two_coordinators_in_threads_book_the_volunteer_and_the_boat_once(app, dispatching):
    first, second = _coordinators(dispatching)
    posko_id = dispatching.posko()
    for round_ in range(4):
        budi, boat = dispatching.volunteer(f"Budi {round_}"), dispatching.equipment()
        only_boat = round_ % 2 == 1  # the second coordinator sends another person with it
        other = dispatching.volunteer() if only_boat else budi
        outcomes = at_once(app, [(first, _sending(posko_id, budi, boat, 0, "evakuasi")),
                                 (second, _sending(posko_id, other, boat, 10, "dapur umum"))])
        expected = "EquipmentAlreadyDeployed" if only_boat else "VolunteerAlreadyDeployed"
        assert sorted(outcomes) == sorted([expected, "ok"])
        people = {budi, other}  # whoever won went; the other person was sent with nothing
        assert sum(_live(app, Deployment.volunteer_id, person) for person in people) == 1
        assert _live(app, Deployment.equipment_id, boat) == 1
    assert len(_dispatches(app)) == 4


def _posting_at_once(app, calls) -> list[tuple[int, dict]]:
    """POST each (headers, body) from its own thread and test client, released together."""
    barrier = threading.Barrier(len(calls))

    def post(call):
        client = app.test_client()
        barrier.wait()
        answer = client.post(DISPATCHES, headers=call[0], json=call[1])
        return answer.status_code, answer.get_json()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(post, calls))


def test_two_coordinators_through_the_api_at_once_one_wins_and_the_other_is_told_which(
        app, dispatching, auth):
    users = _coordinators(dispatching)
    headers = [auth.headers(user) for user in users]
    posko_id = dispatching.posko()
    for round_ in range(3):
        budi, boat = dispatching.volunteer(f"Budi {round_}"), dispatching.equipment()
        results = _posting_at_once(app, [(headers[index], _body(posko_id, budi, boat, index * 6))
                                         for index in range(2)])
        assert sorted(status for status, _ in results) == [201, 409]
        winner = next(answer for status, answer in results if status == 201)
        loser = next(answer for status, answer in results if status == 409)
        assert winner["number"] in loser["message"]
        assert f"Budi {round_}" in loser["message"]
        assert list(loser["errors"]) == ["volunteers.0.volunteer_id"]
        assert _live(app, Deployment.volunteer_id, budi) == 1
        assert _live(app, Deployment.equipment_id, boat) == 1


def _post_all(server, calls) -> list[tuple[int, dict]]:
    """POST each (body, headers) at once from eight threads."""
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda call: http._post(server.base + DISPATCHES, *call), calls))


def test_two_gunicorn_workers_dispatching_the_same_volunteer_and_boat_book_them_once(
        app, gunicorn, dispatching, auth):
    users = _coordinators(dispatching)
    headers = [auth.headers(user) for user in users]
    posko_id = dispatching.posko()
    budi, boat = dispatching.volunteer("Budi Santoso"), dispatching.equipment("Perahu Merah")
    calls = [(_body(posko_id, budi, boat, index % 5, role=f"peran {index}"),
              {**headers[index % 2], "Idempotency-Key": f"gw-{index}"}) for index in range(12)]
    results = _post_all(gunicorn, calls)
    statuses = [status for status, _ in results]
    assert statuses.count(201) == 1, results
    assert statuses.count(409) == 11
    winner = next(answer for status, answer in results if status == 201)
    for status, answer in results:
        if status == 409:
            assert winner["number"] in answer["message"]
            assert "Budi Santoso" in answer["message"]
    assert _dispatches(app) == [winner["number"]]
    assert _live(app, Deployment.volunteer_id, budi) == 1
    assert _live(app, Deployment.equipment_id, boat) == 1
    assert len(gunicorn.worker_pids(requests=12)) == 2


def test_one_dispatch_retried_across_two_workers_posts_once(app, gunicorn, dispatching, auth):
    user = _coordinators(dispatching)[0]
    posko_id = dispatching.posko()
    budi, boat = dispatching.volunteer("Budi Santoso"), dispatching.equipment()
    call = (_body(posko_id, budi, boat, 0), {**auth.headers(user),
                                             "Idempotency-Key": "sinyal-lemah-3"})
    results = _post_all(gunicorn, [call] * 16)
    assert {status for status, _ in results} == {201}
    assert len({answer["number"] for _, answer in results}) == 1
    assert len(_dispatches(app)) == 1
    assert _live(app, Deployment.volunteer_id, budi) == 1
    assert len(gunicorn.worker_pids(requests=16)) == 2
