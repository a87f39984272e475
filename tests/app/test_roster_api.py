"""The roster over the API: filters and pages, masking per role, registration that happens
once per Idempotency-Key, refusals on their field with nothing written, corrections, and the
equipment register."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from app.extensions import db
from logistics.calendar import local_today
from logistics.core.identity import make_nik
from logistics.roster import availability, trainings, volunteers
from logistics.roster.models import Volunteer

API = "/api/v1/roster/volunteers"


def ids_of(response) -> set[int]:
    assert response.status_code == 200, response.get_json()
    return {row["id"] for row in response.get_json()["items"]}


def count_volunteers(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Volunteer))


def act(roster, operation, **arguments):
    with roster.app.app_context():
        result = operation(db.session, actor=roster.actor(), **arguments)
        db.session.commit()
        return result


def body(roster, **changes) -> dict:
    values = {"kind": "tagana", "nia": "TGN 1703 0420", "name": "Nurul Hidayah",
              "nik": make_nik(roster.KECAMATAN, date(1993, 6, 21), "F", 420),
              "phone": "0813 1234 0420", "home_desa_code": roster.DESA,
              "home_lon": roster.HOME[0], "home_lat": roster.HOME[1]}
    values.update(changes)
    return values


def test_the_list_filters_like_the_page(roster, volunteers_few, client, auth):
    roster.seed_skills()
    ids = volunteers_few
    act(roster, volunteers.set_skills, volunteer_id=ids["sahabat"],
        skills=[{"skill_code": "evakuasi", "level": 2}])
    today = local_today()
    act(roster, availability.declare_unavailable, volunteer_id=ids["tagana"],
        starts_on=today - timedelta(days=1), ends_on=today)
    act(roster, trainings.record_training, volunteer_id=ids["tagana_2"], kind="dasar",
        certificate_no="DD-9", started_on=today - timedelta(days=400),
        ended_on=today - timedelta(days=399), expires_on=today + timedelta(days=45))
    headers = auth.headers(roster.coordinator())
    everyone = set(ids.values())
    assert ids_of(client.get(API, headers=headers)) == everyone
    assert ids_of(client.get(API, headers=headers, query_string={
        "kecamatan_code": roster.OTHER_KECAMATAN})) == {ids["sahabat_far"]}
    assert ids_of(client.get(API, headers=headers, query_string={
        "kind": "sahabat_tagana", "kecamatan_code": roster.KECAMATAN})) == {ids["sahabat"]}
    assert ids_of(client.get(API, headers=headers, query_string={
        "skill_code": "evakuasi"})) == {ids["sahabat"]}
    assert ids_of(client.get(API, headers=headers, query_string={
        "available_now": "true"})) == everyone - {ids["tagana"], ids["suspended"]}
    assert ids_of(client.get(API, headers=headers, query_string={
        "expiring_within_days": 30})) == set()
    assert ids_of(client.get(API, headers=headers, query_string={
        "expiring_within_days": 60})) == {ids["tagana_2"]}
    assert ids_of(client.get(API, headers=headers, query_string={
        "status": "suspended"})) == {ids["suspended"]}


def test_pages_follow_one_another_without_gaps_or_repeats(roster, client, auth):
    made = [roster.volunteer() for _ in range(5)]
    headers = auth.headers(roster.coordinator())
    seen, after = [], None
    while True:
        query = {"limit": 2, **({"after": after} if after else {})}
        page = client.get(API, headers=headers, query_string=query).get_json()
        seen += [row["id"] for row in page["items"]]
        after = page["next"]
        if after is None:
            break
    assert seen == made


def test_the_nik_and_birth_date_are_masked_and_the_home_point_kept_for_managers(
        roster, client, auth, make_user):
    volunteer_id = roster.volunteer(home_lon=roster.HOME[0], home_lat=roster.HOME[1])
    with roster.app.app_context():
        nik = db.session.get(Volunteer, volunteer_id).nik
    make_user(role="leadership", username="pimpinan")
    for username, sees_home in ((roster.coordinator(), True), ("pimpinan", False)):
        headers = auth.headers(username)
        for row in (client.get(f"{API}/{volunteer_id}", headers=headers).get_json(),
                    client.get(API, headers=headers).get_json()["items"][0]):
            assert row["nik"] == f"{nik[:4]}{'*' * 10}{nik[-2:]}"
            assert row["birth_date"] is None
            assert row["age"] >= 18
            assert ("home_lat" in row) is sees_home
    make_user(role="posko_staff", username="posko-dua")
    headers = auth.headers("posko-dua")
    assert client.get(f"{API}/{volunteer_id}", headers=headers).status_code == 403
    assert client.get(API, headers=headers).status_code == 403


def test_a_retried_post_with_the_same_key_registers_one_volunteer(roster, client, auth, app):
    headers = {**auth.headers(roster.coordinator()), "Idempotency-Key": "daftar-420"}
    first = client.post(API, json=body(roster), headers=headers)
    assert first.status_code == 201, first.get_json()
    again = client.post(API, json=body(roster), headers=headers)
    assert again.status_code == 201
    assert again.get_json()["id"] == first.get_json()["id"]
    assert first.get_json()["nia"] == "TGN 1703 0420"
    assert first.get_json()["phone"] == "+6281312340420"
    assert count_volunteers(app) == 1
    other = client.post(API, json=body(roster, name="Nama Lain"), headers=headers)
    assert other.status_code == 409
    assert count_volunteers(app) == 1


def test_a_bad_nik_and_a_duplicate_nia_are_refused_on_their_field(roster, client, auth, app):
    roster.volunteer(nia="TGN 1703 0420", name="Pemegang")
    headers = auth.headers(roster.coordinator())
    bad = client.post(API, json=body(roster, nik="1703011234", nia="TGN 1703 9999"),
                      headers=headers)
    assert bad.status_code == 422
    assert set(bad.get_json()["errors"]) == {"nik"}
    twice = client.post(API, json=body(roster, nia="tgn  1703 0420"), headers=headers)
    assert twice.status_code == 409
    assert set(twice.get_json()["errors"]) == {"nia"}
    assert "Pemegang" in twice.get_json()["errors"]["nia"][0]
    assert count_volunteers(app) == 1


def test_patch_corrects_only_what_is_sent(roster, client, auth, app):
    volunteer_id = roster.volunteer(name="Agus", phone="081299990000")
    headers = auth.headers(roster.coordinator())
    response = client.patch(f"{API}/{volunteer_id}", json={"name": "Agus Salim",
                                                           "status": "inactive"},
                            headers=headers)
    assert response.status_code == 200, response.get_json()
    row = response.get_json()
    assert (row["name"], row["status"], row["phone"]) == ("Agus Salim", "inactive",
                                                         "+6281299990000")
    refused = client.patch(f"{API}/{volunteer_id}", json={"nik": "17030112"},
                           headers=headers)
    assert refused.status_code == 422
    assert "nik" in refused.get_json()["errors"]
    with app.app_context():
        assert db.session.get(Volunteer, volunteer_id).name == "Agus Salim"


def test_the_equipment_register_lists_what_is_not_retired(dispatching, client, auth):
    boat = dispatching.equipment("Perahu karet Enggano")
    truck = dispatching.equipment("Truk Dinsos", kind="truk")
    dispatching.equipment("Genset lama", kind="genset", status="retired")
    headers = auth.headers(dispatching.coordinator())
    listed = client.get("/api/v1/roster/equipment", headers=headers)
    assert ids_of(listed) == {boat, truck}
    assert ids_of(client.get("/api/v1/roster/equipment", headers=headers,
                             query_string={"kind": "truk"})) == {truck}
    first = client.get("/api/v1/roster/equipment", headers=headers,
                       query_string={"limit": 1}).get_json()
    second = client.get("/api/v1/roster/equipment", headers=headers,
                        query_string={"limit": 1, "after": first["next"]}).get_json()
    assert [first["items"][0]["id"], second["items"][0]["id"]] == [boat, truck]
    assert second["next"] is None
