"""Releasing to a posko from the page and the API (issue 17): the keeper picks the posko, the
BAST names it and cites the SK in force, and every refusal lands on the field it is about."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from logistics.accounts import queries as account_queries
from logistics.calendar import local_today
from logistics.emergency import events
from logistics.emergency.errors import PoskoClosed
from logistics.emergency.models import Posko
from logistics.emergency.request_models import PoskoDelivery
from logistics.stock import errors
from logistics.stock.documents import Document
from tests.app.pages import beside, in_indonesian
from tests.app.test_stock_forms import form_token, row_messages, text_of
from tests.app.test_stock_forms import in_indonesian as said

TODAY = local_today()
ORDER = "Surat Perintah Kepala Dinas Sosial No. 460/88/Dinsos/2026"


@pytest.fixture
def release(emergency, stock, make_user, auth, client):
    """A lumbung sosial with rice and a keeper logged in on the page and holding a token; an
    event in tanggap darurat with an open posko, a closed one, and an ended event's posko."""
    keeper = make_user("warehouse_keeper")
    site = stock.warehouse(kind="lumbung_sosial", keepers=[keeper], name="Lumbung Sosial Lais")
    rice = stock.item(code="BRS", name_id="Beras", category="pangan", base_unit="kg")
    stock.receive(site, rice, 500)
    start = TODAY - timedelta(days=10)
    event = emergency.event(status="tanggap_darurat", started_on=start,
                            name="Banjir Air Ketahun")
    posko = emergency.posko(event, name="Balai Desa Kahyapu", opened_on=start)
    closed = emergency.posko(event, name="SDN 12 Kahyapu", opened_on=start)
    with emergency.app.app_context():
        events.change_posko(db.session, actor=_user("emergency-admin"), posko_id=closed,
                            closed_on=TODAY - timedelta(days=1))
        db.session.commit()
        codes = {id_: db.session.get(Posko, id_).code for id_ in (posko, closed)}
    auth.login(keeper)
    return {"site": site, "rice": rice, "keeper": keeper, "event": event, "posko": posko,
            "closed": closed, "codes": codes, "sk": f"SK Bupati 360/{event}/2026",
            "url": f"/stock/warehouses/{site}/issue", "headers": auth.headers(keeper)}


def _user(name):
    return account_queries.get_user_by_username(db.session, name)


def _form(client, release, **fields) -> dict:
    return {"form_token": form_token(client, release["url"]), "giver_name": "Siti Aminah",
            "receiver_name": "Rahmat Hidayat", "witness_name": "Kepala Desa Kahyapu",
            "item_id": [release["rice"], ""], "qty": ["10", ""], "lot_id": ["", ""], **fields}


def _body(release, **fields) -> dict:
    return {"warehouse_id": release["site"], "giver_name": "Siti Aminah",
            "receiver_name": "Rahmat Hidayat",
            "lines": [{"item_id": release["rice"], "qty": 10}], **fields}


def _counts(session):
    counts = (session.scalar(select(func.count()).select_from(Document)),
              session.scalar(select(func.count()).select_from(PoskoDelivery)))
    session.rollback()
    return counts


def test_the_page_offers_the_open_posko_grouped_by_event(client, release):
    page = client.get(release["url"])
    assert page.status_code == 200
    text = text_of(page)
    picker = text.split('id="f-posko_id"', 1)[1].split("</select>", 1)[0]
    group = re.search(r'<optgroup label="([^"]+)">(.*?)</optgroup>', picker, re.S)
    assert group[1].startswith("Banjir Air Ketahun (")
    assert f'{release["codes"][release["posko"]]} Balai Desa Kahyapu</option>' in group[2]
    assert "SDN 12 Kahyapu" not in picker  # closed yesterday
    assert re.search(r'<label class="form-label" for="f-posko_id">', text)
    assert 'aria-describedby="f-posko_id-help"' in picker
    help_text = text.split('id="f-authority_ref-help">', 1)[1].split("</div>", 1)[0]
    assert said(client.application, "For a posko of an event with an emergency status in "
                "force, its decree is cited by itself: leave this empty.") in help_text


def test_a_release_picked_for_a_posko_posts_without_the_sk_typed(client, release, session):
    posted = client.post(release["url"], data=_form(client, release,
                                                    posko_id=str(release["posko"])))
    assert posted.status_code == 302, text_of(posted)
    document = session.scalar(select(Document).where(Document.kind == "issue"))
    assert document.authority_ref == release["sk"]
    assert document.recipient_name == \
        f"Balai Desa Kahyapu ({release['codes'][release['posko']]})"
    delivery = session.get(PoskoDelivery, document.id)
    assert (delivery.posko_id, delivery.event_id) == (release["posko"], release["event"])
    assert delivery.emergency_status_id is not None
    session.rollback()
    shown = text_of(client.get(posted.location))
    assert release["sk"] in shown
    assert "Balai Desa Kahyapu" in shown


