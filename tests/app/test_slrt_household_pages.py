"""The household pages: the front office registers a family with its members, everyone sees
numbers as their role allows, the Puskesos manager reads who saw them, another Puskesos gets
403 and changes nothing, and no full NIK or No. KK reaches the log."""

from __future__ import annotations

import logging
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from app.extensions import db
from logistics.calendar import local_today
from logistics.core.identity import make_nik
from logistics.referrals.models import Household, Membership, PersonalDataAccess
from tests.referrals.factories import make_kk

KEC = "17.03.01"
HEAD_NIK = make_nik(KEC, date(1980, 4, 12), "M", 601)
WIFE_NIK = make_nik(KEC, date(1984, 9, 3), "F", 602)
KK = make_kk(KEC, 601)


def form(**extra) -> dict:
    data = {"kk_number": f"{KK[:4]} {KK[4:8]} {KK[8:12]} {KK[12:]}",
            "desa_code": "17.03.01.2001", "address": "Jl. Mawar 5", "rt": "002", "rw": "001",
            "member_rows": "4",
            "members-0-name": "Budi", "members-0-nik": HEAD_NIK, "members-0-sex": "L",
            "members-0-relation": "kepala",
            "members-1-name": "Sari", "members-1-nik": WIFE_NIK, "members-1-sex": "P",
            "members-1-relation": "istri_suami", "members-1-is_disabled": "1",
            "members-1-disability": "tuna netra",
            "members-2-name": "", "members-3-name": ""}
    return {**data, **extra}


def counts(app):
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (Household, Membership))


@pytest.fixture
def staff(slrt):
    return {role: slrt.staff(f"puskesos_{role}", username=f"ps-{role}")
            for role in ("front", "back", "manager")}


def household_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Household.id).where(Household.kk_number == KK))


def test_the_front_office_registers_a_family_from_its_card(app, client, auth, staff, caplog):
    auth.login(staff["front"])
    page = client.get("/slrt/households/new")
    assert page.status_code == 200
    token = re.search(r'name="form_token"[^>]*value="([0-9a-f]+)"',
                      page.get_data(as_text=True)).group(1)
    more = client.post("/slrt/households/new", data=form(form_token=token, add_member="1"))
    assert 'name="members-4-name"' in more.get_data(as_text=True)
    assert counts(app) == (0, 0)
    with caplog.at_level(logging.DEBUG):
        done = client.post("/slrt/households/new", data=form(form_token=token))
        again = client.post("/slrt/households/new", data=form(form_token=token))
    assert done.status_code == 302
    assert again.status_code == 302  # the same token shows what was made
    assert again.headers["Location"] == done.headers["Location"]
    assert counts(app) == (1, 2)
    shown = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Budi" in shown
    assert HEAD_NIK in shown
    assert KK in shown
    assert "tuna netra" in shown
    assert HEAD_NIK not in caplog.text
    assert KK not in caplog.text


def test_a_refused_registration_keeps_what_was_typed_and_writes_nothing(app, client, auth,
                                                                        staff, caplog):
    auth.login(staff["front"])
    with caplog.at_level(logging.DEBUG):
        twice = client.post("/slrt/households/new", data=form(**{
            "members-1-nik": HEAD_NIK, "members-1-sex": "L"}))
        wrong_sex = client.post("/slrt/households/new", data=form(**{"members-1-sex": "L"}))
    assert twice.status_code == 422
    assert wrong_sex.status_code == 422
    assert 'id="members-1-sex"' in wrong_sex.get_data(as_text=True)
    assert "is-invalid" in wrong_sex.get_data(as_text=True)
    assert "Budi" in twice.get_data(as_text=True)
    assert counts(app) == (0, 0)
    client.post("/slrt/households/new", data=form())
    with caplog.at_level(logging.DEBUG):
        taken = client.post("/slrt/households/new", data=form(**{
            "members-0-nik": make_nik(KEC, date(1970, 1, 1), "M", 603), "members-1-nik": ""}))
    assert taken.status_code == 409
    assert KK not in taken.get_data(as_text=True)  # the message carries it masked
    assert counts(app) == (1, 2)
    assert KK not in caplog.text


@pytest.mark.parametrize(("role", "full"), [
    ("puskesos_front", True), ("puskesos_back", True), ("puskesos_manager", True),
    ("admin", False), ("leadership", False)])
