"""Probes against issue 17 (events, posko, census, assessments, Kobo import, requests).

Written the way users break things: a release reversed after it met a request, an event
ended while its decree runs, a status stretched over the next one, an edited Kobo submission
pointing at another event's household, two assessors importing one export at once, a posko
closed with requests still open. Each test states what a user relies on; the ones that fail
name a defect (see the review report).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from logistics.accounts import queries as account_queries
from logistics.calendar import local_today
from logistics.emergency import census, events, overview, request_queries, requests
from logistics.emergency.models import EmergencyStatus, Event
from logistics.emergency.request_models import RequestStatus
from logistics.errors import Conflict, DomainError, PermissionDenied
from logistics.stock import operations
from logistics.stock.documents import Document
from logistics.stock.verify import ledger_problems
from tests.emergency.request_factories import (  # noqa: F401  (the fixture)
    COORDINATOR,
    KEEPER,
    SIGNERS,
    STAFF,
    requests_world_fixture,
)

TODAY = local_today()


def _user(name):
    return account_queries.get_user_by_username(db.session, name)


def _no_ledger_problems(app):
    with app.app_context():
        assert ledger_problems(db.session) == []


def _release_to_posko(app, world, posko_id, qty=5, **fields):
    """A plain release (not for a request) of rice to ``posko_id``; returns the document."""
    with app.app_context():
        document = operations.issue_stock(
            db.session, actor=_user(KEEPER), warehouse_id=world.ids["warehouse"],
            lines=[{"item_id": world.ids["rice"], "qty": qty}], posko_id=posko_id,
            **SIGNERS, **fields)
        db.session.commit()
        return document.id, document.authority_ref


# --- requests and the stock they move ---------------------------------------------------------

def test_reversing_a_release_made_for_a_request_reopens_what_it_delivered(app, requests_world):
    """A keeper delivers 30 kg for an approved request, then reverses the release (wrong
    truck, goods never left). The rice is back on the shelf and the overview counts nothing
    delivered; the request must not go on saying it was met: either the reversal is refused
    while it backs a request, or the line is open again (listed unmet, deliverable)."""
    w = requests_world
    request_id = w.ask([{"item_id": w.ids["rice"], "qty": 30}])
    w.approve(request_id, 30)
    document_id, _ = w.fulfil(request_id, 30)
    assert w.state(request_id) == ("fulfilled", [(30, 30, 30)])
    with app.app_context():
        try:
            operations.reverse_document(db.session, actor=_user(KEEPER),
                                        document_id=document_id, notes="Truk salah")
            db.session.commit()
            reversed_ = True
        except DomainError:
            db.session.rollback()
            reversed_ = False
    assert reversed_, "the goods are back on the shelf: the reversal must post"
    if reversed_:
        status, lines = w.state(request_id)
        assert lines == [(30, 30, 0)], "fulfilled_qty still counts a reversed release"
        assert status in (RequestStatus.APPROVED, RequestStatus.PARTLY_FULFILLED)
        with app.app_context():
            unmet = request_queries.unmet_lines(db.session, w.ids["event"])
            assert [(u.request.id, u.missing) for u in unmet] == [(request_id, 30)]
            needs = overview.posko_needs(db.session, w.ids["posko"], today=TODAY)[0]
            assert all(line.coverage.delivered == 0 for line in needs.lines
                       if line.main_item and line.main_item.id == w.ids["rice"])
    _no_ledger_problems(app)


def test_the_same_item_on_two_lines_is_met_in_one_release_and_the_ledger_agrees(
        app, requests_world):
    """Two lines of rice (a posko asks again on the same form): both are approved and met in
    one release without offering the same kilos twice; the stock falls by the sum."""
    w = requests_world
    request_id = w.ask([{"item_id": w.ids["rice"], "qty": 40},
                        {"item_id": w.ids["rice"], "qty": 35},
                        {"item_id": w.ids["soap"], "qty": 40}])
    w.approve(request_id, 40, 35, 40)
    w.fulfil(request_id, 40, 35, 40)
    assert w.state(request_id) == ("fulfilled", [(40, 40, 40), (35, 35, 35), (40, 40, 40)])
    assert w.stock.on_hand(w.ids["warehouse"], w.ids["rice"]) == 25
    assert w.stock.on_hand(w.ids["warehouse"], w.ids["soap"]) == 0
    _no_ledger_problems(app)


def test_two_lines_of_one_item_cannot_take_more_than_the_shelf_holds(app, requests_world):
    """60 + 60 kg of rice approved against 100 on the shelf: one release of both is refused
    whole (nothing posted, nothing counted as fulfilled), the stock never goes negative."""
    w = requests_world
    request_id = w.ask([{"item_id": w.ids["rice"], "qty": 60},
                        {"item_id": w.ids["rice"], "qty": 60}])
    w.approve(request_id, 60, 60)
    with pytest.raises(DomainError):
        w.fulfil(request_id, 60, 60)
    assert w.state(request_id) == ("approved", [(60, 60, 0), (60, 60, 0)])
    assert w.stock.on_hand(w.ids["warehouse"], w.ids["rice"]) == 100
    _no_ledger_problems(app)


def test_a_retried_delivery_after_midnight_posts_once(app, requests_world):
    """The keeper's phone resends the delivery the next morning with the same key."""
    w = requests_world
    request_id = w.ask([{"item_id": w.ids["rice"], "qty": 30}])
    w.approve(request_id, 30)
    first = w.fulfil(request_id, 20, idempotency_key="kirim-1", today=TODAY)
    again = w.fulfil(request_id, 20, idempotency_key="kirim-1",
                     today=TODAY + timedelta(days=1))
    assert again == first
    assert w.releases() == 1
    assert w.state(request_id) == ("partly_fulfilled", [(30, 30, 20)])
    assert w.stock.on_hand(w.ids["warehouse"], w.ids["rice"]) == 80


