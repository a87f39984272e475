"""Assessment pages and API: forms in one round, imports listing every bad row, NIK masked."""

from __future__ import annotations

import io
import logging
from datetime import date

from app.extensions import db
from logistics.accounts.roles import GRANTS, Permission, Role
from logistics.calendar import local_today
from logistics.core import identity
from logistics.core.identity import make_nik
from logistics.emergency.assessment_models import HouseholdAssessment
from tests.browser.conftest import gettext_id
from tests.emergency.test_kobo_import import FORMS, ketahun  # noqa: F401  (fixture)

NIK = make_nik("17.03.12", date(1972, 7, 27), "M", 6875)
KK = make_nik("17.03.12", date(2011, 2, 2), "M", 2254)  # a KK: the issue date in the middle


def _household_form(emergency, **changes):
    form = {"desa_code": emergency.DESA, "assessed_on": local_today().isoformat(),
            "head_name": "Ahmad Fauzi", "kk_number": KK, "head_nik": NIK,
            "house_damage": "rusak_berat", "lost_livelihood": "1", "member_rows": "4",
            "members-0-name": "Ahmad Fauzi", "members-0-sex": "L", "members-0-nik": NIK,
            "members-0-age": "50", "members-2-name": "Siti Aminah", "members-2-sex": "P",
            "members-2-is_pregnant": "1"}
    return {**form, **changes}


def _coordinator(make_user, auth, client, name="koordinator"):
    make_user(role="coordinator", username=name)
    auth.login(name)


def test_a_household_is_recorded_from_the_page_and_shown_masked(app, client, emergency,
                                                                 make_user, auth, caplog):
    event_id = emergency.event()
    _coordinator(make_user, auth, client)
    with caplog.at_level(logging.DEBUG):
        form = client.get(f"/emergency/events/{event_id}/assessments/households/new")
        assert form.status_code == 200
        response = client.post(f"/emergency/events/{event_id}/assessments/households/new",
                               data=_household_form(emergency, form_token="t1"))
        assert response.status_code == 302
        page = client.get(f"/emergency/events/{event_id}/assessments")
    html = page.get_data(as_text=True)
    assert "Ahmad Fauzi" in html
    assert "1703**********75" in html
    assert "1703**********54" in html
    assert NIK not in html
    assert KK not in html
    assert NIK not in caplog.text
    assert KK not in caplog.text
    with app.app_context():
        household = db.session.query(HouseholdAssessment).one()
        assert [(m.name, m.is_pregnant) for m in household.members] == [
            ("Ahmad Fauzi", False), ("Siti Aminah", True)]


def test_every_mistake_of_the_household_form_comes_back_at_once(app, client, emergency,
                                                                make_user, auth):
    event_id = emergency.event()
    _coordinator(make_user, auth, client)
    response = client.post(
        f"/emergency/events/{event_id}/assessments/households/new",
        data=_household_form(emergency, form_token="t2", desa_code=emergency.OUTSIDE_DESA,
                             head_nik="12345", **{"members-2-sex": ""}))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field in ("f-desa_code-error", "f-head_nik-error", "members-2-sex-error"):
        assert f'id="{field}"' in html
    assert "12345" in html  # what was typed stays
    with app.app_context():
        assert db.session.query(HouseholdAssessment).count() == 0


def test_the_rapid_form_offers_only_the_desa_of_the_event(app, client, emergency, make_user,
                                                          auth):
    event_id = emergency.event()
    _coordinator(make_user, auth, client)
    html = client.get(f"/emergency/events/{event_id}/assessments/rapid").get_data(as_text=True)
    assert emergency.DESA in html
    assert emergency.OUTSIDE_DESA not in html
    response = client.post(f"/emergency/events/{event_id}/assessments/rapid", data={
        "form_token": "r1", "desa_code": emergency.DESA,
        "assessed_on": local_today().isoformat(), "displaced": "1.250", "houses_heavy": "12",
        "access_cut": "1"})
    assert response.status_code == 302
    html = client.get(f"/emergency/events/{event_id}/assessments").get_data(as_text=True)
    assert "1.250" in html
    assert "Kahyapu" in html