def test_numbers_are_shown_by_role_and_full_views_are_audited(app, client, auth, slrt,
                                                             make_user, role, full):
    household = slrt.household()
    user = slrt.staff(role) if role.startswith("puskesos") else make_user(role=role)
    with app.app_context():
        found = db.session.get(Household, household)
        kk, nik = found.kk_number, found.members[0].person.nik
    auth.login(user)
    text = client.get(f"/slrt/households/{household}").get_data(as_text=True)
    listed = client.get("/slrt/households").get_data(as_text=True)
    assert (kk in text, nik in text, kk in listed) == (full, full, full)
    assert kk[:4] + "*" * 10 + kk[-2:] in text or full
    with app.app_context():
        views = db.session.scalar(select(func.count()).select_from(PersonalDataAccess)
                                  .where(PersonalDataAccess.action == "view"))
    assert views == (1 if full else 0)


def test_another_puskesos_gets_403_and_changes_nothing(app, client, auth, slrt):
    household = slrt.household()
    outsider = slrt.staff("puskesos_front", slrt.OTHER_DESA, username="fo-other")
    with app.app_context():
        person = db.session.get(Household, household).members[-1].person_id
    before = counts(app)
    auth.login(outsider)
    base = f"/slrt/households/{household}"
    assert client.get(base).status_code == 403
    assert client.get(f"{base}/members/new").status_code == 403
    assert client.post(f"{base}/members/new", data={
        "name": "Tamu", "sex": "L", "relation": "lainnya"}).status_code == 403
    assert client.post(f"{base}/members/{person}/end",
                       data={"reason": "pindah"}).status_code == 403
    assert client.post(f"{base}/register-status", data={
        "register": "", "checked_on": local_today().isoformat()}).status_code == 403
    assert "data-household" not in client.get("/slrt/households").get_data(as_text=True)
    assert counts(app) == before
    with app.app_context():
        assert db.session.get(Household, household).register == "dtks"
        assert db.session.scalar(select(func.count()).select_from(PersonalDataAccess)) == 0


def test_the_manager_reads_the_audit_trail_and_the_front_office_cannot(app, client, auth,
                                                                      staff, slrt):
    household = slrt.household()
    auth.login(staff["front"])
    client.get(f"/slrt/households/{household}")
    assert client.get(f"/slrt/households/{household}/audit").status_code == 403
    auth.logout()
    auth.login(staff["manager"])
    text = client.get(f"/slrt/households/{household}/audit").get_data(as_text=True)
    assert "Test ps-front" in text
    assert "page: household" in text


def test_members_are_added_moved_and_ended_on_their_pages(app, client, auth, slrt, staff):
    here, there = slrt.household(), slrt.household()
    with app.app_context():
        kk_there = db.session.get(Household, there).kk_number
        child = db.session.get(Household, here).members[-1].person_id
        head = db.session.get(Household, here).members[0].person_id
        wife = db.session.get(Household, here).members[1].person_id
    auth.login(staff["front"])
    base = f"/slrt/households/{here}"
    added = client.post(f"{base}/members/new", data={
        "name": "Bayi", "sex": "P", "relation": "anak",
        "started_on": local_today().isoformat()})
    assert added.status_code == 302
    moved = client.post(f"{base}/members/{child}/move", data={
        "to_kk_number": kk_there, "reason": "ikut nenek", "relation": "cucu",
        "on": local_today().isoformat()})
    assert moved.status_code == 302
    no_heir = client.post(f"{base}/members/{head}/end", data={"reason": "meninggal"})
    assert no_heir.status_code == 422
    ended = client.post(f"{base}/members/{head}/end",
                        data={"reason": "meninggal", "new_head_id": str(wife)})
    assert ended.status_code == 302
    unknown = client.post(f"{base}/members/{wife}/move", data={
        "to_kk_number": make_kk(KEC, 9999), "reason": "x"})
    assert unknown.status_code == 404
    with app.app_context():
        found = db.session.get(Household, here)
        assert [m.person.name for m in found.members][0] == found.head.name
        assert found.head.id == wife
        assert child in [m.person_id for m in db.session.get(Household, there).members]


def test_back_office_updates_the_register_status_and_search_finds_by_nik(app, client, auth,
                                                                       slrt, staff):
    household = slrt.household()
    auth.login(staff["back"])
    saved = client.post(f"/slrt/households/{household}/register-status", data={
        "register": "dtsen", "welfare_decile": "1", "checked_on": local_today().isoformat()})
    assert saved.status_code == 302
    with app.app_context():
        found = db.session.get(Household, household)
        assert (found.register, found.welfare_decile) == ("dtsen", 1)
        nik = found.members[1].person.nik
    listed = client.get("/slrt/households", query_string={"q": f"{nik[:6]} {nik[6:]}"})
    assert f'data-household="{household}"' in listed.get_data(as_text=True)
    bad = client.post(f"/slrt/households/{household}/register-status", data={
        "register": "", "welfare_decile": "3", "checked_on": local_today().isoformat()})
    assert bad.status_code == 422
