"""Evacuee censuses: figures that add up, history kept, the latest per posko, event totals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from logistics.accounts import queries as account_queries
from logistics.calendar import field_timezone, local_today
from logistics.emergency import census, errors, events
from logistics.emergency.models import Census
from logistics.emergency.needs import Population

COUNTS = dict(households=4, male=6, female=7, under_five=2, pregnant=1, breastfeeding=1,
              elderly=2, disabled=1)


def _actor(name="emergency-admin"):
    return account_queries.get_user_by_username(db.session, name)


def _earlier(hours=1) -> datetime:
    """A moment already past today, in the field's zone (never before midnight's posko)."""
    now = datetime.now(field_timezone())
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return max(midnight, now - timedelta(hours=hours))


def _censuses() -> int:
    count = db.session.scalar(select(func.count(Census.id)))
    db.session.rollback()
    return count


def _record(posko_id, actor="emergency-admin", **changes):
    arguments = {"counted_at": _earlier(), **COUNTS, **changes}
    return census.record_census(db.session, actor=_actor(actor), posko_id=posko_id, **arguments)


def test_every_figure_that_does_not_add_up_is_refused_in_one_answer(app, emergency):
    posko_id = emergency.posko(emergency.event())
    with app.app_context():
        with pytest.raises(census.CensusRefused) as refused:
            _record(posko_id, households=12, male=5, female=4, under_five=10, elderly=9,
                    disabled=3, pregnant=5, breastfeeding=2)
        fields = {problem.field: type(problem) for problem in refused.value.problems}
        assert fields == {"households": errors.HouseholdsLargerThanPersons,
                          "under_five": errors.GroupLargerThanPersons,
                          "pregnant": errors.MothersLargerThanFemale}
        assert refused.value.problems[0].params == {"persons": 9}
        db.session.rollback()
        assert _censuses() == 0


def test_a_census_in_the_future_is_refused_beside_the_figures(app, emergency):
    posko_id = emergency.posko(emergency.event())
    with app.app_context():
        with pytest.raises(census.CensusRefused) as refused:
            _record(posko_id, counted_at=datetime.now(UTC) + timedelta(hours=2),
                    breastfeeding=8)
        assert [p.field for p in refused.value.problems] == ["counted_at", "breastfeeding"]
        assert isinstance(refused.value.problems[0], errors.CensusInFuture)
        db.session.rollback()
        assert _censuses() == 0


def test_a_typed_time_without_a_zone_is_the_field_s_local_time(app, emergency):
    posko_id = emergency.posko(emergency.event())
    typed = _earlier().replace(tzinfo=None, second=0, microsecond=0)
    with app.app_context():
        row = _record(posko_id, counted_at=typed)
        db.session.commit()
        stored = db.session.get(Census, row.id).counted_at
        assert stored == typed.replace(tzinfo=field_timezone()).astimezone(UTC)


def test_a_closed_posko_or_one_not_yet_open_takes_no_census(app, emergency):
    event_id = emergency.event()
    posko_id = emergency.posko(event_id, opened_on=local_today() - timedelta(days=2))
    with app.app_context():
        with pytest.raises(census.CensusRefused) as refused:
            _record(posko_id, counted_at=datetime.now(UTC) - timedelta(days=3))
        assert refused.value.field == "counted_at"
        db.session.rollback()
        events.change_posko(db.session, actor=_actor(), posko_id=posko_id,
                            closed_on=local_today() - timedelta(days=1))
        db.session.commit()
        with pytest.raises(errors.PoskoClosed):
            _record(posko_id)
        db.session.rollback()
        assert _censuses() == 0


def test_posko_staff_count_only_at_the_posko_they_staff(app, emergency, make_user):
    make_user(role="posko_staff", username="staf")
    event_id = emergency.event()
    theirs = emergency.posko(event_id, staff=["staf"])
    other = emergency.posko(event_id, name="Masjid")
    with app.app_context():
        with pytest.raises(errors.NotYourPosko):
            _record(other, actor="staf")
        db.session.rollback()
        _record(theirs, actor="staf")
        db.session.commit()
        assert _censuses() == 1


def test_a_retried_census_is_recorded_once(app, emergency):
    posko_id = emergency.posko(emergency.event())
    moment = _earlier(2)
    with app.app_context():
        first = _record(posko_id, idempotency_key="census-1", counted_at=moment)
        db.session.commit()
        again = _record(posko_id, idempotency_key="census-1", counted_at=moment)
        db.session.commit()
        assert again.id == first.id
        assert _censuses() == 1


def test_a_correction_is_a_new_census_and_the_history_keeps_both(app, emergency):
    posko_id = emergency.posko(emergency.event())
    moment = _earlier(2).replace(second=0, microsecond=0)
    with app.app_context():
        first = _record(posko_id, counted_at=moment, male=6)
        db.session.commit()
        # The same minute, typed again with the right figure: both stay, the later one counts.
        second = _record(posko_id, counted_at=moment, male=9)
        db.session.commit()
        history = census.census_history(db.session, posko_id)
        assert [row.id for row in history] == [second.id, first.id]
        assert history[1].male == 6
        latest = census.latest_censuses(db.session, posko_ids=[posko_id])
        assert latest[posko_id].id == second.id
        assert census.census_history(db.session, posko_id, after=second.id)[0].id == first.id


def test_the_latest_census_is_by_moment_counted_not_by_when_it_was_typed(app, emergency):
    event_id = emergency.event()
    one, two = emergency.posko(event_id), emergency.posko(event_id, name="Masjid")
    with app.app_context():
        newer = _record(one, counted_at=_earlier(1))
        _record(one, counted_at=_earlier(3), male=40)  # typed later, counted earlier
        only = _record(two)
        db.session.commit()
        latest = census.latest_censuses(db.session, event_id=event_id)
        assert {posko: row.id for posko, row in latest.items()} == {one: newer.id,
                                                                   two: only.id}


def test_event_population_sums_the_latest_census_of_each_posko_still_open(app, emergency):
    start = local_today() - timedelta(days=5)
    event_id = emergency.event(started_on=start)
    shelter = emergency.posko(event_id, opened_on=start)
    kitchen = emergency.posko(event_id, name="Dapur", kind="dapur_umum", opened_on=start)
    closed = emergency.posko(event_id, name="SD", opened_on=start)
    elsewhere = emergency.posko(emergency.event(name="Longsor"), name="Lain")
    with app.app_context():
        # An older count at the shelter, replaced by a later one.
        _record(shelter, counted_at=_earlier(30), households=1, male=1, female=1, under_five=0,
                pregnant=0, breastfeeding=0, elderly=0, disabled=0)
        _record(shelter, counted_at=_earlier(1), households=20, male=40, female=45,
                under_five=9, pregnant=3, breastfeeding=4, elderly=7, disabled=2)
        _record(kitchen, counted_at=_earlier(2), households=5, male=8, female=9,
                under_five=1, pregnant=0, breastfeeding=1, elderly=3, disabled=0)
        # Counted two days ago: a close dated yesterday cannot come before its last count.
        _record(closed, counted_at=datetime.now(field_timezone()) - timedelta(days=2),
                households=9, male=15, female=15,
                under_five=4, pregnant=1, breastfeeding=1, elderly=1, disabled=1)
        _record(elsewhere, households=50, male=100, female=100)
        db.session.commit()
        events.change_posko(db.session, actor=_actor(), posko_id=closed,
                            closed_on=local_today() - timedelta(days=1))
        db.session.commit()
        # Worked by hand: shelter 85 persons (40 + 45), kitchen 17 (8 + 9); SD closed.
        assert census.event_population(db.session, event_id) == Population(
            persons=102, households=25, under_five=10, pregnant=3, breastfeeding=5,
            elderly=10, disabled=2)
        # Closed today still counts today: it sheltered people this morning.
        assert census.event_population(
            db.session, event_id, today=local_today() - timedelta(days=1)).persons == 132


def test_the_database_refuses_incoherent_figures_as_the_last_line(app, emergency):
    posko_id = emergency.posko(emergency.event())
    with app.app_context():
        db.session.add(Census(posko_id=posko_id, counted_at=datetime.now(UTC),
                              recorded_by_id=_actor().id, **{**COUNTS, "pregnant": 8}))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_capacity_follows_the_covered_space_standard():
    from decimal import Decimal

    from logistics.emergency.needs import Standard
    standard = Standard("covered_space", Decimal("3.5"), "m2")
    assert census.capacity_of(700, standard) == 200
    assert census.capacity_of(699, standard) == 199
    assert census.capacity_of(None, standard) is None
