"""Second look at issue 17 over HTTP: ids changed by hand, figures that cannot be, forty lines
on one page, a disallowed move, and what posko staff see of a family's numbers."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.extensions import db
from logistics.calendar import field_timezone, local_today
from logistics.emergency.assessment_models import HouseholdAssessment
from logistics.emergency.models import Census, Posko
from logistics.emergency.request_models import StockRequest
from tests.emergency.request_factories import (  # noqa: F401  (the fixture)
    COORDINATOR,
    KEEPER,
    STAFF,
    requests_world_fixture,
)

API = "/api/v1/emergency"
TODAY = local_today()
NIK = "1703122707726875"


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _now() -> str:
    return (datetime.now(field_timezone()) - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")


def _census_form(**counts):
    return {"counted_at": _now(), "households": "3", "male": "5", "female": "5", **counts}


def test_staff_of_another_posko_cannot_count_ask_or_send_by_changing_the_id(
        app, client, auth, requests_world, make_user, emergency):
    """Staff of posko B type posko A's id into the URL or the form: every write is refused
    (403) and nothing lands at A, on the pages and over the API."""
    w = requests_world
    a = w.ids["posko"]
    draft = w.ask([{"item_id": w.ids["rice"], "qty": 10}], submit=False)
    make_user(role="posko_staff", username="staf-b")
    emergency.posko(w.ids["event"], name="Posko B", staff=["staf-b"])
    auth.login("staf-b")
    line = {"item_id": w.ids["rice"], "qty": 10}
    answers = [
        client.post(f"/emergency/posko/{a}/censuses", data=_census_form()),
        client.post("/emergency/requests/new", data={
            "posko_id": str(a), "action": "submit", "item_id": [str(w.ids["rice"])],
            "qty": ["10"], "form_token": "a" * 32}),
        client.post(f"/emergency/requests/{draft}/submit"),
    ]
    headers = auth.headers("staf-b")
    answers += [
        client.post(f"{API}/posko/{a}/censuses", headers=headers,
                    json={"counted_at": _now(), "households": 1, "male": 1, "female": 1}),
        client.post(f"{API}/posko/{a}/requests", headers=headers, json={"lines": [line]}),
        client.post(f"{API}/requests/{draft}/submit", headers=headers),
        client.post(f"{API}/requests/{draft}/cancel", headers=headers,
                    json={"reason": "bukan punya saya"}),
    ]
    assert [answer.status_code for answer in answers] == [403] * len(answers)
    assert _count(app, Census) == 0
    assert _count(app, StockRequest) == 1
    assert w.state(draft)[0] == "draft"


def test_a_census_whose_age_groups_cannot_fit_is_refused_on_the_page(app, client, auth,
                                                                     requests_world):
    """6 under fives and 6 elderly among 10 persons: one of them is a typo. Refused beside the
    elderly count; nothing recorded."""
    w = requests_world
    auth.login(STAFF)
    answer = client.post(f"/emergency/posko/{w.ids['posko']}/censuses",
                         data=_census_form(under_five="6", elderly="6"))
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert 'id="f-elderly-error"' in page
    assert "Balita dan lansia bersama-sama" in page
    assert _count(app, Census) == 0


def _member_household(emergency, **member):
    return {"desa_code": emergency.DESA, "assessed_on": TODAY.isoformat(),
            "head_name": "Ahmad Fauzi", "house_damage": "rusak_berat", "head_nik": NIK,
            "members": [{"name": "Ahmad Fauzi", "sex": "P", "nik": NIK},
                        {"name": "Budi", "sex": "L", **member}]}


def test_a_household_with_a_pregnant_man_or_a_nik_of_the_other_sex_is_422_on_the_member(
        app, client, auth, emergency, make_user):
    """NIK 1703122707726875: day 27 of birth, a man. Entered as P (perempuan), and a
    husband ticked pregnant: both refused on the member's sex, nothing recorded."""
    event_id = emergency.event()
    make_user(role="coordinator", username="koordinator-kk")
    answer = client.post(f"{API}/events/{event_id}/households",
                         headers=auth.headers("koordinator-kk"),
                         json=_member_household(emergency, is_pregnant=True))
    assert answer.status_code == 422
    assert set(answer.get_json()["errors"]) == {"members.0.sex", "members.1.sex"}
    auth.login("koordinator-kk")
    page = client.post(f"/emergency/events/{event_id}/assessments/households/new", data={
        "form_token": "b" * 32, "desa_code": emergency.DESA, "assessed_on": TODAY.isoformat(),
        "head_name": "Ahmad", "house_damage": "rusak_berat", "member_rows": "2",
        "members-0-name": "Ahmad", "members-0-sex": "L",
        "members-1-name": "Budi", "members-1-sex": "L", "members-1-is_pregnant": "on"})
    assert page.status_code == 422
    assert _count(app, HouseholdAssessment) == 0


def test_narrowing_the_area_past_a_posko_and_closing_before_its_census_are_refused(
        app, client, auth, requests_world, emergency):
    w = requests_world
    headers = auth.headers(COORDINATOR)
    narrowed = client.patch(f"{API}/events/{w.ids['event']}", headers=headers,
                            json={"region_codes": [emergency.OTHER_DESA]})
    assert narrowed.status_code == 422
    assert set(narrowed.get_json()["errors"]) == {"region_codes"}
    counted = client.post(f"{API}/posko/{w.ids['posko']}/censuses",
                          headers=auth.headers(STAFF),
                          json={"counted_at": _now(), "households": 2, "male": 3, "female": 3})
    assert counted.status_code == 201
    auth.login(COORDINATOR)
    closed = client.post(f"/emergency/posko/{w.ids['posko']}/close",
                         data={"closed_on": (TODAY - timedelta(days=1)).isoformat()})
    assert closed.status_code == 422
    with app.app_context():
        assert db.session.get(Posko, w.ids["posko"]).closed_on is None


