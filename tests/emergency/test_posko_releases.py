"""Releases to a posko (issue 17): the posko is named by its record, and an emergency status in
force on the release's date opens the lumbung sosial's gate by itself, citing its SK."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from logistics.accounts import queries as account_queries
from logistics.calendar import local_today
from logistics.emergency import events
from logistics.emergency.errors import PoskoClosed
from logistics.emergency.models import EmergencyStatus, Posko
from logistics.emergency.request_models import PoskoDelivery
from logistics.errors import InvalidInput
from logistics.stock import errors, operations
from logistics.stock.documents import Document

TODAY = local_today()
SIGNERS = {"giver_name": "Siti Aminah", "receiver_name": "Rahmat Hidayat",
           "witness_name": "Kepala Desa Kahyapu"}
WRITTEN_ORDER = "Surat Perintah Kepala Dinas Sosial No. 460/88/Dinsos/2026"


def _user(name):
    return account_queries.get_user_by_username(db.session, name)


@pytest.fixture
def lumbung(stock, make_user):
    """A lumbung sosial holding rice, and a keeper of it."""
    keeper = make_user("warehouse_keeper")
    site = stock.warehouse(kind="lumbung_sosial", keepers=[keeper])
    rice = stock.item(code="BRS", name_id="Beras", category="pangan", base_unit="kg")
    stock.receive(site, rice, 500)
    return {"site": site, "rice": rice, "keeper": keeper}


def _release(lumbung, **fields):
    """Release 10 kg of rice from the lumbung, as its keeper (in an app context)."""
    return operations.issue_stock(
        db.session, actor=_user(lumbung["keeper"]), warehouse_id=lumbung["site"],
        lines=[{"item_id": lumbung["rice"], "qty": 10}], **{**SIGNERS, **fields})


def _refused(lumbung, error, **fields):
    """The release is refused with ``error``; nothing is written. Returns the refusal."""
    documents, deliveries = _counts()
    with pytest.raises(error) as refused:
        _release(lumbung, **fields)
    db.session.rollback()
    assert _counts() == (documents, deliveries)
    return refused.value


def _counts():
    return (db.session.scalar(select(func.count()).select_from(Document)),
            db.session.scalar(select(func.count()).select_from(PoskoDelivery)))


def _status(event_id):
    return db.session.scalar(select(EmergencyStatus).where(EmergencyStatus.event_id == event_id)
                             .order_by(EmergencyStatus.starts_on))


def test_a_release_to_a_posko_in_tanggap_darurat_cites_its_sk_and_names_the_posko(
        app, emergency, lumbung):
    event = emergency.event(status="tanggap_darurat")
    posko = emergency.posko(event, name="Balai Desa Kahyapu")
    with app.app_context():
        document = _release(lumbung, posko_id=posko)  # no kind, no name, no authority typed
        db.session.commit()
        status, shelter = _status(event), db.session.get(Posko, posko)
        assert document.authority_ref == status.decree_number == f"SK Bupati 360/{event}/2026"
        assert document.recipient_kind == "posko"
        assert document.recipient_name == f"Balai Desa Kahyapu ({shelter.code})"
        delivery = db.session.get(PoskoDelivery, document.id)
        assert (delivery.posko_id, delivery.event_id, delivery.emergency_status_id) == (
            posko, event, status.id)
        delivered = db.session.scalar(
            select(func.count()).select_from(PoskoDelivery).where(PoskoDelivery.posko_id == posko))
        assert delivered == 1


def test_a_public_kitchen_is_released_to_as_one(app, emergency, lumbung):
    event = emergency.event(status="tanggap_darurat")
    kitchen = emergency.posko(event, name="Dapur Umum Masjid Al-Ikhlas", kind="dapur_umum")
    with app.app_context():
        document = _release(lumbung, posko_id=kitchen)
        db.session.commit()
        assert document.recipient_kind == "dapur_umum"
        assert document.recipient_name.startswith("Dapur Umum Masjid Al-Ikhlas (")


def test_the_posko_named_wins_over_a_typed_recipient(app, emergency, lumbung):
    event = emergency.event(status="tanggap_darurat")
    posko = emergency.posko(event, name="SDN 12 Kahyapu")
    with app.app_context():
        document = _release(lumbung, posko_id=posko, recipient_kind="person",
                            recipient_name="Pak Rahmat")
        db.session.commit()
        assert document.recipient_kind == "posko"
        assert document.recipient_name.startswith("SDN 12 Kahyapu (")


def test_a_written_order_given_is_cited_instead_of_the_sk(app, emergency, lumbung):
    posko = emergency.posko(emergency.event(status="tanggap_darurat"))
    with app.app_context():
        document = _release(lumbung, posko_id=posko, authority_ref=WRITTEN_ORDER)
        db.session.commit()
        assert document.authority_ref == WRITTEN_ORDER


def test_the_gate_shuts_once_the_status_has_ended(app, emergency, lumbung):
    event = emergency.event(status="tanggap_darurat",
                            started_on=TODAY - timedelta(days=10))
    posko = emergency.posko(event, opened_on=TODAY - timedelta(days=10))
    with app.app_context():
        events.end_status(db.session, actor=_user("emergency-admin"),
                          status_id=_status(event).id, ends_on=TODAY - timedelta(days=1))
        db.session.commit()
        refused = _refused(lumbung, errors.AuthorityRequired, posko_id=posko)
        assert refused.field == "authority_ref"
        document = _release(lumbung, posko_id=posko, authority_ref=WRITTEN_ORDER)
        db.session.commit()
        assert document.authority_ref == WRITTEN_ORDER
        delivery = db.session.get(PoskoDelivery, document.id)
        assert (delivery.posko_id, delivery.emergency_status_id) == (posko, None)
        # entered late, a release made while the status was in force still cites its SK
        backdated = _release(lumbung, posko_id=posko,
                             document_date=TODAY - timedelta(days=2))
        db.session.commit()
        assert backdated.authority_ref == f"SK Bupati 360/{event}/2026"


def test_a_later_decree_with_an_end_shuts_the_gate_after_that_end(app, emergency, lumbung):
    start = TODAY - timedelta(days=10)
    event = emergency.event(status="tanggap_darurat", started_on=start)
    posko = emergency.posko(event, opened_on=start)
    with app.app_context():
        events.record_status(db.session, actor=_user("emergency-admin"), event_id=event,
                             phase="transisi_darurat", decree_number="SK Bupati 360/99/2026",
                             starts_on=TODAY - timedelta(days=4),
                             ends_on=TODAY - timedelta(days=1))
        db.session.commit()
        assert _refused(lumbung, errors.AuthorityRequired, posko_id=posko).field \
            == "authority_ref"
        in_transition = _release(lumbung, posko_id=posko,
                                 document_date=TODAY - timedelta(days=1))
        in_response = _release(lumbung, posko_id=posko,
                               document_date=TODAY - timedelta(days=5))
        db.session.commit()
        assert in_transition.authority_ref == "SK Bupati 360/99/2026"
        assert in_response.authority_ref == f"SK Bupati 360/{event}/2026"


def test_a_status_that_starts_tomorrow_does_not_open_the_gate_today(app, emergency, lumbung):
    event = emergency.event()
    posko = emergency.posko(event)
    with app.app_context():
        events.record_status(db.session, actor=_user("emergency-admin"), event_id=event,
                             phase="tanggap_darurat", decree_number="SK Bupati 360/7/2026",
                             starts_on=TODAY + timedelta(days=1))
        db.session.commit()
        _refused(lumbung, errors.AuthorityRequired, posko_id=posko)
        # the posko is still named by its record when a written order opens the gate
        document = _release(lumbung, posko_id=posko, authority_ref=WRITTEN_ORDER)
        db.session.commit()
        assert document.recipient_kind == "posko"
        assert db.session.get(PoskoDelivery, document.id).posko_id == posko


def test_a_backdated_release_inside_the_status_window_opens_the_gate(app, emergency, lumbung):
    start = TODAY - timedelta(days=20)
    event = emergency.event(started_on=start)
    posko = emergency.posko(event, opened_on=start)
    with app.app_context():
        events.record_status(db.session, actor=_user("emergency-admin"), event_id=event,
                             phase="tanggap_darurat", decree_number="SK Bupati 360/3/2026",
                             starts_on=TODAY - timedelta(days=10),
                             ends_on=TODAY - timedelta(days=5))
        db.session.commit()
        _refused(lumbung, errors.AuthorityRequired, posko_id=posko)
        _refused(lumbung, errors.AuthorityRequired, posko_id=posko,
                 document_date=TODAY - timedelta(days=11))  # the day before it started
        document = _release(lumbung, posko_id=posko, document_date=TODAY - timedelta(days=7))
        db.session.commit()
        assert document.authority_ref == "SK Bupati 360/3/2026"
        assert db.session.get(PoskoDelivery, document.id).emergency_status_id is not None


def test_a_closed_posko_is_refused_on_the_posko(app, emergency, lumbung):
    event = emergency.event(status="tanggap_darurat", started_on=TODAY - timedelta(days=10))
    posko = emergency.posko(event, opened_on=TODAY - timedelta(days=10))
    with app.app_context():
        events.change_posko(db.session, actor=_user("emergency-admin"), posko_id=posko,
                            closed_on=TODAY - timedelta(days=2))
        db.session.commit()
        assert _refused(lumbung, PoskoClosed, posko_id=posko).field == "posko_id"
        # on its last day it still received
        document = _release(lumbung, posko_id=posko, document_date=TODAY - timedelta(days=2))
        db.session.commit()
        assert document.authority_ref == f"SK Bupati 360/{event}/2026"


def test_an_unknown_posko_is_refused_on_the_posko(app, emergency, lumbung):
    emergency.event(status="tanggap_darurat")
    with app.app_context():
        refused = _refused(lumbung, InvalidInput, posko_id=999_999)
        assert refused.field == "posko_id"


def test_kind_posko_without_a_posko_is_refused_on_the_posko(app, lumbung):
    with app.app_context():
        refused = _refused(lumbung, errors.PoskoRequired, recipient_kind="posko",
                           recipient_name="Posko Kahyapu", authority_ref=WRITTEN_ORDER)
        assert refused.field == "posko_id"
        refused = _refused(lumbung, errors.RecipientRequired, recipient_kind="person",
                           authority_ref=WRITTEN_ORDER)
        assert refused.field == "recipient_name"


def test_a_retried_release_to_a_posko_posts_once_and_records_one_delivery(
        app, emergency, lumbung, stock):
    posko = emergency.posko(emergency.event(status="tanggap_darurat"))
    with app.app_context():
        first = _release(lumbung, posko_id=posko, idempotency_key="bast-posko-1")
        db.session.commit()
        again = _release(lumbung, posko_id=posko, idempotency_key="bast-posko-1")
        db.session.commit()
        assert again.id == first.id
        assert _counts() == (2, 1)  # the receipt and the one release
    assert stock.on_hand(lumbung["site"], lumbung["rice"]) == 490