def test_the_api_masks_for_a_coordinator_and_shows_puskesos_the_number(
        app, client, emergency, make_user, auth):
    event_id = emergency.event()
    make_user(role="coordinator", username="koor")
    headers = auth.headers("koor")
    body = {"desa_code": emergency.DESA, "assessed_on": local_today().isoformat(),
            "head_name": "Ahmad Fauzi", "kk_number": KK, "head_nik": NIK,
            "house_damage": "rusak_berat",
            "members": [{"name": "Ahmad Fauzi", "sex": "L", "nik": NIK}]}
    created = client.post(f"/api/v1/emergency/events/{event_id}/households", json=body,
                          headers={**headers, "Idempotency-Key": "h1"})
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["head_nik"] == "1703**********75"
    listed = client.get(f"/api/v1/emergency/events/{event_id}/households", headers=headers)
    assert NIK not in listed.get_data(as_text=True)
    assert KK not in listed.get_data(as_text=True)
    assert listed.get_json()["items"][0]["members"][0]["nik"] == "1703**********75"
    household_id = created.get_json()["id"]
    # Puskesos read personal data but not the emergency module: the API refuses them.
    make_user(role="puskesos_back", username="pusk")
    refused = client.get(f"/api/v1/emergency/households/{household_id}",
                         headers=auth.headers("pusk"))
    assert refused.status_code == 403


def test_the_api_refuses_a_nik_of_no_kecamatan_or_no_birth_date_on_its_field(
        app, client, emergency, make_user, auth):
    event_id = emergency.event()
    make_user(role="coordinator", username="koor")
    wife = make_nik("17.03.12", date(1974, 5, 28), "F", 8219)
    body = {"desa_code": emergency.DESA, "assessed_on": local_today().isoformat(),
            "head_name": "Ahmad Fauzi", "kk_number": "179912" + KK[6:],
            "head_nik": "170399" + NIK[6:], "house_damage": "rusak_berat",
            "members": [{"name": "Ahmad Fauzi", "sex": "L", "nik": NIK},
                        {"name": "Siti Aminah", "sex": "P",
                         "nik": wife[:6] + "690201" + wife[12:]}]}  # 29 February 2001
    url = f"/api/v1/emergency/events/{event_id}/households"
    headers = {**auth.headers("koor"), "Idempotency-Key": "bad-nik"}
    response = client.post(url, json=body, headers=headers)
    assert response.status_code == 422
    region, birth = (gettext_id(app, identity.UNKNOWN_REGION),
                     gettext_id(app, identity.NOT_A_BIRTH_DATE))
    assert region != identity.UNKNOWN_REGION
    assert response.get_json()["errors"] == {
        "kk_number": [region], "head_nik": [region], "members.1.nik": [birth]}
    with app.app_context():
        assert db.session.query(HouseholdAssessment).count() == 0
    body["members"][1]["nik"] = wife
    body["kk_number"], body["head_nik"] = KK, NIK
    fixed = client.post(url, json=body, headers={**headers, "Idempotency-Key": "good-nik"})
    assert fixed.status_code == 201, fixed.get_json()


def test_the_api_names_every_rule_problem(app, client, emergency, make_user, auth):
    event_id = emergency.event()
    make_user(role="coordinator", username="koor")
    response = client.post(
        f"/api/v1/emergency/events/{event_id}/rapid-assessments",
        json={"desa_code": emergency.OUTSIDE_DESA, "assessed_on": "2099-01-01"},
        headers=auth.headers("koor"))
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"desa_code", "assessed_on"}


