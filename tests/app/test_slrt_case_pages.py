"""The case pages as the Puskesos uses them: the front office registers, the back office
handles and proposes, the manager decides and prints the letter; each sees only the forms
their role may use now, numbers masked for readers who may not see them in full."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from logistics.referrals.case_models import Case, Programme
from logistics.referrals.models import Household, PersonalDataAccess

TOKEN = re.compile(r'name="form_token" type="hidden" value="(\w+)"')


@pytest.fixture
def office(app, slrt, make_user):
    household = slrt.household()
    with app.app_context():
        row = db.session.get(Household, household)
        kk, head_nik = row.kk_number, row.head.nik
        pkh = db.session.scalar(select(Programme.id).where(Programme.code == "PKH"))
    return {"household": household, "kk": kk, "nik": head_nik, "pkh": pkh,
            "front": slrt.staff("puskesos_front", username="fo-page"),
            "back": slrt.staff("puskesos_back", username="bo-page"),
            "manager": slrt.staff("puskesos_manager", username="mgr"),
            "leader": make_user("leadership", username="kadis")}


def _as(app, auth, username):
    client = app.test_client()
    auth.client = client
    auth.login(username)
    return client


def _open(app, auth, office):
    client = _as(app, auth, office["front"])
    url = f"/slrt/cases/new?household_id={office['household']}"
    page = client.get(url)
    assert page.status_code == 200
    token = TOKEN.search(page.get_data(as_text=True)).group(1)
    form = {"form_token": token, "household_id": office["household"],
            "source": "datang_langsung", "category": "kesehatan",
            "description": "Ibu hamil tanpa jaminan kesehatan."}
    posted = client.post("/slrt/cases/new", data=form)
    assert posted.status_code == 302
    again = client.post("/slrt/cases/new", data=form)  # a double tap opens nothing more
    assert again.location == posted.location
    with app.app_context():
        return db.session.scalar(select(Case.id).where(
            Case.household_id == office["household"]))


def test_the_whole_pipeline_through_the_pages_and_the_letter(app, auth, office):
    case_id = _open(app, auth, office)
    page = f"/slrt/cases/{case_id}"
    front = _as(app, auth, office["front"])
    text = front.get(page).get_data(as_text=True)
    assert office["kk"] in text  # the front office sees the number in full
    assert "Take into handling" not in text
    assert "Ambil untuk ditangani" not in text

    back = _as(app, auth, office["back"])
    for url, form in ((f"{page}/handling", {}),
                      (f"{page}/findings", {"findings": "Kunjungan rumah: benar hamil 6 bulan."}),
                      (f"{page}/referrals", {"programme_id": office["pkh"],
                                             "form_token": "t1", "recommendation": "Layak."}),
                      (f"{page}/decision", {})):
        assert back.post(url, data=form).status_code == 302, url
    text = back.get(page).get_data(as_text=True)
    assert 'data-testid="advice"' in text

    manager = _as(app, auth, office["manager"])
    with app.app_context():
        referral_id = db.session.get(Case, case_id).referrals[0].id
    decided = manager.post(f"/slrt/referrals/{referral_id}/decision", data={
        "decision": "approve", "signer_name": "Drs. Sutrisno", "signer_position": "Kepala Dinas",
        "letter_date": "2026-01-13"})
    assert decided.status_code == 302
    assert manager.post(f"{page}/referred", data={}).status_code == 302
    assert _as(app, auth, office["back"]).post(f"/slrt/referrals/{referral_id}/outcome",
                                               data={"to": "dikirim"}).status_code == 302

    manager = _as(app, auth, office["manager"])
    letter = manager.get(f"/slrt/referrals/{referral_id}/letter").get_data(as_text=True)
    head = letter.split('data-testid="letterhead"', 1)[1].split("</header>", 1)[0]
    assert "PEMERINTAH KABUPATEN BENGKULU UTARA" in head
    assert "DINAS SOSIAL" in head
    assert re.search(r'data-testid="letter-number">RUJ-1703012001-\d{4}-00001<', letter)
    assert f'data-testid="kk">{office["kk"]}<' in letter
    assert f'data-testid="head-nik">{office["nik"]}<' in letter
    assert "Pada hari ini Selasa tanggal tiga belas bulan Januari tahun dua ribu dua puluh " \
           "enam" in letter
    assert "Pendamping PKH Kecamatan" in letter
    assert 'data-testid="signer-name">Drs. Sutrisno<' in letter
    assert "print.js" in letter
    assert "css/letter.css" in letter  # where the A4 page size is set (no inline style)
    with app.app_context():
        actions = set(db.session.scalars(select(PersonalDataAccess.action).where(
            PersonalDataAccess.household_id == office["household"])))
    assert {"view", "export"} <= actions


def test_a_reader_sees_masked_numbers_no_forms_and_no_letter(app, auth, office):
    case_id = _open(app, auth, office)
    leader = _as(app, auth, office["leader"])
    text = leader.get(f"/slrt/cases/{case_id}").get_data(as_text=True)
    assert office["kk"] not in text
    assert office["kk"][:4] + "*" * 10 + office["kk"][-2:] in text
    assert 'method="post"' not in text.split('data-testid="needs"', 1)[1]
    assert leader.post(f"/slrt/cases/{case_id}/close",
                       data={"outcome": "tertangani"}).status_code == 403


def test_a_refused_move_says_from_and_to_and_changes_nothing(app, auth, office):
    case_id = _open(app, auth, office)
    back = _as(app, auth, office["back"])
    assert back.post(f"/slrt/cases/{case_id}/handling").status_code == 302
    again = back.post(f"/slrt/cases/{case_id}/handling")
    assert again.status_code == 409
    message = re.search(r'data-testid="error">(.*?)</div>', again.get_data(as_text=True)).group(1)
    assert "penanganan" in message.lower()
    no_reason = back.post(f"/slrt/cases/{case_id}/step-back", data={"reason": ""})
    assert no_reason.status_code == 422


def test_staff_of_another_puskesos_cannot_open_the_case(app, auth, office, slrt):
    case_id = _open(app, auth, office)
    stranger = slrt.staff("puskesos_back", slrt.OTHER_DESA, username="bo-far")
    client = _as(app, auth, stranger)
    assert client.get(f"/slrt/cases/{case_id}").status_code == 403
    assert client.post(f"/slrt/cases/{case_id}/handling").status_code == 403
    assert _as(app, auth, office["back"]).get("/slrt/cases").status_code == 200
    assert f"/slrt/cases/{case_id}" not in client.get("/slrt/cases").get_data(as_text=True)


def test_programme_admin_pages_edit_and_deactivate(app, auth, office, make_user):
    admin = make_user("admin", username="adm-prog")
    client = _as(app, auth, admin)
    created = client.post("/slrt/programmes/new", data={
        "code": "bansos-kab", "name": "Bansos Kabupaten", "agency": "Dinas Sosial Kabupaten",
        "kind": "daerah", "categories": ["pangan"], "max_decile": "3", "is_active": "y"})
    assert created.status_code == 302
    taken = client.post("/slrt/programmes/new", data={
        "code": "BANSOS-KAB", "name": "x", "agency": "y", "kind": "daerah"})
    assert taken.status_code == 409
    with app.app_context():
        programme = db.session.scalar(select(Programme).where(Programme.code == "BANSOS-KAB"))
        assert (programme.categories, programme.max_decile) == ("pangan", 3)
    edited = client.post(f"/slrt/programmes/{programme.id}/edit", data={
        "name": "Bansos Kabupaten", "agency": "Dinas Sosial", "kind": "daerah",
        "categories": ["pangan"]})
    assert edited.status_code == 302
    with app.app_context():
        assert db.session.get(Programme, programme.id).is_active is False
    assert client.post("/slrt/settings/step-limits",
                       data={"days_penanganan": "10"}).status_code == 302
    assert client.post("/slrt/settings/step-limits",
                       data={"days_penanganan": "0"}).status_code == 422
