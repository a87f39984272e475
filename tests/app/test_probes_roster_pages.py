"""Attack probes on the roster's pages and API (issue 18): masking per role, posko staff kept to
their posko, retries with one Idempotency-Key (also after midnight WIB), imports of many rows
with repeats and one bad row, Indonesian field messages with nothing written. Both databases."""

from __future__ import annotations

import io
from datetime import date, timedelta

from sqlalchemy import func, select

from app.extensions import db
from logistics import calendar
from logistics.roster.deployment_models import OutgoingMessage
from logistics.roster.models import Volunteer
from seeds.forms import build_roster_sample as sample
from tests.roster.dispatch_factories import hours_from_now
from tests.roster.test_roster_import import person

VOLUNTEERS, IMPORTS = "/api/v1/roster/volunteers", "/api/v1/roster/imports"
DISPATCHES = "/api/v1/roster/dispatches"


def count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Volunteer.id)))


def fields_json(roster, **changes) -> dict:
    values = roster.volunteer_fields(**changes)
    return {key: (value.isoformat() if isinstance(value, date) else value)
            for key, value in values.items() if value is not None}


def test_readers_without_personal_data_see_no_nik_birth_date_or_home_point(
        app, client, auth, roster, make_user):
    make_user(role="leadership", username="kadis-sosial")
    person_id = roster.volunteer(home_lon=102.0512, home_lat=-3.4487)
    with app.app_context():
        volunteer = db.session.get(Volunteer, person_id)
        nik, born = volunteer.nik, volunteer.birth_date
    for username in ("kadis-sosial", roster.coordinator()):
        headers = auth.headers(username)
        for url in (VOLUNTEERS, f"{VOLUNTEERS}/{person_id}"):
            answer = client.get(url, headers=headers)
            assert answer.status_code == 200, (username, url)
            text = answer.get_data(as_text=True)
            assert nik not in text, (username, url)
            assert nik[6:12] not in text, (username, url)
            assert born.isoformat() not in text, (username, url)
            if username == "kadis-sosial":
                assert "102.0512" not in text, url
                assert "-3.4487" not in text, url
    auth.login("kadis-sosial")
    for url in ("/roster/volunteers", f"/roster/volunteers/{person_id}"):
        page = client.get(url).get_data(as_text=True)
        assert nik not in page, url
        assert nik[6:12] not in page, url
        assert "102.0512" not in page, url


def test_posko_staff_are_refused_every_roster_api_whatever_posko_they_name(
        app, client, auth, dispatching, make_user):
    make_user(role="posko_staff", username="staf-lain")
    posko = dispatching.posko()
    budi = dispatching.volunteer("Budi")
    record = dispatching.send(volunteers=[{"volunteer_id": budi, "role": "dapur umum"}])
    deployment = dispatching.deployment_ids(record)[0]
    headers = auth.headers("staf-lain")
    for url in (VOLUNTEERS, f"{VOLUNTEERS}/{budi}", f"/api/v1/roster/deployments?posko_id={posko}",
                "/api/v1/roster/deployments", "/api/v1/roster/pipeline"):
        assert client.get(url, headers=headers).status_code == 403, url
    answer = client.post(f"/api/v1/roster/deployments/{deployment}/check-in", headers=headers)
    assert answer.status_code == 403
    auth.login("staf-lain")
    assert client.get(f"/roster/posko/{posko}/people").status_code == 403
    assert client.get(f"/roster/posko/{posko + 999}/people").status_code in (403, 404)


def test_the_message_text_carries_no_nik_and_no_home(app, dispatching):
    budi = dispatching.volunteer("Budi")
    dispatching.send(volunteers=[{"volunteer_id": budi, "role": "dapur umum"}])
    with app.app_context():
        volunteer = db.session.get(Volunteer, budi)
        message = db.session.scalar(select(OutgoingMessage))
        assert message.phone == volunteer.phone
        for text in (message.body, message.link):
            assert volunteer.nik not in text
            assert volunteer.birth_date.isoformat() not in text


def test_a_bad_or_duplicate_nik_is_answered_on_its_field_in_indonesian_without_the_number(
        app, client, auth, roster):
    headers = {**auth.headers(roster.coordinator()), "Accept-Language": "id"}
    body = fields_json(roster)
    assert client.post(VOLUNTEERS, json=body, headers=headers).status_code == 201
    again = client.post(VOLUNTEERS, json={**fields_json(roster), "nik": body["nik"]},
                        headers=headers)
    assert again.status_code == 409
    assert body["nik"] not in again.get_data(as_text=True)
    assert set(again.get_json()["errors"]) == {"nik"}
    short = client.post(VOLUNTEERS, json={**fields_json(roster), "nik": body["nik"][:15]},
                        headers=headers)
    assert short.status_code == 422
    assert short.get_json()["errors"]["nik"] == ["NIK terdiri dari 16 angka."]
    assert count(app) == 1


