"""Two coordinators dispatching one volunteer and one boat at the same moment: one wins, the
other gets the 409 naming the winner's dispatch.

Each thread has its own app context (its own session and connection) and the threads are
released together by a barrier, as in tests/emergency/test_request_races.py. On SQLite the
writers queue on the write lock taken at BEGIN IMMEDIATE; on PostgreSQL they overlap, and the
row locks taken in id order decide, with the exclusion constraint as the last guard (tested
here by a writer that skips the operation, and by an operation whose check is made to miss).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from logistics.accounts import queries as account_queries
from logistics.core.constraints import constraint_of, rule_for
from logistics.errors import Conflict
from logistics.roster import dispatch as dispatch_module
from logistics.roster import dispatch_errors as errors
from logistics.roster.deployment_models import BookedTwice, Deployment, Dispatch
from tests.roster.dispatch_factories import hours_from_now


def _at_once(app, calls) -> list[tuple[str, object]]:
    """Run each (username, arguments) dispatch in its own thread, all released together.

    Returns per call ("ok", dispatch number) or (conflict class name, the conflict); anything
    else (a deadlock, a crash) fails the test."""
    barrier = threading.Barrier(len(calls))

    def one(call):
        username, arguments = call
        barrier.wait()  # before the first query: on SQLite a session's BEGIN takes the lock
        with app.app_context():
            actor = account_queries.get_user_by_username(db.session, username)
            try:
                record = dispatch_module.dispatch(db.session, actor=actor, **arguments)
                db.session.commit()
                return "ok", record.number
            except Conflict as conflict:
                db.session.rollback()
                return type(conflict).__name__, conflict

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(one, calls))


@pytest.fixture
def checks(monkeypatch) -> list:
    """Count the overlap checks: one per dispatch when the row locks decide, a second one
    when a clash got past them and the exclusion constraint had to refuse it."""
    real, calls = dispatch_module._clashes, []

    def counted(*arguments):
        calls.append(1)
        return real(*arguments)

    monkeypatch.setattr(dispatch_module, "_clashes", counted)
    return calls


def _coordinators(dispatching, how_many=2) -> list[str]:
    return [dispatching.coordinator(f"koordinator-{index}") for index in range(how_many)]


def _live(app, column, subject_id) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Deployment).where(
            column == subject_id, Deployment.status != "cancelled"))


def test_two_coordinators_sending_one_volunteer_and_one_boat_at_once_one_wins(
        app, dispatching, checks):
    first, second = _coordinators(dispatching)
    posko_id = dispatching.posko()
    for round_ in range(3):
        budi, perahu = dispatching.volunteer(f"Budi {round_}"), dispatching.equipment()
        calls = [(user, {"posko_id": posko_id, "starts_at": starts, "ends_at": ends,
                         "volunteers": [{"volunteer_id": budi, "role": role}],
                         "equipment": [{"equipment_id": perahu, "role": "evakuasi"}]})
                 for user, (starts, ends), role in (
                     (first, hours_from_now(0, 24), "evakuasi"),
                     (second, hours_from_now(12, 24), "dapur umum"))]
        outcomes = _at_once(app, calls)
        assert sorted(kind for kind, _ in outcomes) == ["VolunteerAlreadyDeployed", "ok"]
        winner = next(value for kind, value in outcomes if kind == "ok")
        loser = next(value for kind, value in outcomes if kind != "ok")
        assert loser.params["number"] == winner
        assert loser.params["posko"] == "Balai Desa"
        assert loser.field == "volunteers.0.volunteer_id"
        assert _live(app, Deployment.volunteer_id, budi) == 1
        assert _live(app, Deployment.equipment_id, perahu) == 1
    assert dispatching.counts()[0] == 3
    assert len(checks) == 6  # the locks decided every round, not the constraint


def test_lines_in_opposite_orders_never_deadlock(app, dispatching, checks):
    first, second = _coordinators(dispatching)
    posko_id = dispatching.posko()
    crew = dispatching.volunteers(4)
    boats = [dispatching.equipment() for _ in range(3)]

    def arguments(volunteers, equipment):
        starts, ends = hours_from_now(0, 24)
        return {"posko_id": posko_id, "starts_at": starts, "ends_at": ends,
                "volunteers": [{"volunteer_id": v, "role": "logistik"} for v in volunteers],
                "equipment": [{"equipment_id": e, "role": "evakuasi"} for e in equipment]}

    outcomes = _at_once(app, [(first, arguments(crew, boats)),
                              (second, arguments(crew[::-1], boats[::-1]))])
    assert sorted(kind for kind, _ in outcomes) == ["VolunteerAlreadyDeployed", "ok"]
    assert dispatching.counts()[1] == 7
    assert len(checks) == 2


def test_many_coordinators_at_once_book_the_volunteer_exactly_once(app, dispatching, checks):
    users = _coordinators(dispatching, 6)
    posko_id, budi = dispatching.posko(), dispatching.volunteer()
    calls = [(user, {"posko_id": posko_id, "starts_at": starts, "ends_at": ends,
                     "volunteers": [{"volunteer_id": budi, "role": "logistik"}]})
             for index, user in enumerate(users)
             for starts, ends in [hours_from_now(index, 10)]]
    outcomes = _at_once(app, calls)
    assert [kind for kind, _ in outcomes].count("ok") == 1
    assert {kind for kind, _ in outcomes} == {"ok", "VolunteerAlreadyDeployed"}
    assert _live(app, Deployment.volunteer_id, budi) == 1
    assert len(checks) == 6


def test_one_dispatch_retried_by_many_threads_at_once_is_made_once(app, dispatching):
    user = dispatching.coordinator()
    posko_id, crew = dispatching.posko(), dispatching.volunteers(3)
    starts, ends = hours_from_now(0, 24)
    arguments = {"posko_id": posko_id, "starts_at": starts, "ends_at": ends,
                 "idempotency_key": "dsp-tap-tap",
                 "volunteers": [{"volunteer_id": v, "role": "logistik"} for v in crew]}
    outcomes = _at_once(app, [(user, arguments)] * 5)
    assert {outcome for outcome in outcomes} == {("ok", outcomes[0][1])}
    assert dispatching.counts() == (1, 3, 3)


def _postgresql_only(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the exclusion constraint exists on PostgreSQL only; SQLite writers "
                        "are serialised by BEGIN IMMEDIATE and the operation's check")


def test_on_postgresql_the_exclusion_constraint_refuses_an_overlap_that_skips_the_check(
        app, dispatching):
    _postgresql_only(app)
    budi, perahu = dispatching.volunteer(), dispatching.equipment()
    period = hours_from_now(0, 24)
    record = dispatching.send(period=period, volunteers=[{"volunteer_id": budi, "role": "x"}],
                              equipment=[{"equipment_id": perahu, "role": "x"}])
    with app.app_context():
        first = db.session.get(Dispatch, record)
        common = dict(dispatch_id=first.id, event_id=first.event_id, posko_id=first.posko_id,
                      role="x", starts_at=period[0] + (period[1] - period[0]) / 2,
                      ends_at=period[1] + (period[1] - period[0]))
        for subject in ({"volunteer_id": budi}, {"equipment_id": perahu}):
            db.session.add(Deployment(**subject, **common))
            with pytest.raises(IntegrityError) as raised:
                db.session.flush()
            db.session.rollback()
            constraint = constraint_of(raised.value)
            assert constraint.name == f"{next(iter(subject)).removesuffix('_id')}_never_twice"
            assert isinstance(rule_for(constraint, db.session, {}), BookedTwice)
        # A cancelled deployment holds no period, and touching periods do not overlap.
        db.session.add_all([Deployment(volunteer_id=budi, status="cancelled", **common),
                            Deployment(volunteer_id=budi, **{**common, "starts_at": period[1]})])
        db.session.flush()
        db.session.rollback()


def test_on_postgresql_a_clash_the_check_missed_is_still_named(app, dispatching, monkeypatch):
    _postgresql_only(app)
    budi = dispatching.volunteer("Budi")
    first = dispatching.send(period=hours_from_now(0, 24),
                             volunteers=[{"volunteer_id": budi, "role": "logistik"}])
    real, calls = dispatch_module._clashes, []

    def blind_once(*arguments):
        calls.append(1)
        return [] if len(calls) == 1 else real(*arguments)

    monkeypatch.setattr(dispatch_module, "_clashes", blind_once)
    before = dispatching.counts()
    with pytest.raises(errors.VolunteerAlreadyDeployed) as raised:
        dispatching.send(period=hours_from_now(6, 24),
                         volunteers=[{"volunteer_id": budi, "role": "logistik"}])
    assert len(calls) == 2  # the check missed; the constraint fired; the clash was read again
    assert raised.value.params["number"] == dispatching.number(first)
    assert dispatching.counts() == before
