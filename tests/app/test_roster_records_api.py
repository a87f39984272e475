"""A volunteer's records, the catalogue, certificates, pipeline, regu and equipment over the
API: one row per Idempotency-Key, refusals as 422/409 on their field with nothing written, and
no NIK in any answer."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from logistics.calendar import local_today
from logistics.roster import trainings
from logistics.roster.deployment_models import Equipment
from logistics.roster.models import Promotion, Training, Unavailability, Volunteer

API = "/api/v1/roster"
TODAY = local_today()


def count(app, model, **where) -> int:
    with app.app_context():
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return db.session.scalar(query)


def niks(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Volunteer.nik)))


def test_the_catalogue_over_the_api(roster, client, auth):
    roster.seed_skills()
    headers = auth.headers(roster.coordinator())
    listed = client.get(f"{API}/skills", headers=headers).get_json()
    assert listed[0]["code"] == "dapur_umum"
    body = {"code": "tali_temali", "name": "Tali temali"}
    first = client.post(f"{API}/skills", json=body, headers=headers)
    assert first.status_code == 201
    assert client.post(f"{API}/skills", json=body, headers=headers).get_json() == \
        first.get_json()  # a retry gets the same line back
    clash = client.post(f"{API}/skills", json={"code": "lain", "name": "LOGISTIK"},
                        headers=headers)
    assert clash.status_code == 409
    assert list(clash.get_json()["errors"]) == ["name"]
    renamed = client.patch(f"{API}/skills/tali_temali", json={"name": "Simpul"},
                           headers=headers)
    assert renamed.get_json()["name"] == "Simpul"
    assert client.patch(f"{API}/skills/terbang", json={"name": "X"},
                        headers=headers).status_code == 404


def test_a_volunteers_skills_one_at_a_time(roster, client, auth):
    roster.seed_skills()
    person = roster.volunteer()
    headers = auth.headers(roster.coordinator())
    url = f"{API}/volunteers/{person}/skills"
    assert client.post(url, json={"skill_code": "ldp", "level": 3},
                       headers=headers).get_json() == {"skill_code": "ldp", "level": 3}
    client.post(url, json={"skill_code": "logistik"}, headers=headers)
    refused = client.post(url, json={"skill_code": "terbang", "level": 1}, headers=headers)
    assert refused.status_code == 422
    assert list(refused.get_json()["errors"]) == ["skill_code"]
    assert client.delete(f"{url}/ldp", headers=headers).status_code == 204
    shown = client.get(f"{API}/volunteers/{person}", headers=headers).get_json()
    assert shown["skills"] == [{"skill_code": "logistik", "level": 1}]


def training(**changes) -> dict:
    body = {"kind": "dasar", "certificate_no": "DD-API-1",
            "started_on": (TODAY - timedelta(20)).isoformat(),
            "ended_on": (TODAY - timedelta(15)).isoformat(),
            "expires_on": (TODAY + timedelta(20)).isoformat()}
    body.update(changes)
    return body


def test_a_training_is_recorded_once_per_key_and_bad_dates_write_nothing(roster, client,
                                                                         auth, app):
    person = roster.volunteer()
    headers = auth.headers(roster.coordinator())
    url = f"{API}/volunteers/{person}/trainings"
    keyed = {**headers, "Idempotency-Key": "latih-api-1"}
    first = client.post(url, json=training(), headers=keyed)
    assert first.status_code == 201
    assert client.post(url, json=training(), headers=keyed).get_json()["id"] == \
        first.get_json()["id"]
    assert client.post(url, json=training(certificate_no="X"),
                       headers=keyed).status_code == 409  # the key, another body
    bad = client.post(url, json=training(certificate_no="DD-API-2",
                                         expires_on=(TODAY - timedelta(30)).isoformat()),
                      headers=headers)
    assert bad.status_code == 422
    assert list(bad.get_json()["errors"]) == ["expires_on"]
    assert count(app, Training, volunteer_id=person) == 1
    assert [row["certificate_no"] for row in client.get(url, headers=headers).get_json()] == \
        ["DD-API-1"]
    expiring = client.get(f"{API}/certificates/expiring", headers=headers,
                          query_string={"within_days": 30}).get_json()
    assert [(row["volunteer_id"], row["days_left"]) for row in expiring] == [(person, 20)]


def test_unavailable_days_over_the_api(roster, client, auth, app):
    person = roster.volunteer()
    headers = auth.headers(roster.coordinator())
    url = f"{API}/volunteers/{person}/unavailable"
    bad = client.post(url, json={"starts_on": TODAY.isoformat(),
                                 "ends_on": (TODAY - timedelta(2)).isoformat()},
                      headers=headers)
    assert bad.status_code == 422
    assert list(bad.get_json()["errors"]) == ["ends_on"]
    past = client.post(url, json={"starts_on": (TODAY - timedelta(9)).isoformat(),
                                  "ends_on": (TODAY - timedelta(8)).isoformat()},
                       headers=headers).get_json()["id"]
    future = client.post(url, json={"starts_on": (TODAY + timedelta(1)).isoformat(),
                                    "ends_on": (TODAY + timedelta(3)).isoformat(),
                                    "reason": "Sakit"},
                         headers={**headers, "Idempotency-Key": "away-api"}).get_json()["id"]
    overlap = client.post(url, json={"starts_on": (TODAY + timedelta(3)).isoformat(),
                                     "ends_on": (TODAY + timedelta(5)).isoformat()},
                          headers=headers)
    assert overlap.status_code == 409
    assert list(overlap.get_json()["errors"]) == ["starts_on"]
    assert client.delete(f"{url}/{past}", headers=headers).status_code == 409
    assert client.delete(f"{url}/{future}", headers=headers).status_code == 204
    assert client.delete(f"{url}/{future}", headers=headers).status_code == 404
    assert [row["id"] for row in client.get(url, headers=headers).get_json()] == [past]
    assert count(app, Unavailability, volunteer_id=person) == 1


def test_a_promotion_over_the_api_and_a_duplicate_nia(roster, client, auth, app):
    roster.volunteer(nia="TGN-1703-0200", name="Pemegang")
    person = roster.volunteer(kind="sahabat_tagana")
    headers = auth.headers(roster.coordinator())
    url = f"{API}/volunteers/{person}/promotions"
    taken = client.post(url, json={"nia": "tgn-1703-0200"}, headers=headers)
    assert taken.status_code == 409
    assert "Pemegang" in taken.get_json()["errors"]["nia"][0]
    assert count(app, Promotion) == 0
    keyed = {**headers, "Idempotency-Key": "naik-api"}
    made = client.post(url, json={"nia": "TGN-1703-0201", "decree_ref": "SK 3"}, headers=keyed)
    assert made.status_code == 201
    assert made.get_json()["promoted_on"] == TODAY.isoformat()
    assert client.post(url, json={"nia": "TGN-1703-0201", "decree_ref": "SK 3"},
                       headers=keyed).get_json()["id"] == made.get_json()["id"]
    assert client.post(url, json={"nia": "TGN-1703-0202"}, headers=headers).status_code == 409
    assert [row["nia"] for row in client.get(url, headers=headers).get_json()] == [
        "TGN-1703-0201"]
    with app.app_context():
        assert db.session.get(Volunteer, person).kind == "tagana"


def test_the_pipeline_over_the_api(roster, client, auth):
    ready = roster.volunteer(kind="sahabat_tagana")
    lacking = roster.volunteer(kind="sahabat_tagana", home_desa_code=roster.FAR_DESA)
    with roster.app.app_context():
        trainings.record_training(db.session, actor=roster.actor(), volunteer_id=ready,
                                  kind="dasar", certificate_no="DD-P",
                                  started_on=TODAY - timedelta(9),
                                  ended_on=TODAY - timedelta(8))
        db.session.commit()
    headers = auth.headers(roster.coordinator())
    groups = client.get(f"{API}/pipeline", headers=headers).get_json()
    found = {person["volunteer_id"]: person["lacking"]
             for group in groups for person in group["volunteers"]}
    assert found == {ready: [], lacking: ["dasar"]}
    only = client.get(f"{API}/pipeline", headers=headers,
                      query_string={"kecamatan_code": roster.OTHER_KECAMATAN}).get_json()
    assert [group["kecamatan_code"] for group in only] == [roster.OTHER_KECAMATAN]


def test_regu_over_the_api_show_no_nik(roster, client, auth, app, make_user):
    leader, member, other = roster.volunteer(), roster.volunteer(), roster.volunteer()
    headers = auth.headers(roster.coordinator())
    keyed = {**headers, "Idempotency-Key": "regu-api"}
    body = {"name": "Regu Arga Makmur", "leader_id": leader, "member_ids": [member]}
    made = client.post(f"{API}/teams", json=body, headers=keyed)
    assert made.status_code == 201
    team = made.get_json()["id"]
    assert client.post(f"{API}/teams", json=body, headers=keyed).get_json()["id"] == team
    again = client.post(f"{API}/teams", json={"name": "Regu B", "leader_id": other,
                                              "member_ids": [member]}, headers=headers)
    assert again.status_code == 409
    assert list(again.get_json()["errors"]) == ["member_ids.0"]
    added = client.post(f"{API}/teams/{team}/members", json={"volunteer_id": other},
                        headers=headers).get_json()
    assert [row["volunteer_id"] for row in added["members"]][0] == leader
    assert client.delete(f"{API}/teams/{team}/members/{leader}",
                         headers=headers).status_code == 409
    left = client.delete(f"{API}/teams/{team}/members/{member}", headers=headers).get_json()
    assert {row["volunteer_id"] for row in left["members"]} == {leader, other}
    lines = client.get(f"{API}/teams", headers=headers).get_json()
    assert [(line["name"], line["members"]) for line in lines] == [("Regu Arga Makmur", 2)]
    make_user(role="leadership", username="kadis-api")
    reader = auth.headers("kadis-api")
    text = json.dumps([client.get(f"{API}/teams/{team}", headers=reader).get_json(),
                       client.get(f"{API}/teams", headers=reader).get_json()])
    for nik in niks(app):
        assert nik not in text
    assert "nik" not in text
    assert client.post(f"{API}/teams/{team}/members", json={"volunteer_id": member},
                       headers=reader).status_code == 403


def test_equipment_registered_and_corrected_over_the_api(roster, client, auth, app):
    roster.coordinator()
    headers = auth.headers(roster.coordinator())
    body = {"code": "pk 07", "kind": "perahu_karet", "name": "Perahu karet 7"}
    made = client.post(f"{API}/equipment", json=body,
                       headers={**headers, "Idempotency-Key": "alat-api"})
    assert made.status_code == 201
    item = made.get_json()["id"]
    assert made.get_json()["code"] == "PK 07"
    clash = client.post(f"{API}/equipment", json={**body, "code": "PK  07"}, headers=headers)
    assert clash.status_code == 409
    assert list(clash.get_json()["errors"]) == ["code"]
    bad = client.post(f"{API}/equipment", json={**body, "code": "X1", "kind": "pesawat"},
                      headers=headers)
    assert bad.status_code == 422
    assert count(app, Equipment) == 1
    changed = client.patch(f"{API}/equipment/{item}", json={"status": "retired",
                                                            "notes": "Bocor"},
                           headers=headers).get_json()
    assert (changed["status"], changed["notes"]) == ("retired", "Bocor")
    back = client.patch(f"{API}/equipment/{item}", json={"status": "ready"}, headers=headers)
    assert back.status_code == 409