def test_kind_posko_without_a_posko_is_shown_on_the_picker_with_every_other_mistake(
        client, release, session):
    before = _counts(session)
    refused = client.post(release["url"], data=_form(
        client, release, recipient_kind="posko", recipient_name="", receiver_name="",
        qty=["", ""], item_id=[release["rice"], ""]))
    assert refused.status_code == 422
    app = client.application
    assert beside(refused, "f-posko_id") == [
        in_indonesian(app, errors.PoskoRequired())]
    assert beside(refused, "f-receiver_name")  # the same round
    assert row_messages(refused)[0]  # and the line without a quantity
    assert _counts(session) == before
    picker = text_of(refused).split('id="f-posko_id"', 1)[1].split(">", 1)[0]
    assert 'aria-invalid="true"' in picker
    assert 'aria-describedby="f-posko_id-error f-posko_id-help"' in picker


def test_a_closed_posko_is_refused_on_the_picker_in_the_same_round(client, release, session):
    before = _counts(session)
    refused = client.post(release["url"], data=_form(
        client, release, posko_id=str(release["closed"]), item_id=["999999", ""]))
    assert refused.status_code in (409, 422)
    app = client.application
    assert beside(refused, "f-posko_id") == [in_indonesian(app, PoskoClosed(
        posko=release["codes"][release["closed"]], closed_on=TODAY - timedelta(days=1)))]
    assert row_messages(refused)[0]  # the unknown item, in the same answer
    assert _counts(session) == before
    # the same form without the line mistake is still refused for the posko, and keeps it
    again = client.post(release["url"], data=_form(client, release,
                                                   posko_id=str(release["closed"])))
    assert again.status_code == 409
    assert beside(again, "f-posko_id")
    assert _counts(session) == before


def test_a_release_to_nobody_named_asks_for_the_written_order_in_the_same_round(
        client, release, session):
    """Without a posko (or with one whose event has no status in force), a lumbung sosial
    release needs the written order; the page says so with the other mistakes."""
    before = _counts(session)
    refused = client.post(release["url"], data=_form(
        client, release, recipient_kind="person", recipient_name="Pak Rahmat",
        qty=["", ""]))
    assert refused.status_code == 422
    assert beside(refused, "f-authority_ref") == [
        in_indonesian(client.application, errors.AuthorityRequired())]
    assert row_messages(refused)[0]
    assert _counts(session) == before
    posted = client.post(release["url"], data=_form(
        client, release, recipient_kind="person", recipient_name="Pak Rahmat",
        authority_ref=ORDER))
    assert posted.status_code == 302


def test_the_printed_bast_names_the_posko_and_cites_the_sk(client, release):
    posted = client.post(release["url"], data=_form(client, release,
                                                    posko_id=str(release["posko"])))
    page = text_of(client.get(posted.location + "/print"))
    opening = re.search(r'data-testid="date-in-words">(.*?)</p>', page, re.S)[1]
    assert f"Balai Desa Kahyapu ({release['codes'][release['posko']]})" in opening
    assert release["sk"] in page


def test_the_api_releases_to_a_posko_once_however_often_it_is_retried(client, release,
                                                                      session):
    headers = {**release["headers"], "Idempotency-Key": "bast-posko-api-1"}
    body = _body(release, posko_id=release["posko"])
    first = client.post("/api/v1/stock/issues", headers=headers, json=body)
    assert first.status_code == 201, first.get_json()
    again = client.post("/api/v1/stock/issues", headers=headers, json=body)
    assert again.get_json()["id"] == first.get_json()["id"]
    document = first.get_json()
    assert document["authority_ref"] == release["sk"]
    assert document["recipient_kind"] == "posko"
    assert document["recipient_name"].startswith("Balai Desa Kahyapu (")
    assert session.scalar(select(func.count()).select_from(PoskoDelivery)
                          .where(PoskoDelivery.document_id == document["id"])) == 1
    assert _counts(session)[1] == 1


@pytest.mark.parametrize(("fields", "status"), [
    ({"recipient_kind": "posko", "recipient_name": "Posko Kahyapu"}, 422),
    ({"posko_id": 999_999}, 422),
    ({"posko_id": "closed"}, 409),
])
def test_the_api_refuses_a_posko_it_cannot_name_on_posko_id(client, release, session, fields,
                                                            status):
    if fields.get("posko_id") == "closed":
        fields = {"posko_id": release["closed"]}
    before = _counts(session)
    refused = client.post("/api/v1/stock/issues", json=_body(release, **fields),
                          headers={**release["headers"], "Idempotency-Key": "bast-bad-1"})
    assert refused.status_code == status
    assert list(refused.get_json()["errors"]) == ["posko_id"]
    assert _counts(session) == before


def test_after_the_status_ends_the_api_asks_for_a_written_order(client, release, session):
    with client.application.app_context():
        status_id = db.session.get(Posko, release["posko"]).event.statuses[0].id
        events.end_status(db.session, actor=_user("emergency-admin"), status_id=status_id,
                          ends_on=TODAY - timedelta(days=1))
        db.session.commit()
    body = _body(release, posko_id=release["posko"])
    refused = client.post("/api/v1/stock/issues", json=body,
                          headers={**release["headers"], "Idempotency-Key": "bast-ended-1"})
    assert refused.status_code == 422
    assert list(refused.get_json()["errors"]) == ["authority_ref"]
    posted = client.post("/api/v1/stock/issues", json={**body, "authority_ref": ORDER},
                         headers={**release["headers"], "Idempotency-Key": "bast-ended-2"})
    assert posted.status_code == 201
    assert posted.get_json()["authority_ref"] == ORDER
    assert session.get(PoskoDelivery, posted.get_json()["id"]).emergency_status_id is None
