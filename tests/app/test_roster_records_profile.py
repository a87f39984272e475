"""From a volunteer's profile a coordinator records a skill and its level, a training with its
certificate, days away (and takes back ones not over), and promotes a Sahabat Tagana: each
form writes once per token, and a refusal lands on its field in Indonesian with what was typed
kept and nothing written."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from logistics.calendar import local_today
from logistics.roster import availability, errors
from logistics.roster.models import (
    Promotion,
    Training,
    Unavailability,
    Volunteer,
    VolunteerSkill,
)
from tests.browser.conftest import gettext_id

TODAY = local_today()


def field_message(page: str, name: str) -> str:
    """The message shown under the input, select or textarea named ``name`` (it is marked
    invalid), as the reader sees it."""
    tag = re.search(rf'<(?:input|select|textarea)[^>]*name="{name}"[^>]*>', page)
    assert tag, f"no field {name}"
    assert "is-invalid" in tag.group(0), f"{name} is not marked invalid"
    rest = page[tag.end():]
    return re.search(r'class="invalid-feedback[^"]*">\s*([^<]+)', rest).group(1).strip()


def count(app, model, **where) -> int:
    with app.app_context():
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return db.session.scalar(query)


def login(roster, auth):
    auth.login(roster.coordinator())
    return auth.client


def test_a_skill_is_added_its_level_changed_and_removed(roster, client, auth, app):
    roster.seed_skills()
    person = roster.volunteer(name="Ani")
    client = login(roster, auth)
    url = f"/roster/volunteers/{person}/skills"
    assert client.get(url).status_code == 200
    assert client.post(url, data={"skill_code": "ldp", "level": "1"}).status_code == 302
    assert client.post(url, data={"skill_code": "evakuasi", "level": "3"}).status_code == 302
    shown = client.get(url, query_string={"skill_code": "ldp"}).get_data(as_text=True)
    assert re.search(r'<option selected value="ldp"|<option value="ldp" selected', shown)
    assert client.post(url, data={"skill_code": "ldp", "level": "2"}).status_code == 302
    with app.app_context():
        held = {line.skill_code: line.level for line in db.session.scalars(
            select(VolunteerSkill).where(VolunteerSkill.volunteer_id == person))}
    assert held == {"ldp": 2, "evakuasi": 3}
    profile = client.get(f"/roster/volunteers/{person}").get_data(as_text=True)
    assert gettext_id(app, "skilled") in profile
    assert client.post(f"{url}/evakuasi/remove").status_code == 302
    assert count(app, VolunteerSkill, volunteer_id=person) == 1


def test_an_unknown_skill_or_level_is_told_on_its_field(roster, client, auth, app):
    roster.seed_skills()
    person = roster.volunteer()
    client = login(roster, auth)
    url = f"/roster/volunteers/{person}/skills"
    response = client.post(url, data={"skill_code": "terbang", "level": "1"})
    assert response.status_code == 422
    message = field_message(response.get_data(as_text=True), "skill_code")
    assert "terbang" in message
    response = client.post(url, data={"skill_code": "ldp", "level": "7"})
    assert response.status_code == 422
    assert field_message(response.get_data(as_text=True), "level") == gettext_id(
        app, "A level from 1 (basic) to 3 (expert).")
    assert count(app, VolunteerSkill, volunteer_id=person) == 0


def training_form(**changes) -> dict:
    values = {"form_token": "latih-1", "kind": "dasar", "skill_code": "",
              "certificate_no": "DD/2026/017", "started_on": (TODAY - timedelta(10)).isoformat(),
              "ended_on": (TODAY - timedelta(5)).isoformat(),
              "expires_on": (TODAY + timedelta(700)).isoformat()}
    values.update(changes)
    return values


def test_a_training_is_recorded_once_however_often_the_form_is_sent(roster, client, auth,
                                                                    app):
    person = roster.volunteer(kind="sahabat_tagana")
    client = login(roster, auth)
    url = f"/roster/volunteers/{person}/trainings/new"
    assert 'name="form_token"' in client.get(url).get_data(as_text=True)
    for _ in range(3):  # a double tap, then a resend
        response = client.post(url, data=training_form())
        assert response.status_code == 302
        assert response.location.endswith(f"/roster/volunteers/{person}")
    assert count(app, Training, volunteer_id=person) == 1
    profile = client.get(f"/roster/volunteers/{person}").get_data(as_text=True)
    assert "DD/2026/017" in profile
    # Another form (another token) with the same certificate is a duplicate.
    again = client.post(url, data=training_form(form_token="latih-2"))
    assert again.status_code == 409
    assert "DD/2026/017" in field_message(again.get_data(as_text=True), "certificate_no")
    assert count(app, Training, volunteer_id=person) == 1


def test_a_training_expiring_before_it_ended_is_refused_on_the_expiry(roster, client, auth,
                                                                     app):
    person = roster.volunteer()
    client = login(roster, auth)
    url = f"/roster/volunteers/{person}/trainings/new"
    response = client.post(url, data=training_form(
        expires_on=(TODAY - timedelta(30)).isoformat(), certificate_no="DL-KELIRU"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_message(page, "expires_on") == gettext_id(app, errors.EXPIRES_BEFORE_END)
    assert 'value="DL-KELIRU"' in page
    response = client.post(url, data=training_form(
        ended_on=(TODAY - timedelta(20)).isoformat(), form_token="latih-3"))
    assert field_message(response.get_data(as_text=True), "ended_on") == gettext_id(
        app, errors.ENDS_BEFORE_START)
    response = client.post(url, data=training_form(kind="spesialisasi", form_token="latih-4"))
    assert response.status_code == 422
    assert field_message(response.get_data(as_text=True), "skill_code") == gettext_id(
        app, errors.SpecialistNeedsSkill.message)
    assert count(app, Training, volunteer_id=person) == 0


def test_days_away_are_declared_and_taken_back_while_not_over(roster, client, auth, app):
    person = roster.volunteer(name="Rudi")
    client = login(roster, auth)
    url = f"/roster/volunteers/{person}/unavailable/new"
    starts, ends = TODAY + timedelta(3), TODAY + timedelta(6)
    data = {"form_token": "away-1", "starts_on": starts.isoformat(),
            "ends_on": ends.isoformat(), "reason": "Panen kopi"}
    assert client.post(url, data=data).status_code == 302
    assert client.post(url, data=data).status_code == 302  # the double tap
    assert count(app, Unavailability, volunteer_id=person) == 1
    profile = client.get(f"/roster/volunteers/{person}").get_data(as_text=True)
    assert "Panen kopi" in profile
    with app.app_context():
        period = db.session.scalar(select(Unavailability.id).where(
            Unavailability.volunteer_id == person))
    withdraw = f"/roster/volunteers/{person}/unavailable/{period}/withdraw"
    assert withdraw in profile
    other = roster.volunteer()
    assert client.post(f"/roster/volunteers/{other}/unavailable/{period}/withdraw"
                       ).status_code == 404  # not that volunteer's period
    assert client.post(withdraw).status_code == 302
    assert count(app, Unavailability, volunteer_id=person) == 0


def test_a_period_ending_before_it_starts_or_overlapping_is_refused(roster, client, auth,
                                                                    app):
    person = roster.volunteer()
    client = login(roster, auth)
    url = f"/roster/volunteers/{person}/unavailable/new"
    response = client.post(url, data={"form_token": "a", "starts_on": TODAY.isoformat(),
                                      "ends_on": (TODAY - timedelta(1)).isoformat()})
    assert response.status_code == 422
    assert field_message(response.get_data(as_text=True), "ends_on") == gettext_id(
        app, errors.ENDS_BEFORE_START)
    assert count(app, Unavailability, volunteer_id=person) == 0
    client.post(url, data={"form_token": "b", "starts_on": TODAY.isoformat(),
                           "ends_on": (TODAY + timedelta(4)).isoformat()})
    response = client.post(url, data={"form_token": "c",
                                      "starts_on": (TODAY + timedelta(2)).isoformat(),
                                      "ends_on": (TODAY + timedelta(9)).isoformat()})
    assert response.status_code == 409
    assert field_message(response.get_data(as_text=True), "starts_on")
    assert count(app, Unavailability, volunteer_id=person) == 1


def test_a_period_already_over_stays_on_record(roster, client, auth, app):
    person = roster.volunteer()
    with app.app_context():
        period = availability.declare_unavailable(
            db.session, actor=roster.actor(), volunteer_id=person,
            starts_on=TODAY - timedelta(9), ends_on=TODAY - timedelta(2))
        db.session.commit()
        period_id = period.id
    client = login(roster, auth)
    response = client.post(f"/roster/volunteers/{person}/unavailable/{period_id}/withdraw")
    assert response.status_code == 409
    assert count(app, Unavailability, volunteer_id=person) == 1


def test_a_sahabat_tagana_is_promoted_with_an_nia_and_the_history_shows(roster, client,
                                                                       auth, app):
    person = roster.volunteer(kind="sahabat_tagana", name="Sari Wulandari")
    client = login(roster, auth)
    profile = client.get(f"/roster/volunteers/{person}").get_data(as_text=True)
    assert f"/roster/volunteers/{person}/promote" in profile
    page = client.get(f"/roster/volunteers/{person}/promote").get_data(as_text=True)
    assert 'data-testid="lacking"' in page  # no diklat dasar yet: told, not refused
    day = (TODAY - timedelta(3)).isoformat()
    data = {"form_token": "naik-1", "nia": "tgn 1703 0777", "promoted_on": day,
            "decree_ref": "SK 12/2026"}
    assert client.post(f"/roster/volunteers/{person}/promote", data=data).status_code == 302
    assert client.post(f"/roster/volunteers/{person}/promote", data=data).status_code == 302
    with app.app_context():
        row = db.session.get(Volunteer, person)
        assert (row.kind, row.nia) == ("tagana", "TGN 1703 0777")
    assert count(app, Promotion, volunteer_id=person) == 1
    profile = client.get(f"/roster/volunteers/{person}").get_data(as_text=True)
    history = re.search(r'data-testid="promotions">(.*?)</ul>', profile, re.S).group(1)
    assert "TGN 1703 0777" in history
    assert "SK 12/2026" in history
    assert f"/roster/volunteers/{person}/promote" not in profile


def test_promoting_with_an_nia_someone_holds_writes_nothing(roster, client, auth, app):
    roster.volunteer(nia="TGN-1703-0100", name="Pemegang Lama")
    person = roster.volunteer(kind="sahabat_tagana")
    client = login(roster, auth)
    response = client.post(f"/roster/volunteers/{person}/promote", data={
        "form_token": "naik-2", "nia": "TGN-1703-0100", "decree_ref": "SK 9"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Pemegang Lama" in field_message(page, "nia")
    assert 'value="SK 9"' in page
    response = client.post(f"/roster/volunteers/{person}/promote", data={
        "form_token": "naik-3", "nia": "TGN-1703-0101",
        "promoted_on": (TODAY + timedelta(2)).isoformat()})
    assert response.status_code == 422
    assert field_message(response.get_data(as_text=True), "promoted_on") == gettext_id(
        app, errors.PROMOTED_IN_FUTURE)
    with app.app_context():
        row = db.session.get(Volunteer, person)
        assert (row.kind, row.nia) == ("sahabat_tagana", None)
    assert count(app, Promotion) == 0


def test_leadership_reads_profiles_but_records_nothing(roster, client, auth, make_user):
    person = roster.volunteer(kind="sahabat_tagana")
    make_user(role="leadership", username="kadis")
    auth.login("kadis")
    profile = auth.client.get(f"/roster/volunteers/{person}").get_data(as_text=True)
    assert "/promote" not in profile
    assert "/trainings/new" not in profile
    for path in ("skills", "trainings/new", "unavailable/new", "promote"):
        assert auth.client.get(f"/roster/volunteers/{person}/{path}").status_code == 403