def test_a_registration_retried_after_midnight_wib_is_one_volunteer(
        app, client, auth, roster, monkeypatch):
    headers = {**auth.headers(roster.coordinator()), "Idempotency-Key": "relawan-malam-1"}
    body = fields_json(roster, joined_on=None)
    first = client.post(VOLUNTEERS, json=body, headers=headers)
    assert first.status_code == 201, first.get_json()
    tomorrow = calendar.local_today() + timedelta(days=1)
    monkeypatch.setattr(calendar, "local_today", lambda: tomorrow)
    import logistics.roster.volunteers as module
    monkeypatch.setattr(module, "local_today", lambda: tomorrow)
    again = client.post(VOLUNTEERS, json=body, headers=headers)
    assert again.status_code == 201
    assert again.get_json()["id"] == first.get_json()["id"]
    other = client.post(VOLUNTEERS, json={**body, "name": "Orang Lain"}, headers=headers)
    assert other.status_code == 409
    assert count(app) == 1


def test_a_dispatch_retried_after_midnight_wib_is_one_dispatch(
        app, client, auth, dispatching, monkeypatch):
    crew = dispatching.volunteers(2)
    starts, ends = hours_from_now(0, 30)
    body = {"posko_id": dispatching.posko(), "starts_at": starts.isoformat(),
            "ends_at": ends.isoformat(),
            "volunteers": [{"volunteer_id": v, "role": "dapur umum"} for v in crew]}
    headers = {**auth.headers(dispatching.coordinator()), "Idempotency-Key": "kirim-malam"}
    first = client.post(DISPATCHES, json=body, headers=headers)
    assert first.status_code == 201, first.get_json()
    tomorrow = calendar.local_today() + timedelta(days=1)
    import logistics.roster.dispatch as module
    monkeypatch.setattr(calendar, "local_today", lambda: tomorrow)
    monkeypatch.setattr(module, "local_today", lambda: tomorrow)
    again = client.post(DISPATCHES, json=body, headers=headers)
    assert again.status_code == 201
    assert again.get_json() == first.get_json()
    other = client.post(DISPATCHES, json={**body, "volunteers": body["volunteers"][:1]},
                        headers=headers)
    assert other.status_code == 409
    assert dispatching.counts()[:2] == (1, 2)


def upload(client, headers, lines):
    return client.post(IMPORTS, headers=headers, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(sample.csv_bytes(lines)), "daftar.csv")})


def test_an_import_of_500_rows_with_one_bad_writes_nothing_and_names_that_row(
        app, client, auth, roster):
    roster.seed_skills()
    headers = auth.headers(roster.coordinator())
    lines = [person(roster, n, kind="Tagana" if n % 5 == 0 else "Sahabat Tagana")
             for n in range(1, 501)]
    lines[311] = person(roster, 312, **{"Telepon": "021-555-0000"})
    answer = upload(client, headers, lines)
    assert answer.status_code == 422
    rows = answer.get_json()["errors"]["rows"]
    assert [row["row"] for row in rows] == [313]
    assert count(app) == 0


def test_the_same_person_twice_in_a_file_is_refused_and_a_re_import_updates_in_place(
        app, client, auth, roster):
    roster.seed_skills()
    headers = auth.headers(roster.coordinator())
    lines = [person(roster, n, kind="Tagana" if n % 5 == 0 else "Sahabat Tagana")
             for n in range(1, 21)]
    twice = person(roster, 7)
    twice[sample.HEADER.index("Nama *")] = "Nama Lain"
    spaced = twice[sample.HEADER.index("NIK *")]
    twice[sample.HEADER.index("NIK *")] = f"{spaced[:4]} {spaced[4:10]}.{spaced[10:]}"
    answer = upload(client, headers, [*lines, twice])
    assert answer.status_code == 422
    assert [row["row"] for row in answer.get_json()["errors"]["rows"]] == [22]
    assert count(app) == 0
    assert upload(client, headers, lines).status_code == 201
    changed = [person(roster, n, kind="Tagana" if n % 5 == 0 else "Sahabat Tagana",
                      **{"Telepon": "+62 813 9000 0001" if n == 10 else f"0812-7000-{n:04d}",
                         "NIA": f"tgn  1703 {n:04d}" if n % 5 == 0 else None})
               for n in range(1, 21)]
    answer = upload(client, headers, changed)
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["created"] == 0
    assert count(app) == 20
    with app.app_context():
        phone = db.session.scalar(select(Volunteer.phone).where(
            Volunteer.nia == "TGN 1703 0010"))
    assert phone == "+6281390000001"
