"""The join users rely on: a household assessment recorded on the page, through the API or by
a Kobo import enters the desa's Puskesos queue as a case, once, and the assessor is told."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from app.extensions import db
from logistics.referrals.case_models import Case, Need, Source
from logistics.referrals.puskesos import open_puskesos_everywhere
from tests.app.test_assessment_pages import KK, _coordinator, _household_form
from tests.emergency.test_kobo_import import FORMS, ketahun  # noqa: F401  (fixture)


def _open_puskesos(app):
    with app.app_context():
        open_puskesos_everywhere(db.session)
        from logistics.referrals.defaults import install_defaults

        install_defaults(db.session)
        db.session.commit()


def _disaster_cases(app):
    with app.app_context():
        return db.session.execute(
            select(Case.number, Case.source, func.count(Need.id)).join(Need)
            .group_by(Case.id).order_by(Case.id)).all()


def test_a_heavily_damaged_household_recorded_on_the_page_opens_a_case_once(
        app, client, emergency, make_user, auth):
    event_id = emergency.event()
    _open_puskesos(app)
    _coordinator(make_user, auth, client)
    url = f"/emergency/events/{event_id}/assessments/households/new"
    response = client.post(url, data=_household_form(emergency, form_token="t1"),
                           follow_redirects=True)
    assert "antrean Puskesos desa" in response.get_data(as_text=True)
    again = client.post(url, data=_household_form(emergency, form_token="t1"))  # double tap
    assert again.status_code == 302
    cases = _disaster_cases(app)
    assert [(source, needs) for _, source, needs in cases] == [(Source.DISASTER, 2)]
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert case.household.kk_number == KK
        assert case.event_id == event_id


def test_the_api_and_a_correction_add_the_new_need_to_the_same_case(
        app, client, emergency, make_user, auth):
    event_id = emergency.event()
    _open_puskesos(app)
    make_user(role="coordinator", username="koor")
    headers = auth.headers("koor")
    body = {"desa_code": emergency.DESA, "assessed_on": _household_form(emergency)[
        "assessed_on"], "head_name": "Ahmad Fauzi", "kk_number": KK, "house_damage": "rusak_berat",
        "members": [{"name": "Ahmad Fauzi", "sex": "L"}]}
    created = client.post(f"/api/v1/emergency/events/{event_id}/households", json=body,
                          headers={**headers, "Idempotency-Key": "h1"})
    assert created.status_code == 201, created.get_json()
    corrected = client.put(f"/api/v1/emergency/households/{created.get_json()['id']}",
                           json={**body, "deaths": 1}, headers=headers)
    assert corrected.status_code == 200, corrected.get_json()
    assert [(source, needs) for _, source, needs in _disaster_cases(app)] == [
        (Source.DISASTER, 2)]


def test_a_kobo_import_reports_the_cases_it_opened_and_a_reimport_adds_none(
        app, client, ketahun, make_user, auth):  # noqa: F811
    _open_puskesos(app)
    make_user(role="coordinator", username="koor")
    headers = auth.headers("koor")
    url = f"/api/v1/emergency/events/{ketahun}/assessment-imports"

    def send():
        return client.post(url, headers=headers, content_type="multipart/form-data", data={
            "file": (io.BytesIO((FORMS / "sample_export.csv").read_bytes()),
                     "sample_export.csv"),
            "members_file": (io.BytesIO((FORMS / "sample_export-members.csv").read_bytes()),
                             "sample_export-members.csv")})

    first = send().get_json()
    assert first["slrt_cases_opened"] > 0
    assert first["slrt_needs_added"] >= first["slrt_cases_opened"]
    cases = _disaster_cases(app)
    assert len(cases) == first["slrt_cases_opened"]
    second = send().get_json()
    assert (second["slrt_cases_opened"], second["slrt_needs_added"]) == (0, 0)
    assert _disaster_cases(app) == cases
