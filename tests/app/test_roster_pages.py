"""The coordinator's roster pages: filters that really filter, NIK masked by role, a profile
with trainings, availability, regu and hours served, and the registration form that keeps
what was typed and writes nothing when refused."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import func, select

from app.extensions import db
from logistics.calendar import local_today
from logistics.core.identity import make_nik
from logistics.roster import availability, deployments, trainings, volunteers
from logistics.roster.models import Volunteer
from tests.browser.conftest import gettext_id
from tests.roster.dispatch_factories import hours_from_now


def listed(client, **query) -> set[int]:
    response = client.get("/roster/volunteers", query_string=query)
    assert response.status_code == 200
    return {int(found) for found in re.findall(r'data-volunteer="(\d+)"',
                                               response.get_data(as_text=True))}


def as_coordinator(roster, auth) -> None:
    auth.login(roster.coordinator())


def act(roster, operation, **arguments):
    with roster.app.app_context():
        result = operation(db.session, actor=roster.actor(), **arguments)
        db.session.commit()
        return result


def count_volunteers(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Volunteer))


def test_each_filter_keeps_only_the_volunteers_it_names(roster, volunteers_few, client, auth):
    roster.seed_skills()
    ids = volunteers_few
    act(roster, volunteers.set_skills, volunteer_id=ids["tagana"],
        skills=[{"skill_code": "dapur_umum", "level": 2}])
    act(roster, volunteers.set_skills, volunteer_id=ids["sahabat"],
        skills=[{"skill_code": "dapur_umum", "level": 1}, {"skill_code": "logistik"}])
    today = local_today()
    act(roster, availability.declare_unavailable, volunteer_id=ids["tagana_2"],
        starts_on=today, ends_on=today + timedelta(days=3))
    act(roster, trainings.record_training, volunteer_id=ids["sahabat_far"], kind="dasar",
        certificate_no="DD-1", started_on=today - timedelta(days=400),
        ended_on=today - timedelta(days=395), expires_on=today + timedelta(days=10))
    act(roster, trainings.record_training, volunteer_id=ids["tagana"], kind="dasar",
        certificate_no="DD-2", started_on=today - timedelta(days=400),
        ended_on=today - timedelta(days=395), expires_on=today + timedelta(days=90))
    as_coordinator(roster, auth)

    everyone = set(ids.values())
    assert listed(auth.client) == everyone
    assert listed(auth.client, kecamatan_code=roster.OTHER_KECAMATAN) == {ids["sahabat_far"]}
    assert listed(auth.client, kecamatan_code=roster.KECAMATAN) == everyone - {
        ids["sahabat_far"]}
    assert listed(auth.client, kind="sahabat_tagana") == {ids["sahabat"], ids["sahabat_far"]}
    assert listed(auth.client, kind="tagana") == {ids["tagana"], ids["tagana_2"],
                                                 ids["suspended"]}
    assert listed(auth.client, skill_code="dapur_umum") == {ids["tagana"], ids["sahabat"]}
    assert listed(auth.client, skill_code="logistik") == {ids["sahabat"]}
    # Away today, and suspended: neither is available now.
    assert listed(auth.client, available_now="1") == everyone - {ids["tagana_2"],
                                                                ids["suspended"]}
    assert listed(auth.client, expiring="1") == {ids["sahabat_far"]}
    assert listed(auth.client, kind="tagana", skill_code="logistik") == set()


def test_a_volunteer_at_a_posko_right_now_is_not_available_now(dispatching, client, auth):
    staying, sent = dispatching.volunteer(), dispatching.volunteer()
    dispatching.send(period=hours_from_now(-2, 24),
                     volunteers=[{"volunteer_id": sent, "role": "dapur umum"}])
    auth.login(dispatching.coordinator())
    assert listed(auth.client, available_now="1") == {staying}


def test_the_roster_pages_through_every_volunteer_once(roster, client, auth, monkeypatch):
    from app.roster import volunteer_views

    monkeypatch.setattr(volunteer_views, "PAGE_SIZE", 2)
    made = {roster.volunteer() for _ in range(5)}
    as_coordinator(roster, auth)
    seen, after, pages = [], None, 0
    while True:
        page = auth.client.get("/roster/volunteers", query_string={"after": after} if after
                               else {}).get_data(as_text=True)
        seen += [int(found) for found in re.findall(r'data-volunteer="(\d+)"', page)]
        pages += 1
        more = re.search(r'data-testid="roster-more" href="[^"]*after=(\d+)', page)
        if not more:
            break
        after = more.group(1)
    assert sorted(seen) == sorted(made)
    assert len(seen) == len(made)
    assert pages == 3


def test_the_nik_is_masked_for_roster_readers_without_personal_data(roster, client, auth,
                                                                     make_user):
    volunteer_id = roster.volunteer(name="Siti Aminah", sex="F", birth_date=date(1992, 3, 4))
    with roster.app.app_context():
        nik = db.session.get(Volunteer, volunteer_id).nik
    masked = f"{nik[:4]}{'*' * 10}{nik[-2:]}"
    for role in ("coordinator", "leadership", "admin"):
        make_user(role=role, username=f"lihat-{role}")
        auth.login(f"lihat-{role}")
        for path in ("/roster/volunteers", f"/roster/volunteers/{volunteer_id}"):
            page = auth.client.get(path).get_data(as_text=True)
            assert "Siti Aminah" in page
            assert nik not in page, (role, path)
            assert masked in page, (role, path)
        profile = auth.client.get(f"/roster/volunteers/{volunteer_id}").get_data(as_text=True)
        assert "1992-03-04" not in profile
        assert "4 Maret 1992" not in profile
        auth.logout()
    make_user(role="posko_staff", username="posko-satu")
    auth.login("posko-satu")
    assert auth.client.get(f"/roster/volunteers/{volunteer_id}").status_code == 403
    assert auth.client.get("/roster/volunteers").status_code == 403


def test_the_profile_shows_skills_trainings_availability_regu_and_hours(
        dispatching, roster, client, auth, app):
    roster.seed_skills()
    person = roster.volunteer(name="Budi Santoso")
    act(roster, volunteers.set_skills, volunteer_id=person,
        skills=[{"skill_code": "dapur_umum", "level": 3}])
    today = local_today()
    act(roster, trainings.record_training, volunteer_id=person, kind="dasar",
        certificate_no="DD-EXPIRED", started_on=today - timedelta(days=800),
        ended_on=today - timedelta(days=795), expires_on=today - timedelta(days=5))
    act(roster, trainings.record_training, volunteer_id=person, kind="lanjutan",
        certificate_no="DL-SOON", started_on=today - timedelta(days=300),
        ended_on=today - timedelta(days=295), expires_on=today + timedelta(days=20))
    act(roster, availability.declare_unavailable, volunteer_id=person,
        starts_on=today + timedelta(days=7), ends_on=today + timedelta(days=9),
        reason="Panen sawit")
    dispatching.team("Regu Enggano", [person], leader=person)
    record = dispatching.send(period=hours_from_now(-3, 24),
                              volunteers=[{"volunteer_id": person, "role": "dapur umum"}])
    deployment_id = dispatching.deployment_ids(record)[0]
    with app.app_context():
        deployments.check_in(db.session, actor=roster.actor(dispatching.coordinator()),
                             deployment_id=deployment_id)
        db.session.commit()
    as_coordinator(roster, auth)
    page = auth.client.get(f"/roster/volunteers/{person}").get_data(as_text=True)
    assert "Budi Santoso" in page
    assert gettext_id(app, "expert") in page
    assert re.search(r'data-expiry="expired"[^>]*>[^<]*', page)
    assert re.search(r'data-expiry="soon"', page)
    assert "DD-EXPIRED" in page
    assert "DL-SOON" in page
    assert "Panen sawit" in page
    assert "Regu Enggano" in page
    assert "dapur umum" in page
    assert re.search(r'data-testid="total-hours">[^<]*0', page)


def form_values(roster, **changes) -> dict:
    values = {"kind": "tagana", "nia": "TGN-1703-9001", "name": "Rahmat Hidayat",
              "nik": make_nik(roster.KECAMATAN, date(1991, 8, 17), "M", 9001),
              "sex": "", "birth_date": "", "phone": "0812-7788-9900",
              "home_desa_code": roster.DESA, "home_lon": "", "home_lat": "",
              "status": "active", "joined_on": "", "notes": "", "form_token": "tok-1"}
    values.update(changes)
    return values


def new_form(client) -> str:
    page = client.get("/roster/volunteers/new").get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def test_registering_from_the_form_puts_the_volunteer_on_the_roster_once(roster, client,
                                                                         auth, app):
    as_coordinator(roster, auth)
    values = form_values(roster, csrf_token=new_form(auth.client))
    first = auth.client.post("/roster/volunteers/new", data=values)
    assert first.status_code == 302
    again = auth.client.post("/roster/volunteers/new", data=values)  # a double tap
    assert again.status_code == 302
    assert again.location == first.location
    with app.app_context():
        person = db.session.scalar(select(Volunteer).where(Volunteer.name == "Rahmat Hidayat"))
        assert person.phone == "+6281277889900"
        assert person.birth_date == date(1991, 8, 17)
    assert count_volunteers(app) == 1


def test_a_bad_nik_is_told_on_its_field_with_what_was_typed_kept(roster, client, auth, app):
    as_coordinator(roster, auth)
    bad = "1703 0112 3456"
    response = auth.client.post("/roster/volunteers/new", data=form_values(
        roster, nik=bad, name="Dewi Lestari", csrf_token=new_form(auth.client)))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    nik_input = re.search(r'<input[^>]*name="nik"[^>]*>', page).group(0)
    assert f'value="{bad}"' in nik_input
    assert "is-invalid" in nik_input
    assert 'value="Dewi Lestari"' in page
    assert 'value="0812-7788-9900"' in page
    message = re.search(r'name="nik"[^>]*>\s*<div class="invalid-feedback[^"]*">([^<]+)',
                        page).group(1)
    assert "NIK" in message
    assert message != "Not a valid string."
    assert count_volunteers(app) == 0


def test_a_duplicate_nia_is_told_on_its_field_and_nothing_is_written(roster, client, auth,
                                                                     app):
    roster.volunteer(nia="TGN-1703-7777", name="Pemegang NIA")
    as_coordinator(roster, auth)
    response = auth.client.post("/roster/volunteers/new", data=form_values(
        roster, nia="tgn-1703-7777", csrf_token=new_form(auth.client)))
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    nia_input = re.search(r'<input[^>]*name="nia"[^>]*>', page).group(0)
    assert 'value="tgn-1703-7777"' in nia_input
    assert "is-invalid" in nia_input
    assert "Pemegang NIA" in page
    assert 'value="Rahmat Hidayat"' in page
    assert count_volunteers(app) == 1


def test_correcting_a_record_keeps_the_nik_when_its_box_is_blank(roster, client, auth, app):
    person = roster.volunteer(name="Yusuf")
    with app.app_context():
        nik = db.session.get(Volunteer, person).nik
    as_coordinator(roster, auth)
    page = auth.client.get(f"/roster/volunteers/{person}/edit").get_data(as_text=True)
    assert nik not in page
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = auth.client.post(f"/roster/volunteers/{person}/edit", data={
        "csrf_token": token, "name": "Yusuf Maulana", "nia": "TGN-1703-5555", "sex": "M",
        "phone": "", "home_desa_code": roster.OTHER_DESA, "status": "inactive",
        "joined_on": (local_today() - timedelta(days=30)).isoformat(), "notes": ""})
    assert response.status_code == 302
    with app.app_context():
        row = db.session.get(Volunteer, person)
        assert (row.name, row.nik, row.nia, row.phone, row.home_desa_code, row.status) == (
            "Yusuf Maulana", nik, "TGN-1703-5555", None, roster.OTHER_DESA, "inactive")


def test_leadership_reads_the_roster_but_may_not_register(roster, client, auth, make_user):
    make_user(role="leadership", username="bupati")
    auth.login("bupati")
    assert auth.client.get("/roster/volunteers").status_code == 200
    assert auth.client.get("/roster/volunteers/new").status_code == 403
    page = auth.client.get("/home").get_data(as_text=True)
    assert 'href="/roster/volunteers"' in page
