"""Events, statuses, posko and censuses over the API: field keys, 409s, retries, scope."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from logistics.calendar import field_timezone, local_today
from logistics.emergency.models import Census, Posko
from logistics.emergency.request_models import StockRequest
from tests.emergency.request_factories import (  # noqa: F401  (the fixture)
    COORDINATOR,
    requests_world_fixture,
)

API = "/api/v1/emergency"


def _count(session, model) -> int:
    number = session.scalar(select(func.count()).select_from(model))
    session.rollback()
    return number


def _counted_at() -> str:
    now = datetime.now(field_timezone())
    return max(now.replace(hour=0, minute=0), now - timedelta(hours=1)).strftime(
        "%Y-%m-%dT%H:%M:00")


def test_an_event_opens_once_per_key_and_lists_with_its_area(client, auth, make_user,
                                                           emergency):
    emergency.ensure_regions()
    headers = {**auth.headers(make_user("coordinator")), "Idempotency-Key": "ev-1"}
    body = {"hazard": "tanah_longsor", "name": "Longsor Lais",
            "started_on": local_today().isoformat(),
            "region_codes": [emergency.OTHER_DESA, emergency.DESA]}
    first = client.post(f"{API}/events", json=body, headers=headers)
    again = client.post(f"{API}/events", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.get_json()["id"] == again.get_json()["id"]
    assert first.get_json()["region_codes"] == [emergency.DESA, emergency.OTHER_DESA]
    listed = client.get(f"{API}/events?limit=1", headers=headers).get_json()
    assert [event["name"] for event in listed["items"]] == ["Longsor Lais"]


def test_bad_event_fields_come_back_under_their_keys(client, auth, make_user):
    headers = auth.headers(make_user("coordinator"))
    response = client.post(f"{API}/events", headers=headers, json={
        "hazard": "meteor", "name": "", "started_on": "kemarin", "region_codes": []})
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"hazard", "name", "started_on",
                                                  "region_codes"}


def test_an_overlapping_status_is_a_409_naming_the_decree(client, auth, make_user, emergency):
    event_id = emergency.event(status="tanggap_darurat")
    headers = auth.headers(make_user("coordinator"))
    response = client.post(f"{API}/events/{event_id}/statuses", headers=headers, json={
        "phase": "transisi_darurat", "decree_number": "SK 9",
        "starts_on": (local_today() - timedelta(days=3)).isoformat()})
    assert response.status_code == 409
    decree = f"SK Bupati 360/{event_id}/2026"
    assert decree in response.get_json()["message"]
    assert decree in response.get_json()["errors"]["starts_on"][0]


def test_a_posko_outside_its_desa_is_refused_on_latitude(client, auth, make_user, emergency,
                                                        session):
    event_id = emergency.event()
    headers = auth.headers(make_user("coordinator"))
    response = client.post(f"{API}/events/{event_id}/posko", headers=headers, json={
        "name": "SD 2", "kind": "dapur_umum", "desa_code": emergency.DESA,
        "latitude": -3.45, "longitude": 102.15})
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["latitude"]
    one_only = client.post(f"{API}/events/{event_id}/posko", headers=headers, json={
        "name": "SD 2", "kind": "dapur_umum", "desa_code": emergency.DESA, "latitude": -3.45})
    assert one_only.status_code == 422
    assert "longitude" in one_only.get_json()["errors"]
    assert _count(session, Posko) == 0
    made = client.post(f"{API}/events/{event_id}/posko", headers=headers, json={
        "name": "SD 2", "kind": "dapur_umum", "desa_code": emergency.DESA,
        "latitude": -3.45, "longitude": 102.05, "covered_m2": 700})
    assert made.status_code == 201
    assert made.get_json()["capacity"] == 200


def test_a_census_that_does_not_add_up_names_every_field_at_once(client, auth, make_user,
                                                                emergency, session):
    make_user("posko_staff", username="staf")
    posko_id = emergency.posko(emergency.event(), staff=["staf"])
    headers = auth.headers("staf")
    response = client.post(f"{API}/posko/{posko_id}/censuses", headers=headers, json={
        "counted_at": _counted_at(), "households": 9, "male": 2, "female": 3,
        "disabled": 6, "pregnant": 4, "breastfeeding": 1})
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"households", "disabled", "pregnant"}
    negative = client.post(f"{API}/posko/{posko_id}/censuses", headers=headers, json={
        "counted_at": _counted_at(), "households": -1, "male": 2, "female": 3})
    assert negative.status_code == 422
    assert "households" in negative.get_json()["errors"]
    assert _count(session, Census) == 0
    ok = client.post(f"{API}/posko/{posko_id}/censuses",
                     headers={**headers, "Idempotency-Key": "c-1"},
                     json={"counted_at": _counted_at(), "households": 2, "male": 2, "female": 3})
    assert ok.status_code == 201
    assert ok.get_json()["persons"] == 5
    history = client.get(f"{API}/posko/{posko_id}/censuses", headers=headers).get_json()
    assert [row["id"] for row in history["items"]] == [ok.get_json()["id"]]


def test_posko_staff_get_403_counting_at_a_posko_they_do_not_staff(client, auth, make_user,
                                                                  emergency, session):
    make_user("posko_staff", username="staf")
    event_id = emergency.event()
    emergency.posko(event_id, staff=["staf"])
    other = emergency.posko(event_id, name="Masjid")
    response = client.post(f"{API}/posko/{other}/censuses", headers=auth.headers("staf"),
                           json={"counted_at": _counted_at(), "households": 1, "male": 1,
                                 "female": 1})
    assert response.status_code == 403
    assert _count(session, Census) == 0


def test_closing_a_posko_with_an_open_request_is_a_409_naming_it(client, auth, requests_world,
                                                                 session):
    w = requests_world
    request_id = w.ask([{"item_id": w.ids["rice"], "qty": 30}])
    number = session.get(StockRequest, request_id).number
    session.rollback()
    response = client.patch(f"{API}/posko/{w.ids['posko']}", headers=auth.headers(COORDINATOR),
                            json={"closed_on": local_today().isoformat()})
    assert response.status_code == 409
    assert set(response.get_json()["errors"]) == {"closed_on"}
    assert number in response.get_json()["message"]
    closed_on = session.get(Posko, w.ids["posko"]).closed_on
    session.rollback()
    assert closed_on is None
