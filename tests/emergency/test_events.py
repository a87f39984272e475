"""Events, their status decrees and posko: the rules coordinators rely on."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from logistics.accounts import queries as account_queries
from logistics.calendar import local_today
from logistics.emergency import errors, events, requests
from logistics.emergency.deliveries import status_in_force
from logistics.emergency.models import EmergencyStatus, Posko
from logistics.errors import DomainError, InvalidInput, PermissionDenied
from tests.emergency.request_factories import (  # noqa: F401  (the fixture)
    COORDINATOR,
    STAFF,
    requests_world_fixture,
)

TODAY = local_today()


def _actor(name="emergency-admin"):
    return account_queries.get_user_by_username(db.session, name)


def test_a_posko_point_outside_its_desa_is_refused(app, emergency):
    event_id = emergency.event()
    with app.app_context(), pytest.raises(errors.PointOutsideDesa) as refused:
        events.open_posko(db.session, actor=_actor(), event_id=event_id, name="Masjid",
                          kind="posko_lapangan", desa_code=emergency.DESA,
                          longitude=102.15, latitude=-3.45)  # in the neighbouring desa
    assert refused.value.field == "latitude"
    emergency.posko(event_id, point=(102.15, -3.45), desa_code=emergency.OTHER_DESA)


def test_a_desa_outside_the_event_takes_no_posko(app, emergency):
    event_id = emergency.event()
    with app.app_context(), pytest.raises(errors.DesaOutsideEvent):
        events.open_posko(db.session, actor=_actor(), event_id=event_id, name="SD 1",
                          kind="posko_lapangan", desa_code=emergency.OUTSIDE_DESA)


def test_a_new_decree_ends_the_one_before_and_never_overlaps(app, emergency):
    start = local_today() - timedelta(days=10)
    event_id = emergency.event(started_on=start, status="siaga_darurat")
    with app.app_context():
        events.record_status(db.session, actor=_actor(), event_id=event_id,
                             phase="tanggap_darurat", decree_number="SK 2",
                             starts_on=start + timedelta(days=2))
        db.session.commit()
        first, second = db.session.query(EmergencyStatus).order_by(EmergencyStatus.id)
        assert first.ends_on == start + timedelta(days=1)
        assert status_in_force(db.session, event_id, start + timedelta(days=1)).id == first.id
        assert status_in_force(db.session, event_id, local_today()).id == second.id
        with pytest.raises(errors.StatusOverlaps):
            events.record_status(db.session, actor=_actor(), event_id=event_id,
                                 phase="transisi_darurat", decree_number="SK 3",
                                 starts_on=start + timedelta(days=2))
        with pytest.raises(errors.PhaseGoesBack):
            events.record_status(db.session, actor=_actor(), event_id=event_id,
                                 phase="siaga_darurat", decree_number="SK 3",
                                 starts_on=start + timedelta(days=5))


def test_an_event_needs_a_kecamatan_or_desa_of_the_kabupaten(app, emergency):
    emergency.ensure_regions()
    emergency.make_user(role="coordinator", username="emergency-admin")
    with app.app_context():
        for codes in ([], ["17.03"], ["99.99.99"]):
            with pytest.raises(InvalidInput) as refused:
                events.open_new_event(db.session, actor=_actor(), hazard="banjir", name="x",
                                      started_on=local_today(), region_codes=codes)
            assert refused.value.field == "region_codes"


def test_posko_staff_cannot_open_events_or_posko(app, emergency, make_user):
    event_id = emergency.event()
    make_user(role="posko_staff", username="staf")
    with app.app_context(), pytest.raises(PermissionDenied):
        events.open_posko(db.session, actor=_actor("staf"), event_id=event_id, name="x",
                          kind="dapur_umum", desa_code=emergency.DESA)


def test_a_retried_posko_opens_once(app, emergency):
    event_id = emergency.event()
    with app.app_context():
        arguments = dict(actor=_actor(), event_id=event_id, name="Dapur umum",
                         kind="dapur_umum", desa_code=emergency.DESA, idempotency_key="k1")
        first = events.open_posko(db.session, **arguments)
        db.session.commit()
        again = events.open_posko(db.session, **arguments)
        db.session.commit()
        assert first.id == again.id
        assert db.session.query(Posko).count() == 1


def _two_statuses(app, emergency):
    """Siaga from D-10 (ended D-6 by the next), tanggap darurat from D-5: the ids."""
    event_id = emergency.event(started_on=TODAY - timedelta(days=10))
    with app.app_context():
        alert = events.record_status(db.session, actor=_actor(), event_id=event_id,
                                     phase="siaga_darurat", decree_number="SK 1",
                                     starts_on=TODAY - timedelta(days=10))
        response = events.record_status(db.session, actor=_actor(), event_id=event_id,
                                        phase="tanggap_darurat", decree_number="SK 2",
                                        starts_on=TODAY - timedelta(days=5))
        db.session.commit()
        return event_id, alert.id, response.id


def _spans(app, event_id):
    with app.app_context():
        return [(s.decree_number, s.starts_on, s.ends_on) for s in db.session.scalars(
            select(EmergencyStatus).where(EmergencyStatus.event_id == event_id)
            .order_by(EmergencyStatus.starts_on))]


def test_a_status_ends_early_only_before_the_next_one_starts(app, emergency):
    event_id, alert_id, _ = _two_statuses(app, emergency)
    with app.app_context():
        with pytest.raises(errors.StatusOverlaps) as refused:
            events.end_status(db.session, actor=_actor(), status_id=alert_id,
                              ends_on=TODAY - timedelta(days=5))
        assert refused.value.field == "ends_on"
        assert refused.value.params == {"decree": "SK 2", "day": TODAY - timedelta(days=5)}
        db.session.rollback()
        events.end_status(db.session, actor=_actor(), status_id=alert_id,
                          ends_on=TODAY - timedelta(days=8))  # shortened: the SK revoked
        db.session.commit()
    assert _spans(app, event_id) == [("SK 1", TODAY - timedelta(days=10),
                                      TODAY - timedelta(days=8)),
                                     ("SK 2", TODAY - timedelta(days=5), None)]


def test_the_last_status_ends_on_any_day_after_it_starts(app, emergency):
    event_id, _, last_id = _two_statuses(app, emergency)
    with app.app_context():
        with pytest.raises(InvalidInput) as refused:
            events.end_status(db.session, actor=_actor(), status_id=last_id,
                              ends_on=TODAY - timedelta(days=6))
        assert refused.value.field == "ends_on"
        db.session.rollback()
        events.end_status(db.session, actor=_actor(), status_id=last_id, ends_on=TODAY)
        db.session.commit()
    assert _spans(app, event_id)[-1] == ("SK 2", TODAY - timedelta(days=5), TODAY)


def test_ending_an_unknown_status_names_the_status_not_the_event(app, emergency):
    emergency.event()
    with app.app_context(), pytest.raises(errors.UnknownStatus) as refused:
        events.end_status(db.session, actor=_actor(), status_id=2_000_000, ends_on=TODAY)
    assert refused.value.field == "status_id"
    assert not isinstance(refused.value, errors.UnknownEvent)


def test_ending_a_status_while_the_next_is_recorded_never_overlaps(app, emergency):
    """One coordinator ends the siaga on D-1 while another records tanggap darurat from D-5:
    whichever goes first, the other is refused or adjusts; no day has two decrees."""
    for round_ in range(5):
        event_id = emergency.event(started_on=TODAY - timedelta(days=10), name=f"B{round_}")
        with app.app_context():
            alert_id = events.record_status(
                db.session, actor=_actor(), event_id=event_id, phase="siaga_darurat",
                decree_number="SK 1", starts_on=TODAY - timedelta(days=10)).id
            db.session.commit()
        barrier = threading.Barrier(2)

        def one(which, event_id=event_id, alert_id=alert_id, barrier=barrier):
            with app.app_context():
                actor = _actor()
                db.session.rollback()
                barrier.wait()
                try:
                    if which:
                        events.end_status(db.session, actor=actor, status_id=alert_id,
                                          ends_on=TODAY - timedelta(days=1))
                    else:
                        events.record_status(db.session, actor=actor, event_id=event_id,
                                             phase="tanggap_darurat", decree_number="SK 2",
                                             starts_on=TODAY - timedelta(days=5))
                    db.session.commit()
                except DomainError:
                    db.session.rollback()

        with ThreadPoolExecutor(2) as pool:
            list(pool.map(one, range(2)))
        spans = _spans(app, event_id)
        for (_, _, ends_on), (_, next_starts, _) in zip(spans, spans[1:], strict=False):
            assert ends_on is not None, spans
            assert ends_on < next_starts, spans


def test_a_posko_with_open_requests_is_not_closed_until_they_are_done(app, requests_world):
    """Submitted and approved requests hold the posko open (no release could reach it
    after); the refusal names them. Once cancelled, the posko closes."""
    w = requests_world
    submitted = w.ask([{"item_id": w.ids["rice"], "qty": 10}])
    approved = w.ask([{"item_id": w.ids["rice"], "qty": 20}])
    w.approve(approved, 20)
    w.ask([{"item_id": w.ids["soap"], "qty": 5}], submit=False)  # a draft waits for no one
    with app.app_context():
        with pytest.raises(errors.PoskoHasOpenRequests) as refused:
            events.change_posko(db.session, actor=_actor(COORDINATOR), posko_id=w.ids["posko"],
                                closed_on=TODAY)
        db.session.rollback()
        numbers = [requests.request_or_fail(db.session, i).number for i in (submitted, approved)]
        assert db.session.get(Posko, w.ids["posko"]).closed_on is None
    assert refused.value.field == "closed_on"
    assert refused.value.params["numbers"] == ", ".join(numbers)
    for request_id in (submitted, approved):
        w.run(requests.cancel_request, STAFF, request_id=request_id, reason="Posko tutup")
    with app.app_context():
        events.change_posko(db.session, actor=_actor(COORDINATOR), posko_id=w.ids["posko"],
                            closed_on=TODAY)
        db.session.commit()
        assert db.session.get(Posko, w.ids["posko"]).closed_on == TODAY