def test_a_cancelled_request_is_not_delivered(app, requests_world):
    w = requests_world
    request_id = w.ask([{"item_id": w.ids["rice"], "qty": 30}])
    w.approve(request_id, 30)
    w.run(requests.cancel_request, STAFF, request_id=request_id, reason="Pengungsi pulang")
    with pytest.raises(Conflict):
        w.fulfil(request_id, 30)
    assert w.releases() == 0
    assert w.state(request_id) == ("cancelled", [(30, 30, 0)])


def _end_event(app, event_id, ended_on):
    with app.app_context():
        events.change_event(db.session, actor=_user(COORDINATOR), event_id=event_id,
                            ended_on=ended_on)
        db.session.commit()


def test_a_request_of_an_ended_event_cannot_be_approved(app, requests_world):
    """The event ended yesterday: no posko of it asks any more (request_stock refuses), so a
    request left in the queue must not be approved either, which would send a keeper out."""
    w = requests_world
    request_id = w.ask([{"item_id": w.ids["rice"], "qty": 30}])
    _end_event(app, w.ids["event"], TODAY - timedelta(days=1))
    with pytest.raises(DomainError):
        w.approve(request_id, 30)
    assert w.state(request_id) == ("submitted", [(30, None, 0)])


def test_a_request_of_an_ended_event_is_not_delivered_after_the_end(app, requests_world):
    """Approved before the end, delivered after it: the release would go to a posko of an
    event that is over, citing an SK of that event. Refused; nothing leaves."""
    w = requests_world
    request_id = w.ask([{"item_id": w.ids["rice"], "qty": 30}])
    w.approve(request_id, 30)
    _end_event(app, w.ids["event"], TODAY - timedelta(days=1))
    with pytest.raises(DomainError):
        w.fulfil(request_id, 30)
    assert w.releases() == 0
    assert w.stock.on_hand(w.ids["warehouse"], w.ids["rice"]) == 100


