"""Events, their status decrees and posko: the rules coordinators rely on."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db
from logistics.accounts import queries as account_queries
from logistics.calendar import local_today
from logistics.emergency import errors, events
from logistics.emergency.deliveries import status_in_force
from logistics.emergency.models import EmergencyStatus, Posko
from logistics.errors import InvalidInput, PermissionDenied


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
