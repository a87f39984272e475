"""Declared unavailable periods: whole days, ends not before starts, never two overlapping for
one volunteer (also when two coordinators record at once); dispatch asks who is away."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError
from sqlalchemy import func, select

from app.extensions import db
from logistics.errors import InvalidInput
from logistics.roster import availability, errors
from logistics.roster.models import Unavailability
from logistics.roster.schemas import UnavailabilityIn
from tests.concurrency import at_once
from tests.roster.factories import COORDINATOR

DAY = date(2026, 7, 10)


def _declare(roster, volunteer_id, starts_on, ends_on, **fields):
    return availability.declare_unavailable(db.session, actor=roster.actor(),
                                            volunteer_id=volunteer_id, starts_on=starts_on,
                                            ends_on=ends_on, **fields)


def test_a_period_touching_another_of_the_same_volunteer_is_refused(app, roster):
    volunteer_id, other = roster.volunteer(), roster.volunteer()
    with app.app_context():
        _declare(roster, volunteer_id, DAY, DAY + timedelta(days=4), reason="Panen  kopi")
        for starts, ends in ((DAY + timedelta(days=4), DAY + timedelta(days=6)),  # last day
                             (DAY - timedelta(days=2), DAY),  # first day
                             (DAY + timedelta(days=1), DAY + timedelta(days=2))):  # inside
            with pytest.raises(errors.UnavailabilityOverlaps) as refused:
                _declare(roster, volunteer_id, starts, ends)
            assert refused.value.field == "starts_on"
            assert refused.value.params["starts_on"] == DAY
        _declare(roster, volunteer_id, DAY + timedelta(days=5), DAY + timedelta(days=5))
        _declare(roster, other, DAY, DAY + timedelta(days=4))  # another person: no clash
        db.session.commit()
        assert [period.reason for period in availability.periods_of(db.session,
                                                                     volunteer_id)] == [
            "Panen kopi", None]


def test_an_end_before_the_start_is_refused(app, roster):
    volunteer_id = roster.volunteer()
    with app.app_context(), pytest.raises(InvalidInput) as refused:
        _declare(roster, volunteer_id, DAY, DAY - timedelta(days=1))
    assert refused.value.field == "ends_on"
    with pytest.raises(ValidationError) as refused:
        UnavailabilityIn().load({"starts_on": "2026-07-10", "ends_on": "2026-07-09"})
    assert refused.value.messages == {"ends_on": [errors.ENDS_BEFORE_START]}


def test_who_is_away_is_asked_for_a_whole_period_in_one_go(app, roster):
    away, free, back = roster.volunteer(), roster.volunteer(), roster.volunteer()
    with app.app_context():
        _declare(roster, away, DAY, DAY + timedelta(days=2))
        _declare(roster, back, DAY - timedelta(days=5), DAY - timedelta(days=1))
        db.session.commit()
        assert availability.unavailable_volunteer_ids(db.session, DAY, DAY) == {away}
        assert availability.unavailable_volunteer_ids(
            db.session, DAY - timedelta(days=1), DAY) == {away, back}
        assert availability.is_available(db.session, free, DAY, DAY + timedelta(days=9))
        assert not availability.is_available(db.session, away, DAY + timedelta(days=2),
                                             DAY + timedelta(days=3))
        # A deployment's times are read as local days: 20:00 UTC on the 9th is the 10th in WIB.
        evening = datetime(2026, 7, 9, 20, 0, tzinfo=UTC)
        assert availability.unavailable_volunteer_ids(
            db.session, evening, evening + timedelta(hours=2)) == {away}
        clash = availability.clashing_period(db.session, away, evening, evening)
        assert clash.starts_on == DAY


def test_a_withdrawn_period_frees_the_days(app, roster):
    volunteer_id = roster.volunteer()
    with app.app_context():
        period = _declare(roster, volunteer_id, DAY, DAY)
        db.session.commit()
        availability.withdraw_unavailable(db.session, actor=roster.actor(),
                                          unavailability_id=period.id, today=DAY)
        db.session.commit()
        assert availability.is_available(db.session, volunteer_id, DAY, DAY)
        with pytest.raises(errors.UnknownUnavailability):
            availability.withdraw_unavailable(db.session, actor=roster.actor(),
                                              unavailability_id=period.id, today=DAY)


def test_two_coordinators_recording_overlapping_periods_at_once_record_one(app, roster):
    roster.coordinator("koordinator-2")
    volunteer_id = roster.volunteer()

    def declare(starts_on):
        return lambda session, actor: availability.declare_unavailable(
            session, actor=actor, volunteer_id=volunteer_id, starts_on=starts_on,
            ends_on=starts_on + timedelta(days=3))

    for attempt in range(3):
        start = DAY + timedelta(days=10 * attempt)
        outcomes = at_once(app, [(COORDINATOR, declare(start)),
                                 ("koordinator-2", declare(start + timedelta(days=1)))])
        assert sorted(outcomes) == ["UnavailabilityOverlaps", "ok"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Unavailability)) == 3


periods = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 6)), min_size=1, max_size=8)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(periods)
def test_whatever_is_declared_the_stored_periods_never_overlap(app, roster, declared):
    volunteer_id = roster.volunteer()
    with app.app_context():
        for offset, length in declared:
            starts = DAY + timedelta(days=offset)
            with contextlib.suppress(errors.UnavailabilityOverlaps):
                _declare(roster, volunteer_id, starts, starts + timedelta(days=length))
        db.session.commit()
        stored = sorted((period.starts_on, period.ends_on)
                        for period in availability.periods_of(db.session, volunteer_id))
    assert all(earlier[1] < later[0] for earlier, later in zip(stored, stored[1:], strict=False))
    offset, length = declared[0]  # the first is always taken
    first = DAY + timedelta(days=offset)
    assert (first, first + timedelta(days=length)) in stored