def test_closing_a_posko_leaves_no_request_of_it_waiting_for_ever(app, requests_world,
                                                                   emergency):
    """The posko closed yesterday with an approved request still open. No release can reach
    it any more (PoskoClosed), so the request must not stay in the coordinator's queue and
    the event's unmet list for ever: either closing is refused while requests are open, or
    they leave the open statuses (cancelled with a reason)."""
    w = requests_world
    w.ids["posko"] = emergency.posko(w.ids["event"], name="Posko sekolah", staff=[STAFF],
                                     opened_on=TODAY - timedelta(days=3))
    request_id = w.ask([{"item_id": w.ids["rice"], "qty": 30}])
    w.approve(request_id, 30)
    with app.app_context():
        try:
            events.change_posko(db.session, actor=_user(COORDINATOR), posko_id=w.ids["posko"],
                                closed_on=TODAY - timedelta(days=1))
            db.session.commit()
            closed = True
        except DomainError:
            db.session.rollback()
            closed = False
    if closed:
        with app.app_context():
            assert request_id not in {r.id for r in request_queries.queue(db.session)}
            assert request_queries.unmet_lines(db.session, w.ids["event"]) == []
        assert w.state(request_id)[0] not in (RequestStatus.APPROVED,
                                              RequestStatus.PARTLY_FULFILLED)


# --- the emergency gate -----------------------------------------------------------------------

def test_the_gate_holds_on_the_first_and_the_last_day_of_a_status_and_not_after(
        app, requests_world):
    """A decree from D-3 to D-1 (both inclusive): a release dated on either boundary cites it;
    dated today it cites nothing (outside the lumbung a release needs no order)."""
    w = requests_world
    start, end = TODAY - timedelta(days=3), TODAY - timedelta(days=1)
    with app.app_context():
        status = db.session.scalar(select(EmergencyStatus)
                                   .where(EmergencyStatus.event_id == w.ids["event"]))
        assert status.starts_on == start
        status.ends_on = end
        decree = status.decree_number
        db.session.commit()
    assert _release_to_posko(app, w, w.ids["posko"], document_date=start)[1] == decree
    assert _release_to_posko(app, w, w.ids["posko"], document_date=end)[1] == decree
    assert _release_to_posko(app, w, w.ids["posko"], document_date=TODAY)[1] is None
    assert w.stock.on_hand(w.ids["warehouse"], w.ids["rice"]) == 85
    _no_ledger_problems(app)


def test_ending_an_event_shuts_the_emergency_gate_for_its_posko(app, emergency, stock,
                                                                 make_user):
    """The event ended two days ago but its tanggap darurat SK was recorded open-ended (the
    usual case: the end of a status is typed only when the next one starts). A release to
    its posko today must not carry that SK past the event's end, which would open the
    lumbung's gate by itself: it is refused, or it needs a written order."""
    keeper = make_user("warehouse_keeper")
    site = stock.warehouse(kind="lumbung_sosial", keepers=[keeper])
    rice = stock.item(code="BRS", base_unit="kg")
    stock.receive(site, rice, 100)
    event = emergency.event(status="tanggap_darurat", started_on=TODAY - timedelta(days=10))
    posko = emergency.posko(event, opened_on=TODAY - timedelta(days=10))
    with app.app_context():
        events.change_event(db.session, actor=_user("emergency-admin"), event_id=event,
                            ended_on=TODAY - timedelta(days=2))
        db.session.commit()
    with app.app_context():
        try:
            document = operations.issue_stock(
                db.session, actor=_user(keeper), warehouse_id=site,
                lines=[{"item_id": rice, "qty": 5}], posko_id=posko, **SIGNERS)
            db.session.commit()
            cited = document.authority_ref
        except DomainError:
            db.session.rollback()
            cited = None
    assert cited is None, f"a release after the event's end cites {cited!r}"
    _no_ledger_problems(app)


