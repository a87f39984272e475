"""Request pages as people use them: posko staff ask on a phone, a coordinator approves less,
a keeper delivers from the proposal, and the printed BAST names the posko."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from logistics.accounts.roles import GRANTS, Permission, Role
from logistics.emergency import requests
from logistics.emergency.models import Posko
from logistics.emergency.request_models import StockRequest
from tests.emergency.request_factories import (  # noqa: F401  (the fixture)
    COORDINATOR,
    KEEPER,
    STAFF,
    requests_world_fixture,
)


def _token(page: str) -> str:
    return re.search(r'name="form_token"[^>]*value="([0-9a-f]+)"', page).group(1)


def _request(app) -> StockRequest:
    with app.app_context():
        request = db.session.scalar(select(StockRequest).order_by(StockRequest.id.desc()))
        request.lines  # noqa: B018 (loaded while the session is open)
        return request


def test_staff_ask_a_coordinator_approves_less_a_keeper_delivers_and_the_bast_names_the_posko(
        app, client, auth, requests_world):
    w = requests_world
    auth.login(STAFF)
    page = client.get("/emergency/requests/new").get_data(as_text=True)
    assert f'value="{w.ids["posko"]}" selected' in page  # the posko they staff, preselected
    form = {"form_token": _token(page), "posko_id": str(w.ids["posko"]), "action": "submit",
            "item_id": [str(w.ids["rice"]), str(w.ids["soap"]), ""],
            "qty": ["", "12", ""], "needed_by": ["", "", ""]}
    answer = client.post("/emergency/requests/new", data=form)
    assert answer.status_code == 422  # the rice line says how much is missing, beside it
    assert 'id="line-0-qty-error"' in answer.get_data(as_text=True)
    form["qty"] = ["1.000", "12", ""]  # typed as Indonesians write a thousand
    posted = client.post("/emergency/requests/new", data=form)
    assert posted.status_code == 302
    assert client.post("/emergency/requests/new", data=form).location == posted.location
    request = _request(app)
    assert request.status == "submitted"
    assert [line.qty for line in request.lines] == [1000, 12]

    auth.logout()
    auth.login(COORDINATOR)
    page = client.get(posted.location).get_data(as_text=True)
    assert 'name="approved_qty"' in page
    assert 'value="1.000"' in page  # offered as asked, grouped as the page writes numbers
    refused = client.post(f"/emergency/requests/{request.id}/approve", data={
        "line_id": [str(line.id) for line in request.lines], "approved_qty": ["1001", "12"]})
    assert refused.status_code == 422
    assert 'id="line-0-approved_qty-error"' in refused.get_data(as_text=True)
    approved = client.post(f"/emergency/requests/{request.id}/approve", data={
        "line_id": [str(line.id) for line in request.lines], "approved_qty": ["60", "12"]})
    assert approved.status_code == 302
    assert _request(app).status == "approved"

    auth.logout()
    auth.login(KEEPER)
    chosen = client.get(f"/emergency/requests/{request.id}/fulfil")
    assert chosen.location.endswith(f"/fulfil/{w.ids['warehouse']}")
    page = client.get(chosen.location).get_data(as_text=True)
    assert "10,0 km" in page  # the warehouse 10 km from the posko, in Indonesian figures
    assert 'value="60"' in page
    assert 'value="12"' in page
    posted = client.post(chosen.location, data={
        "form_token": _token(page), "line_id": [str(line.id) for line in request.lines],
        "qty": ["60", "12"], "lot_id": ["", ""], "giver_name": "Siti",
        "receiver_name": "Rahmat"})
    assert posted.status_code == 302
    assert "/stock/documents/" in posted.location
    assert _request(app).status == "fulfilled"
    bast = client.get(posted.location + "/print").get_data(as_text=True)
    with app.app_context():
        posko = db.session.get(Posko, w.ids["posko"])
    assert posko.name in bast
    assert posko.code in bast
    assert request.number in bast


def test_a_cancellation_without_a_reason_is_shown_on_its_field(app, client, auth,
                                                               requests_world):
    w = requests_world
    request_id = w.ask()
    auth.login(STAFF)
    refused = client.post(f"/emergency/requests/{request_id}/cancel",
                          data={"cancel_reason": " "})
    assert refused.status_code == 422
    assert 'id="f-cancel_reason-error"' in refused.get_data(as_text=True)
    done = client.post(f"/emergency/requests/{request_id}/cancel",
                       data={"cancel_reason": "Sudah dapat dari desa"})
    assert done.status_code == 302
    assert w.state(request_id)[0] == "cancelled"
    page = client.get(done.location).get_data(as_text=True)
    assert "Sudah dapat dari desa" in page


def test_the_queue_and_the_unmet_page_list_what_waits(app, client, auth, requests_world):
    w = requests_world
    waiting, approved = w.ask(), w.ask()
    w.approve(approved, 30)
    auth.login(COORDINATOR)
    page = client.get("/emergency/requests").get_data(as_text=True)
    numbers = [_number(app, rid) for rid in (waiting, approved)]
    assert page.index(numbers[0]) < page.index(numbers[1])
    unmet = client.get(f"/emergency/events/{w.ids['event']}/unmet").get_data(as_text=True)
    assert numbers[0] in unmet
    assert numbers[1] in unmet
    assert "table-cards" in unmet


def _number(app, request_id) -> str:
    with app.app_context():
        return db.session.get(StockRequest, request_id).number


NIK = "1703122707726875"


def test_numbers_typed_into_a_requests_notes_and_reason_follow_the_personal_data_permission(
        app, client, auth, requests_world, make_user, monkeypatch):
    """Staff name the family a request is for; the coordinator's rejection repeats the number.
    Staff and coordinator see it masked on the page and in the API; a role that may see
    personal data (granted the emergency module here: none holds both today) sees it."""
    w = requests_world
    notes = f"Untuk keluarga NIK {NIK}, 5 jiwa di RT 02"
    request_id = w.ask(notes=notes)
    reason = "Sudah dapat dari Dinsos: KK 1703 1202 0211 2254"
    w.run(requests.reject_request, COORDINATOR, request_id=request_id, reason=reason)
    monkeypatch.setitem(GRANTS, Permission.VIEW_EMERGENCY,
                        GRANTS[Permission.VIEW_EMERGENCY] | {Role.PUSKESOS_BACK})
    make_user(role="puskesos_back", username="pusk")
    for viewer, sees_numbers in ((STAFF, False), (COORDINATOR, False), ("pusk", True)):
        one = client.get(f"/api/v1/emergency/requests/{request_id}",
                         headers=auth.headers(viewer)).get_json()
        listed = client.get("/api/v1/emergency/requests",
                            headers=auth.headers(viewer)).get_json()["items"]
        auth.login(viewer)
        page = client.get(f"/emergency/requests/{request_id}").get_data(as_text=True)
        auth.logout()
        for shown in (one, *[r for r in listed if r["id"] == request_id]):
            if sees_numbers:
                assert (shown["notes"], shown["reason"]) == (notes, reason)
            else:
                assert shown["notes"] == "Untuk keluarga NIK 1703**********75, 5 jiwa di RT 02"
                assert shown["reason"] == "Sudah dapat dari Dinsos: KK 1703**********54"
        assert (NIK in page) is sees_numbers
        assert ("1703 1202 0211 2254" in page) is sees_numbers
        if not sees_numbers:
            assert "5 jiwa di RT 02" in page
            assert "KK 1703**********54" in page


def test_a_reversed_release_is_marked_on_the_request_page_and_its_notes_stay_masked(
        app, client, auth, requests_world):
    """Two trucks deliver one request; the first never left and is reversed. The request
    page still lists it (history is not rewritten) but struck through with its reversal,
    the second stands. The release's notes name a family by NIK: the posko staff who open
    the release from their request see the number masked."""
    from logistics.stock import operations
    from tests.emergency.request_factories import KEEPER as keeper

    w = requests_world
    request_id = w.ask([{"item_id": w.ids["rice"], "qty": 30}])
    w.approve(request_id, 30)
    first, _ = w.fulfil(request_id, 20, notes=f"Untuk keluarga NIK {NIK}")
    second, _ = w.fulfil(request_id, 10)
    w.run(lambda session, *, actor: operations.reverse_document(
        session, actor=actor, document_id=first, notes="Truk batal berangkat"), keeper)

    auth.login(STAFF)
    page = client.get(f"/emergency/requests/{request_id}").get_data(as_text=True)
    marked = re.findall(r'<li data-testid="reversed-release">.*?</li>', page, re.S)
    with app.app_context():
        from logistics.stock.documents import Document
        numbers = {d.id: d.number for d in db.session.scalars(select(Document))}
    assert len(marked) == 1
    assert numbers[first] in marked[0]
    assert numbers[second] not in marked[0]
    assert numbers[second] in page
    document = client.get(f"/stock/documents/{first}")
    assert document.status_code == 200
    shown = document.get_data(as_text=True)
    assert NIK not in shown
    assert "Untuk keluarga NIK 1703**********75" in shown
    api = client.get(f"/api/v1/stock/documents/{first}", headers=auth.headers(STAFF))
    assert api.status_code == 200
    assert api.get_json()["notes"] == "Untuk keluarga NIK 1703**********75"
