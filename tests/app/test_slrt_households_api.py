"""The households API: registration once per Idempotency-Key, conflicts and field errors on
their field, numbers masked by role, the register status, members added and moved, and
another Puskesos refused with nothing changed."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from sqlalchemy import func, select

from app.extensions import db
from logistics.calendar import local_today
from logistics.core.identity import make_nik
from logistics.referrals.models import Household, Membership, PersonalDataAccess
from tests.referrals.factories import make_kk

KEC = "17.03.01"
URL = "/api/v1/slrt/households"
KK = make_kk(KEC, 701)


def body(**extra) -> dict:
    return {"kk_number": KK, "desa_code": "17.03.01.2001", "address": "Jl. Anggrek 1",
            "phone": "0812-3456-7890", "register": "dtks", "welfare_decile": 2,
            "members": [
                {"name": "Ahmad", "nik": make_nik(KEC, date(1975, 5, 6), "M", 701), "sex": "L",
                 "relation": "kepala"},
                {"name": "Siti", "nik": make_nik(KEC, date(1978, 7, 8), "F", 702), "sex": "P",
                 "birth_date": "1978-07-08", "relation": "istri_suami"}], **extra}


@pytest.fixture
def api(app, auth):
    def headers(username, **extra):
        return {**auth.headers(username), **extra}
    return headers


def counts(app):
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (Household, Membership))


def test_registration_is_idempotent_and_shows_the_clerk_the_numbers(app, api, slrt, caplog):
    client, front = app.test_client(), api(slrt.staff("puskesos_front"), **{
        "Idempotency-Key": "reg-1"})
    with caplog.at_level(logging.DEBUG):
        first = client.post(URL, json=body(), headers=front)
        second = client.post(URL, json=body(), headers=front)
    assert first.status_code == 201
    assert second.status_code == 201
    assert first.get_json()["id"] == second.get_json()["id"]
    made = first.get_json()
    assert made["kk_number"] == KK
    assert made["phone"] == "+6281234567890"
    assert [m["relation"] for m in made["members"]] == ["kepala", "istri_suami"]
    assert made["members"][0]["birth_date"] == "1975-05-06"
    assert counts(app) == (1, 2)
    assert KK not in caplog.text


@pytest.mark.parametrize(("change", "status", "field"), [
    ({"kk_number": "1703-01"}, 422, "kk_number"),
    ({"members": [{"name": "A", "sex": "P", "relation": "kepala",
                   "nik": make_nik(KEC, date(1975, 5, 6), "M", 801)}]}, 422, "members.0.sex"),
    ({"members": [{"name": "A", "sex": "L", "relation": "anak"}]}, 422, "members"),
    ({"welfare_decile": 11}, 422, "welfare_decile"),
    ({"members": []}, 422, "members"),
])
def test_bad_bodies_are_422_on_their_field(app, api, slrt, change, status, field):
    response = app.test_client().post(URL, json=body(**change),
                                      headers=api(slrt.staff("puskesos_front")))
    assert response.status_code == status
    assert field in response.get_json()["errors"]
    assert counts(app) == (0, 0)


def test_a_taken_kk_or_a_nik_living_elsewhere_is_409_without_the_number(app, api, slrt,
                                                                        caplog):
    client, front = app.test_client(), api(slrt.staff("puskesos_front"))
    client.post(URL, json=body(), headers=front)
    with caplog.at_level(logging.DEBUG):
        taken = client.post(URL, json=body(members=body()["members"][:1]), headers=front)
        elsewhere = client.post(URL, json=body(kk_number=make_kk(KEC, 702)), headers=front)
    assert taken.status_code == 409
    assert "kk_number" in taken.get_json()["errors"]
    assert elsewhere.status_code == 409
    assert "members.0.nik" in elsewhere.get_json()["errors"]
    nik = body()["members"][0]["nik"]
    assert nik not in elsewhere.get_data(as_text=True)
    assert nik not in caplog.text
    assert counts(app) == (1, 2)


@pytest.mark.parametrize(("role", "full"), [
    ("puskesos_back", True), ("admin", False), ("leadership", False)])
def test_numbers_are_masked_unless_the_role_may_see_them(app, api, slrt, make_user, role, full):
    household = slrt.household()
    user = slrt.staff(role) if role.startswith("puskesos") else make_user(role=role)
    client, headers = app.test_client(), api(user)
    one = client.get(f"{URL}/{household}", headers=headers).get_json()
    page = client.get(URL, headers=headers).get_json()
    with app.app_context():
        kk = db.session.get(Household, household).kk_number
        views = db.session.scalar(select(func.count()).select_from(PersonalDataAccess))
    assert (one["kk_number"] == kk) is full
    assert (page["items"][0]["kk_number"] == kk) is full
    assert ("*" in one["members"][0]["nik"]) is not full
    assert (one["members"][0]["birth_date"] is None) is not full
    assert views == (1 if full else 0)


def test_register_status_members_and_moves(app, api, slrt):
    here, there = slrt.household(), slrt.household()
    client = app.test_client()
    back, front = api(slrt.staff("puskesos_back")), api(slrt.staff("puskesos_front"))
    today = local_today().isoformat()
    status = client.patch(f"{URL}/{here}/register-status", headers=back, json={
        "register": None, "checked_on": today})
    assert status.status_code == 200
    assert status.get_json()["register"] is None
    assert client.patch(f"{URL}/{here}/register-status", headers=front, json={
        "register": "dtsen", "welfare_decile": 9, "checked_on": today}).status_code == 200
    assert client.post(f"{URL}/{here}/members", headers=back, json={
        "name": "Bayi", "sex": "L", "relation": "anak"}).status_code == 403
    added = client.post(f"{URL}/{here}/members", headers=front, json={
        "name": "Bayi", "sex": "L", "relation": "anak"})
    assert added.status_code == 201
    moved = client.post(f"{URL}/{here}/members/{added.get_json()['person_id']}/move",
                        headers=front, json={"to_household_id": there, "reason": "diasuh"})
    assert moved.status_code == 201
    members = client.get(f"{URL}/{there}", headers=front).get_json()["members"]
    assert "Bayi" in [m["name"] for m in members]


def test_another_puskesos_is_refused_and_nothing_changes(app, api, slrt):
    household = slrt.household()
    outsider = api(slrt.staff("puskesos_front", slrt.OTHER_DESA, username="fo-far"))
    client, before = app.test_client(), counts(app)
    assert client.get(f"{URL}/{household}", headers=outsider).status_code == 403
    assert client.post(f"{URL}/{household}/members", headers=outsider, json={
        "name": "Tamu", "sex": "L", "relation": "lainnya"}).status_code == 403
    assert client.patch(f"{URL}/{household}/register-status", headers=outsider, json={
        "register": None, "checked_on": local_today().isoformat()}).status_code == 403
    assert client.post(URL, headers=outsider, json=body()).status_code == 403
    assert client.get(URL, headers=outsider).get_json()["items"] == []
    assert counts(app) == before
    with app.app_context():
        assert db.session.get(Household, household).register == "dtks"
