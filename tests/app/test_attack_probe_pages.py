"""HTTP probes against issue 17's pages and API: what people type, and what others may see."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from logistics.calendar import local_today
from logistics.emergency.request_models import StockRequest
from tests.emergency.request_factories import (  # noqa: F401  (the fixture)
    COORDINATOR,
    STAFF,
    requests_world_fixture,
)

NIK = "1703122707726875"
KK = "1703120202112254"


def _household(emergency, event_id, make_user, auth, client):
    """A coordinator records a household whose assessor also wrote the numbers into the free
    text (as happens when the papers are shown at the door): "KK 1703 1202 0211 2254"."""
    make_user(role="coordinator", username="koordinator-nik")
    auth.login("koordinator-nik")
    response = client.post(f"/api/v1/emergency/events/{event_id}/households", json={
        "desa_code": emergency.DESA, "assessed_on": local_today().isoformat(),
        "head_name": "Ahmad Fauzi", "kk_number": KK, "head_nik": NIK,
        "house_damage": "rusak_berat",
        "address": f"RT 02, rumah kayu; NIK kepala {NIK}",
        "urgent_needs": "beras, selimut; KK 1703 1202 0211 2254"})
    assert response.status_code == 201, response.get_json()
    auth.logout()
    return response.get_json()["id"]


def test_a_nik_written_into_free_text_is_masked_for_posko_staff(app, client, emergency,
                                                                make_user, auth):
    """The numbers typed into the address or the urgent needs are masked for posko staff on the
    households page and in the API, as the NIK and No. KK fields are; the rest stays readable."""
    event_id = emergency.event()
    household_id = _household(emergency, event_id, make_user, auth, client)
    make_user(role="posko_staff", username="staf-lihat")
    auth.login("staf-lihat")
    html = client.get(f"/emergency/events/{event_id}/assessments").get_data(as_text=True)
    one = client.get(f"/api/v1/emergency/households/{household_id}").get_data(as_text=True)
    page = client.get(f"/api/v1/emergency/events/{event_id}/households").get_data(as_text=True)
    for shown in (html, one, page):
        assert NIK not in shown
        assert KK not in shown
        assert "1703 1202 0211 2254" not in shown
        assert "1703**********54" in shown
    assert "RT 02, rumah kayu; NIK kepala 1703**********75" in one


def test_a_coordinator_approves_a_thousand_typed_the_indonesian_way(app, client, auth,
                                                                    requests_world):
    w = requests_world
    request_id = w.ask([{"item_id": w.ids["rice"], "qty": 2000}])
    line_id = w.line_ids(request_id)[0]
    auth.login(COORDINATOR)
    answer = client.post(f"/emergency/requests/{request_id}/approve",
                         data={"line_id": [str(line_id)], "approved_qty": ["1.000"]})
    assert answer.status_code == 302
    assert w.state(request_id) == ("approved", [(2000, 1000, 0)])


def test_posko_staff_cannot_cancel_another_posko_request_from_the_page(app, client, auth,
                                                                       requests_world,
                                                                       make_user, emergency):
    w = requests_world
    request_id = w.ask([{"item_id": w.ids["rice"], "qty": 30}])
    make_user(role="posko_staff", username="staf-lain")
    emergency.posko(w.ids["event"], name="Posko lain", staff=["staf-lain"])
    auth.login("staf-lain")
    answer = client.post(f"/emergency/requests/{request_id}/cancel",
                         data={"cancel_reason": "Bukan punya saya"})
    assert answer.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(StockRequest.status)
                                 .where(StockRequest.id == request_id)) == "submitted"
