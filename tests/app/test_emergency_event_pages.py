"""Event, status, posko and census pages as a coordinator and posko staff use them, in
Indonesian: one answer for every mistake, typed values kept, nothing written on a refusal."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from logistics.accounts.roles import GRANTS, Permission, Role
from logistics.calendar import field_timezone, local_today
from logistics.emergency.models import Census, EmergencyStatus, Event, Posko
from logistics.emergency.request_models import StockRequest
from tests.emergency.request_factories import (  # noqa: F401  (the fixture)
    COORDINATOR,
    requests_world_fixture,
)


def in_indonesian(app, message, **params) -> str:
    with app.test_request_context(), force_locale("id"):
        return gettext(message, **params)


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def token_of(response) -> str:
    return re.search(r'name="form_token" type="hidden" value="(\w+)"',
                     response.get_data(as_text=True)).group(1)


def count(session, model) -> int:
    number = session.scalar(select(func.count()).select_from(model))
    session.rollback()
    return number


def messages_on(response, field) -> list[str]:
    block = re.search(rf'id="f-{field}-error">(.*?)</div></div>', text_of(response), re.S)
    return re.findall(r'invalid-feedback d-block">([^<]+)', block.group(1)) if block else []


@pytest.fixture
def coordinator(client, auth, make_user):
    auth.login(make_user("coordinator", username="koordinator"))
    return client


def test_an_event_opened_through_the_form_covers_the_desa_ticked(app, coordinator, emergency,
                                                                 session):
    emergency.ensure_regions()
    form = coordinator.get("/emergency/events/new")
    page = text_of(form)
    assert "Kahyapu" in page
    assert "Bukit Indah" in page
    assert "<details" in page
    assert in_indonesian(app, "Flood (banjir)") in page
    response = coordinator.post("/emergency/events/new", data={
        "form_token": token_of(form), "hazard": "banjir", "name": "Banjir Air Ketahun",
        "started_on": (local_today() - timedelta(days=1)).isoformat(),
        "region_codes": [emergency.DESA, emergency.OUTSIDE_DESA]})
    assert response.status_code == 302
    event = session.scalars(select(Event)).one()
    assert [region.code for region in event.regions] == [emergency.DESA, emergency.OUTSIDE_DESA]
    session.rollback()
    shown = text_of(coordinator.get(response.headers["Location"]))
    assert "Banjir Air Ketahun" in shown
    assert "Bukit Indah" in shown
    assert 'class="event-links' in shown


def test_an_event_without_area_is_refused_with_every_message_at_once(app, coordinator,
                                                                    emergency, session):
    emergency.ensure_regions()
    form = coordinator.get("/emergency/events/new")
    response = coordinator.post("/emergency/events/new", data={
        "form_token": token_of(form), "hazard": "", "name": "Banjir",
        "started_on": local_today().isoformat()})
    assert response.status_code == 422
    assert messages_on(response, "region_codes") == [
        in_indonesian(app, "Name at least one kecamatan or desa.")]
    assert messages_on(response, "hazard")
    assert 'value="Banjir"' in response.get_data(as_text=True)
    assert count(session, Event) == 0


def test_a_status_is_recorded_and_an_overlap_names_the_decree(app, coordinator, emergency,
                                                              session):
    event_id = emergency.event(status="siaga_darurat")
    url = f"/emergency/events/{event_id}"
    response = coordinator.post(f"{url}/statuses", data={
        "form_token": token_of(coordinator.get(url)), "phase": "tanggap_darurat",
        "decree_number": "SK Bupati 360/123/2026", "starts_on": local_today().isoformat()})
    assert response.status_code == 302
    page = text_of(coordinator.get(url))
    assert "SK Bupati 360/123/2026" in page
    assert in_indonesian(app, "Tanggap darurat (emergency response)") in page
    overlap = coordinator.post(f"{url}/statuses", data={
        "form_token": token_of(coordinator.get(url)), "phase": "transisi_darurat",
        "decree_number": "SK 2", "starts_on": local_today().isoformat()})
    assert overlap.status_code == 409
    assert messages_on(overlap, "starts_on") == [in_indonesian(
        app, "Status %(decree)s of this event already covers %(day)s.",
        decree="SK Bupati 360/123/2026", day=_day(app, local_today()))]
    assert 'value="SK 2"' in overlap.get_data(as_text=True)
    assert count(session, EmergencyStatus) == 2


def _day(app, value):
    from app.i18n import day
    with app.test_request_context(), force_locale("id"):
        return day(value)


def test_a_posko_point_outside_its_desa_is_refused_readably_and_nothing_is_opened(
        app, coordinator, emergency, session):
    event_id = emergency.event()
    url = f"/emergency/events/{event_id}/posko/new"
    form = coordinator.get(url)
    assert "Bukit Indah" not in text_of(form)  # only the desa of the event's area
    response = coordinator.post(url, data={
        "form_token": token_of(form), "kind": "tempat_pengungsian", "name": "SD Negeri 2",
        "desa_code": emergency.DESA, "latitude": "-3,45", "longitude": "102,15",
        "covered_m2": "350"})
    assert response.status_code == 422
    assert messages_on(response, "latitude") == [
        in_indonesian(app, "The point lies outside desa %(desa)s.", desa="Kahyapu")]
    assert 'value="SD Negeri 2"' in response.get_data(as_text=True)
    assert count(session, Posko) == 0
    inside = coordinator.post(url, data={
        "form_token": token_of(response), "kind": "tempat_pengungsian", "name": "SD Negeri 2",
        "desa_code": emergency.DESA, "latitude": "-3,45", "longitude": "102,05",
        "covered_m2": "350"})
    assert inside.status_code == 302
    page = text_of(coordinator.get(inside.headers["Location"]))
    assert "SD Negeri 2" in page
    assert "100" in page


@pytest.fixture
def staffed(client, auth, make_user, emergency):
    make_user("posko_staff", username="staf")
    posko_id = emergency.posko(emergency.event(), staff=["staf"])
    auth.login("staf")
    return posko_id


def _counted_at() -> str:
    now = datetime.now(field_timezone())
    return max(now.replace(hour=0, minute=0), now - timedelta(hours=1)).strftime(
        "%Y-%m-%dT%H:%M")


def test_posko_staff_record_a_census_on_the_posko_page(client, staffed, session):
    url = f"/emergency/posko/{staffed}"
    page = client.get(url)
    assert page.status_code == 200
    assert 'type="datetime-local"' in page.get_data(as_text=True)
    response = client.post(f"{url}/censuses", data={
        "form_token": token_of(page), "counted_at": _counted_at(), "households": "12",
        "male": "20", "female": "23", "under_five": "5", "pregnant": "2", "breastfeeding": "3",
        "elderly": "4", "disabled": "1"})
    assert response.status_code == 302
    census = session.scalars(select(Census)).one()
    assert (census.persons, census.households, census.breastfeeding) == (43, 12, 3)
    session.rollback()
    history = text_of(client.get(url))
    assert 'class="table table-sm table-cards"' in history
    assert ">43<" in history


def test_a_census_that_does_not_add_up_comes_back_with_what_was_typed(app, client, staffed,
                                                                     session):
    url = f"/emergency/posko/{staffed}"
    typed = {"counted_at": _counted_at(), "households": "20", "male": "3", "female": "2",
             "under_five": "1", "pregnant": "4", "breastfeeding": "banyak", "elderly": "9",
             "disabled": "0"}
    response = client.post(f"{url}/censuses",
                           data={"form_token": token_of(client.get(url)), **typed})
    assert response.status_code == 422
    assert messages_on(response, "households") == [in_indonesian(
        app, "Cannot be more households than the %(persons)s persons counted.", persons=5)]
    assert messages_on(response, "pregnant") == [in_indonesian(
        app, "Cannot be more than the %(female)s women and girls counted.", female=2)]
    assert messages_on(response, "elderly") == [in_indonesian(
        app, "Cannot be more than the %(persons)s persons counted.", persons=5)]
    assert messages_on(response, "breastfeeding")  # not a number: the schema's message
    body = response.get_data(as_text=True)
    for name, value in typed.items():
        assert f'name="{name}" type' in body
        assert f'value="{value}"' in body
    assert count(session, Census) == 0


def test_posko_staff_cannot_count_at_a_posko_they_do_not_staff(client, staffed, emergency,
                                                             session):
    other = emergency.posko(emergency.event(name="Longsor"), name="Masjid")
    response = client.post(f"/emergency/posko/{other}/censuses", data={
        "counted_at": _counted_at(), "households": "1", "male": "1", "female": "1"})
    assert response.status_code == 403
    assert count(session, Census) == 0


def test_a_coordinator_closes_a_posko(coordinator, emergency, session):
    posko_id = emergency.posko(emergency.event())
    page = coordinator.get(f"/emergency/posko/{posko_id}")
    csrf_free = coordinator.post(f"/emergency/posko/{posko_id}/close", data={})
    assert csrf_free.status_code == 302
    assert page.status_code == 200
    assert session.get(Posko, posko_id).closed_on == local_today()
    session.rollback()
    assert "Posko" in text_of(coordinator.get("/emergency/events"))


def test_a_posko_with_an_open_request_is_not_closed_and_the_form_says_why(
        app, client, auth, requests_world, session):
    """The close form comes back open, the day typed kept, with the request to settle named
    beside the day; the posko stays open and the request untouched."""
    w = requests_world
    request_id = w.ask([{"item_id": w.ids["rice"], "qty": 30}])
    w.approve(request_id, 30)
    request = session.get(StockRequest, request_id)
    number, posko_code = request.number, request.posko.code
    session.rollback()
    auth.login(COORDINATOR)
    yesterday = (local_today() - timedelta(days=1)).isoformat()
    response = client.post(f"/emergency/posko/{w.ids['posko']}/close",
                           data={"closed_on": yesterday})
    assert response.status_code == 409
    assert messages_on(response, "closed_on") == [in_indonesian(
        app, "Posko %(posko)s still has open requests (%(numbers)s): fulfil or cancel them "
        "before closing it.", posko=posko_code, numbers=number)]
    body = response.get_data(as_text=True)
    assert re.search(r"<details[^>]* open>", body)
    assert f'value="{yesterday}"' in body
    closed_on = session.get(Posko, w.ids["posko"]).closed_on
    session.rollback()
    assert closed_on is None
    assert w.state(request_id)[0] == "approved"


def test_numbers_typed_into_an_events_description_and_a_posko_contact_are_masked(
        app, client, auth, emergency, make_user, monkeypatch):
    """A coordinator pastes the family's KK into the event description and the contact's NIK
    beside the posko contact: posko staff and coordinators see them masked on pages and in the
    API, a role that may see personal data (granted the module here) sees them."""
    nik, kk = "1703122707726875", "1703120202112254"
    event_id = emergency.event()
    posko_id = emergency.posko(event_id, staff=[make_user("posko_staff", username="staf")])
    make_user("coordinator", username="koor")
    headers = auth.headers("koor")
    description = f"Banjir RT 02; keluarga KK {kk} hanyut"
    contact = "Pak Rahmat (NIK 1703.12.27.0772.6875)"
    assert client.patch(f"/api/v1/emergency/events/{event_id}", headers=headers,
                        json={"description": description}).status_code == 200
    assert client.patch(f"/api/v1/emergency/posko/{posko_id}", headers=headers,
                        json={"contact_name": contact}).status_code == 200
    monkeypatch.setitem(GRANTS, Permission.VIEW_EMERGENCY,
                        GRANTS[Permission.VIEW_EMERGENCY] | {Role.PUSKESOS_FRONT})
    make_user("puskesos_front", username="pusk")
    for viewer, sees_numbers in (("staf", False), ("koor", False), ("pusk", True)):
        event = client.get(f"/api/v1/emergency/events/{event_id}",
                           headers=auth.headers(viewer)).get_json()
        posko = client.get(f"/api/v1/emergency/posko/{posko_id}",
                           headers=auth.headers(viewer)).get_json()
        auth.login(viewer)
        pages = (text_of(client.get(f"/emergency/events/{event_id}")),
                 text_of(client.get(f"/emergency/posko/{posko_id}")))
        auth.logout()
        if sees_numbers:
            assert (event["description"], posko["contact_name"]) == (description, contact)
            assert description in pages[0]
            assert contact in pages[1]
        else:
            assert event["description"] == "Banjir RT 02; keluarga KK 1703**********54 hanyut"
            assert posko["contact_name"] == "Pak Rahmat (NIK 1703**********75)"
            assert "keluarga KK 1703**********54 hanyut" in pages[0]
            assert "Pak Rahmat (NIK 1703**********75)" in pages[1]
            for page in pages:
                assert kk not in page
                assert nik not in page.replace(".", "")
                assert "1703.12.27.0772.6875" not in page