def test_ending_a_status_early_cannot_stretch_it_over_the_next_decree(app, emergency):
    """Siaga from D-10, tanggap darurat from D-5 (siaga then ends D-6). A coordinator
    'ends' the siaga on D-1 by mistake (end_status): two decrees would be in force on D-5
    to D-1, and a release would cite the wrong one. Refused like record_status refuses an
    overlap (StatusOverlaps)."""
    event = emergency.event(started_on=TODAY - timedelta(days=10))
    with app.app_context():
        admin = _user("emergency-admin")
        alert = events.record_status(db.session, actor=admin, event_id=event,
                                     phase="siaga_darurat", decree_number="SK 1/2026",
                                     starts_on=TODAY - timedelta(days=10))
        events.record_status(db.session, actor=admin, event_id=event, phase="tanggap_darurat",
                             decree_number="SK 2/2026", starts_on=TODAY - timedelta(days=5))
        db.session.commit()
        alert_id = alert.id
    with app.app_context():
        with pytest.raises(DomainError):
            events.end_status(db.session, actor=_user("emergency-admin"), status_id=alert_id,
                              ends_on=TODAY - timedelta(days=1))
        db.session.rollback()
        statuses = db.session.scalars(select(EmergencyStatus).where(
            EmergencyStatus.event_id == event).order_by(EmergencyStatus.starts_on)).all()
        assert [(s.starts_on, s.ends_on) for s in statuses] == [
            (TODAY - timedelta(days=10), TODAY - timedelta(days=6)),
            (TODAY - timedelta(days=5), None)]


def test_a_release_cannot_be_dated_before_its_posko_opened(app, requests_world, emergency):
    """A posko opened today; a BAST to it dated last week names a place that did not exist."""
    w = requests_world
    posko = emergency.posko(w.ids["event"], name="Posko baru", opened_on=TODAY)
    with pytest.raises(DomainError):
        _release_to_posko(app, w, posko, document_date=TODAY - timedelta(days=2))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Document)
                                 .where(Document.recipient_name.like("Posko baru%"))) == 0


# --- census ----------------------------------------------------------------------------------

def test_the_latest_census_at_equal_times_is_the_later_record(app, requests_world):
    """Two volunteers count at the same minute (one corrects the other): the later record
    counts. The minute is an hour ago, so the probe holds at any hour of the field's day."""
    w = requests_world
    moment = (datetime.now(UTC) - timedelta(hours=1)).replace(second=0, microsecond=0)
    with app.app_context():
        for male in (10, 12):
            census.record_census(db.session, actor=_user(STAFF), posko_id=w.ids["posko"],
                                 counted_at=moment, households=3, male=male, female=8)
        db.session.commit()
        latest = census.latest_censuses(db.session, event_id=w.ids["event"])
        assert latest[w.ids["posko"]].male == 12
        assert census.event_population(db.session, w.ids["event"]).persons == 20
        needs = overview.event_needs(db.session, w.ids["event"], today=TODAY)
        assert needs.population.persons == 20


def test_staff_of_one_posko_cannot_count_at_another(app, requests_world, emergency):
    w = requests_world
    other = emergency.posko(w.ids["event"], name="Posko lain")
    with app.app_context():
        with pytest.raises(PermissionDenied):
            census.record_census(db.session, actor=_user(STAFF), posko_id=other,
                                 counted_at=datetime.now(UTC), households=1, male=1, female=0)
        db.session.rollback()
        with pytest.raises(PermissionDenied):
            requests.request_stock(db.session, actor=_user(STAFF), posko_id=other,
                                   lines=[{"item_id": w.ids["rice"], "qty": 1}])


def test_the_event_totals_ignore_an_ended_events_leftover_census(app, emergency):
    """Sanity of the event id filter: a census of one event's posko never counts in another."""
    a, b = emergency.event(name="A"), emergency.event(name="B")
    pa = emergency.posko(a)
    with app.app_context():
        census.record_census(db.session, actor=_user("emergency-admin"), posko_id=pa,
                             counted_at=datetime.now(UTC) - timedelta(minutes=5),
                             households=2, male=3, female=4)
        db.session.commit()
        assert census.event_population(db.session, a).persons == 7
        assert census.event_population(db.session, b).persons == 0
        assert db.session.get(Event, b).ended_on is None