def test_the_import_page_lists_every_bad_row_and_writes_nothing(app, client, ketahun,  # noqa: F811
                                                                 make_user, auth):
    _coordinator(make_user, auth, client)
    url = f"/emergency/events/{ketahun}/assessments/import"
    bad = (FORMS / "sample_export.csv").read_bytes().replace(b"rusak_ringan", b"retak")
    response = client.post(url, data={"file": (io.BytesIO(bad), "sample_export.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'data-testid="import-problems"' in html
    assert "house_damage" in html
    with app.app_context():
        assert db.session.query(HouseholdAssessment).count() == 0
    good = (FORMS / "sample_export.xlsx").read_bytes()
    response = client.post(url, data={"file": (io.BytesIO(good), "sample_export.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    assert 'data-testid="import-summary"' in response.get_data(as_text=True)
    html = client.get(f"/emergency/events/{ketahun}/assessments").get_data(as_text=True)
    with app.app_context():
        niks = [h.head_nik for h in db.session.query(HouseholdAssessment) if h.head_nik]
    assert niks
    assert not any(nik in html for nik in niks)


def test_the_api_import_answers_a_summary_or_every_bad_row(app, client, ketahun,  # noqa: F811
                                                           make_user, auth):
    make_user(role="coordinator", username="koor")
    headers = auth.headers("koor")
    url = f"/api/v1/emergency/events/{ketahun}/assessment-imports"
    main = (FORMS / "sample_export.csv").read_bytes()
    members = (FORMS / "sample_export-members.csv").read_bytes()
    response = client.post(url, headers=headers, content_type="multipart/form-data", data={
        "file": (io.BytesIO(main), "sample_export.csv"),
        "members_file": (io.BytesIO(members), "sample_export-members.csv")})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["created"] == 8
    bad = members.replace(b",L,", b",Q,", 1)
    response = client.post(url, headers=headers, content_type="multipart/form-data", data={
        "file": (io.BytesIO(main), "sample_export.csv"),
        "members_file": (io.BytesIO(bad), "sample_export-members.csv")})
    assert response.status_code == 422
    rows = response.get_json()["errors"]["rows"]
    assert [(row["row"], row["column"]) for row in rows] == [(2, "member_sex")]


def _widen(monkeypatch, permission, role):
    """No role today both reads the emergency module and sees personal data; grant one so the
    rule is shown to follow the permission, not the role's name."""
    monkeypatch.setitem(GRANTS, permission, GRANTS[permission] | {role})


def test_numbers_typed_into_a_households_free_text_follow_the_personal_data_permission(
        app, client, emergency, make_user, auth, monkeypatch):
    event_id = emergency.event()
    make_user(role="coordinator", username="koor")
    address = f"RT 02, rumah kayu; NIK kepala {NIK}"
    needs = "beras, selimut; KK 1703 1202 0211 2254 (5 jiwa)"
    created = client.post(f"/api/v1/emergency/events/{event_id}/households", json={
        "desa_code": emergency.DESA, "assessed_on": local_today().isoformat(),
        "head_name": f"Ahmad Fauzi {NIK}", "house_damage": "rusak_berat",
        "address": address, "urgent_needs": needs,
        "members": [{"name": "Siti", "sex": "P", "relation": f"istri, NIK {NIK}"}]},
        headers=auth.headers("koor"))
    assert created.status_code == 201, created.get_json()
    household_id = created.get_json()["id"]
    make_user(role="posko_staff", username="staf")
    _widen(monkeypatch, Permission.VIEW_EMERGENCY, Role.PUSKESOS_MANAGER)
    make_user(role="puskesos_manager", username="pusk")
    for viewer, sees_numbers in (("koor", False), ("staf", False), ("pusk", True)):
        one = client.get(f"/api/v1/emergency/households/{household_id}",
                         headers=auth.headers(viewer)).get_json()
        listed = client.get(f"/api/v1/emergency/events/{event_id}/households",
                            headers=auth.headers(viewer)).get_json()["items"][0]
        auth.login(viewer)
        html = client.get(f"/emergency/events/{event_id}/assessments").get_data(as_text=True)
        auth.logout()
        for shown in (one, listed):
            if sees_numbers:
                assert (shown["address"], shown["urgent_needs"]) == (address, needs)
                assert shown["members"][0]["relation"] == f"istri, NIK {NIK}"
            else:
                assert shown["address"] == "RT 02, rumah kayu; NIK kepala 1703**********75"
                assert shown["urgent_needs"] == "beras, selimut; KK 1703**********54 (5 jiwa)"
                assert shown["head_name"] == "Ahmad Fauzi 1703**********75"
                assert shown["members"][0]["relation"] == "istri, NIK 1703**********75"
        assert (NIK in html) is sees_numbers
        assert ("1703 1202 0211 2254" in html) is sees_numbers
        if not sees_numbers:
            assert "beras, selimut; KK 1703**********54 (5 jiwa)" in html