def test_forty_lines_of_twenty_items_asked_approved_and_delivered_on_the_pages(
        app, client, auth, requests_world, stock):
    """The posko asks for twenty items twice (today and in three days); the coordinator
    approves each less one; the keeper delivers the prefilled form; every line is met."""
    w = requests_world
    items = [stock.item(base_unit="pcs") for _ in range(20)]
    for item in items:
        stock.receive(w.ids["warehouse"], item, 100)
    auth.login(STAFF)
    asked = client.post("/emergency/requests/new", data={
        "form_token": "c" * 32, "posko_id": str(w.ids["posko"]), "action": "submit",
        "item_id": [str(item) for item in items * 2], "qty": ["20"] * 40,
        "needed_by": [""] * 20 + [(TODAY + timedelta(days=3)).isoformat()] * 20})
    assert asked.status_code == 302
    with app.app_context():
        request = db.session.scalar(select(StockRequest))
        request_id, line_ids = request.id, [line.id for line in request.lines]
    assert len(line_ids) == 40
    auth.logout()
    auth.login(COORDINATOR)
    approved = client.post(f"/emergency/requests/{request_id}/approve", data={
        "line_id": [str(line) for line in line_ids], "approved_qty": ["19"] * 40})
    assert approved.status_code == 302
    auth.logout()
    auth.login(KEEPER)
    form_page = client.get(f"/emergency/requests/{request_id}/fulfil/{w.ids['warehouse']}")
    assert len(re.findall(r'name="qty"[^>]*value="19"|value="19"[^>]*name="qty"',
                          form_page.get_data(as_text=True))) == 40
    posted = client.post(f"/emergency/requests/{request_id}/fulfil/{w.ids['warehouse']}",
                         data={"form_token": "d" * 32,
                               "line_id": [str(line) for line in line_ids],
                               "qty": ["19"] * 40, "lot_id": [""] * 40,
                               "giver_name": "Siti", "receiver_name": "Rahmat"})
    assert posted.status_code == 302
    status, state = w.state(request_id)
    assert status == "fulfilled"
    assert {fulfilled for _, _, fulfilled in state} == {19}
    assert {stock.on_hand(w.ids["warehouse"], item) for item in items} == {62}


def test_a_move_the_flow_does_not_allow_is_409_naming_from_and_to(app, client, auth,
                                                                   requests_world):
    """Approving a request already approved, cancelling one fulfilled: 409, the message names
    where the request is and where it was asked to go."""
    w = requests_world
    request_id = w.ask([{"item_id": w.ids["rice"], "qty": 10}])
    line_id = w.line_ids(request_id)[0]
    w.approve(request_id, 10)
    again = client.post(f"{API}/requests/{request_id}/approve",
                        headers=auth.headers(COORDINATOR),
                        json={"lines": [{"line_id": line_id, "approved_qty": 10}]})
    assert again.status_code == 409
    w.fulfil(request_id, 10)
    cancelled = client.post(f"{API}/requests/{request_id}/cancel", headers=auth.headers(STAFF),
                            json={"reason": "tidak jadi"})
    assert cancelled.status_code == 409
    for answer, (old, new) in ((again, ("disetujui", "disetujui")),
                               (cancelled, ("terpenuhi", "dibatalkan"))):
        message = answer.get_json()["message"].lower()
        assert old in message
        assert new in message
    assert w.state(request_id)[0] == "fulfilled"


def test_a_nik_in_a_rejection_reason_is_masked_for_posko_staff(app, client, auth,
                                                               requests_world):
    """The coordinator explains the refusal naming the family: posko staff read the reason on
    the request page and in the API with the number masked."""
    w = requests_world
    request_id = w.ask([{"item_id": w.ids["rice"], "qty": 10}])
    rejected = client.post(f"{API}/requests/{request_id}/reject",
                           headers=auth.headers(COORDINATOR),
                           json={"reason": f"Sudah diterima keluarga NIK {NIK} kemarin"})
    assert rejected.status_code == 200
    auth.login(STAFF)
    page = client.get(f"/emergency/requests/{request_id}").get_data(as_text=True)
    api = client.get(f"{API}/requests/{request_id}",
                     headers=auth.headers(STAFF)).get_data(as_text=True)
    listed = client.get(f"{API}/requests", headers=auth.headers(STAFF)).get_data(as_text=True)
    for shown in (page, api, listed):
        assert NIK not in shown
        assert "1703**********75" in shown


def test_a_nik_in_the_posko_contact_is_not_prefilled_for_the_keeper(app, client, auth,
                                                                    requests_world):
    """The coordinator wrote the contact as "Pak Rahmat (NIK …)". The posko page masks it for
    a keeper; the delivery form prefilled the receiver with it in full, in the input's value."""
    w = requests_world
    patched = client.patch(f"{API}/posko/{w.ids['posko']}", headers=auth.headers(COORDINATOR),
                           json={"contact_name": f"Pak Rahmat NIK {NIK}"})
    assert patched.status_code == 200
    request_id = w.ask([{"item_id": w.ids["rice"], "qty": 10}])
    w.approve(request_id, 10)
    auth.login(KEEPER)
    page = client.get(f"/emergency/requests/{request_id}/fulfil/{w.ids['warehouse']}")
    assert page.status_code == 200
    assert NIK not in page.get_data(as_text=True)
    assert "Pak Rahmat NIK 1703**********75" in page.get_data(as_text=True)
