"""The roster's overview pages: certificates about to run out (and out) with the volunteer's
kecamatan, the promotion pipeline per kecamatan, the skills catalogue, regu and equipment.
None of them shows a NIK to anyone."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from logistics.calendar import local_today
from logistics.roster import skills, trainings
from logistics.roster.deployment_models import Equipment
from logistics.roster.models import Skill, Team, TeamMember, Volunteer
from tests.app.test_roster_records_profile import field_message, login
from tests.browser.conftest import gettext_id
from tests.roster.dispatch_factories import hours_from_now

TODAY = local_today()


def act(roster, operation, **arguments):
    with roster.app.app_context():
        result = operation(db.session, actor=roster.actor(), **arguments)
        db.session.commit()
        return result


def certificate(roster, volunteer_id, number, expires_in, kind="dasar", **extra):
    act(roster, trainings.record_training, volunteer_id=volunteer_id, kind=kind,
        certificate_no=number, started_on=TODAY - timedelta(800),
        ended_on=TODAY - timedelta(790), expires_on=TODAY + timedelta(expires_in), **extra)


def niks(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Volunteer.nik)))


def test_certificates_expiring_within_30_days_and_expired_are_listed_with_kecamatan(
        roster, client, auth, app):
    soon = roster.volunteer(name="Segera Habis")
    gone = roster.volunteer(name="Sudah Habis", home_desa_code=roster.FAR_DESA)
    later = roster.volunteer(name="Masih Lama")
    renewed = roster.volunteer(name="Sudah Diperpanjang")
    certificate(roster, soon, "DD-SOON", 12)
    certificate(roster, gone, "DD-GONE", -4)
    certificate(roster, later, "DD-LATER", 45)
    certificate(roster, renewed, "DD-OLD", 5)
    act(roster, trainings.record_training, volunteer_id=renewed, kind="dasar",
        certificate_no="DD-NEW", started_on=TODAY - timedelta(6), ended_on=TODAY - timedelta(2),
        expires_on=TODAY + timedelta(700))
    client = login(roster, auth)
    page = client.get("/roster/certificates").get_data(as_text=True)
    rows = re.findall(r'<tr data-training="\d+" data-days-left="(-?\d+)">(.*?)</tr>', page, re.S)
    assert [int(days) for days, _ in rows] == [-4, 12]  # soonest first, expired included
    assert "Sudah Habis" in rows[0][1]
    assert "DD-GONE" in rows[0][1]
    assert "Segera Habis" in rows[1][1]
    with app.app_context():
        from logistics.regions.models import Region
        far = db.session.get(Region, roster.OTHER_KECAMATAN).name
        near = db.session.get(Region, roster.KECAMATAN).name
    assert far in rows[0][1]
    assert near in rows[1][1]
    assert "DD-LATER" not in page
    assert "DD-OLD" not in page
    for nik in niks(app):
        assert nik not in page
    home = client.get("/home").get_data(as_text=True)
    assert 'href="/roster/certificates"' in home


def test_the_pipeline_shows_each_sahabat_tagana_with_what_they_lack(roster, client, auth,
                                                                   app):
    lacking = roster.volunteer(kind="sahabat_tagana", name="Belum Diklat")
    ready = roster.volunteer(kind="sahabat_tagana", name="Siap Naik")
    expired = roster.volunteer(kind="sahabat_tagana", name="Sertifikat Lewat",
                               home_desa_code=roster.FAR_DESA)
    roster.volunteer(name="Sudah Tagana")
    certificate(roster, ready, "DD-READY", 300)
    certificate(roster, expired, "DD-EXP", -1)
    client = login(roster, auth)
    page = client.get("/roster/pipeline").get_data(as_text=True)
    found = dict(re.findall(r'data-volunteer="(\d+)" data-ready="(yes|no)"', page))
    assert found == {str(lacking): "no", str(ready): "yes", str(expired): "no"}
    basic = gettext_id(app, "Diklat dasar (basic training)")
    row = re.search(rf'data-volunteer="{lacking}".*?</tr>', page, re.S).group(0)
    assert basic in re.search(r'data-testid="lacking">(.*?)</td>', row, re.S).group(1)
    assert "Sudah Tagana" not in page
    assert f"/roster/volunteers/{ready}/promote" in page
    only_far = client.get("/roster/pipeline", query_string={
        "kecamatan_code": roster.OTHER_KECAMATAN}).get_data(as_text=True)
    assert set(re.findall(r'data-volunteer="(\d+)"', only_far)) == {str(expired)}
    for nik in niks(app):
        assert nik not in page


def test_the_catalogue_takes_a_new_skill_refuses_a_duplicate_and_renames(roster, client,
                                                                        auth, app):
    roster.seed_skills()
    client = login(roster, auth)
    page = client.get("/roster/skills").get_data(as_text=True)
    assert 'data-skill="dapur_umum"' in page
    response = client.post("/roster/skills/new", data={"code": "tali_temali",
                                                      "name": "Tali temali (ropework)"})
    assert response.status_code == 302
    response = client.post("/roster/skills/new", data={"code": "tali2",
                                                      "name": "tali temali (ROPEWORK)"})
    assert response.status_code == 409
    assert "Tali temali" in field_message(response.get_data(as_text=True), "name")
    response = client.post("/roster/skills/new", data={"code": "tali temali!", "name": "X"})
    assert response.status_code == 422
    assert field_message(response.get_data(as_text=True), "code") == gettext_id(
        app, "Letters, digits and _ only.")
    response = client.post("/roster/skills/tali_temali/rename",
                           data={"name": "Logistik"})
    assert response.status_code == 409  # another skill's name
    assert client.post("/roster/skills/tali_temali/rename",
                       data={"name": "Simpul dan tali"}).status_code == 302
    with app.app_context():
        assert db.session.get(Skill, "tali_temali").name == "Simpul dan tali"
        assert db.session.scalar(select(func.count()).select_from(Skill)) == len(
            skills.DEFAULT_SKILLS) + 1
    assert client.get("/roster/skills/terbang/rename").status_code == 404


def test_a_regu_is_formed_under_a_leader_and_members_come_and_go(roster, client, auth, app):
    leader = roster.volunteer(name="Ketua Regu")
    member = roster.volunteer(kind="sahabat_tagana", name="Anggota Satu")
    suspended = roster.volunteer(status="suspended", name="Sedang Skors")
    client = login(roster, auth)
    form = client.get("/roster/teams/new").get_data(as_text=True)
    assert "Ketua Regu" in form
    assert "Sedang Skors" not in form
    data = {"form_token": "regu-1", "name": "Regu Enggano 1", "leader_id": str(leader),
            "kecamatan_code": roster.KECAMATAN}
    response = client.post("/roster/teams/new", data=data)
    assert response.status_code == 302
    assert client.post("/roster/teams/new", data=data).status_code == 302  # double tap
    with app.app_context():
        team_id = db.session.scalar(select(Team.id).where(Team.name == "Regu Enggano 1"))
    assert response.location.endswith(f"/roster/teams/{team_id}")
    assert client.post(f"/roster/teams/{team_id}/members",
                       data={"volunteer_id": str(member)}).status_code == 302
    refused = client.post(f"/roster/teams/{team_id}/members",
                          data={"volunteer_id": str(suspended)})
    assert refused.status_code == 409
    assert "Sedang Skors" in field_message(refused.get_data(as_text=True), "volunteer_id")
    page = client.get(f"/roster/teams/{team_id}").get_data(as_text=True)
    assert set(re.findall(r'<tr data-volunteer="(\d+)"', page)) == {str(leader), str(member)}
    lists = client.get("/roster/teams").get_data(as_text=True)
    assert re.search(rf'data-team="{team_id}".*?Ketua Regu.*?>2<', lists, re.S)
    # The leader is in a regu now: forming another under them is refused on the leader.
    again = client.post("/roster/teams/new", data={**data, "form_token": "regu-2",
                                                   "name": "Regu Kedua"})
    assert again.status_code == 409
    assert "Regu Enggano 1" in field_message(again.get_data(as_text=True), "leader_id")
    assert client.post(f"/roster/teams/{team_id}/members/{leader}/remove").status_code == 409
    assert client.post(f"/roster/teams/{team_id}/members/{member}/remove").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Team)) == 1
        assert list(db.session.scalars(select(TeamMember.volunteer_id))) == [leader]
    for nik in niks(app):
        assert nik not in page


def test_equipment_is_listed_with_its_deployment_registered_and_corrected(
        dispatching, roster, client, auth, app):
    boat = dispatching.equipment("Perahu Sungai Hitam")
    idle = dispatching.equipment("Genset Kantor", kind="genset")
    dispatching.send(period=hours_from_now(-2, 24),
                     equipment=[{"equipment_id": boat, "role": "evakuasi"}])
    auth.login(dispatching.coordinator())
    client = auth.client
    page = client.get("/roster/equipment").get_data(as_text=True)
    booked = dict(re.findall(
        r'data-equipment="(\d+)".*?data-testid="booking">(.*?)</td>', page, re.S))
    assert booked[str(idle)].strip() == "–"
    assert gettext_id(app, "At %(posko)s until %(until)s").split("%")[0] in booked[str(boat)]
    data = {"form_token": "alat-1", "code": "bd 8012 ac", "kind": "truk",
            "name": "Truk logistik", "kecamatan_code": roster.KECAMATAN, "notes": ""}
    assert client.post("/roster/equipment/new", data=data).status_code == 302
    assert client.post("/roster/equipment/new", data=data).status_code == 302  # double tap
    duplicate = client.post("/roster/equipment/new", data={**data, "form_token": "alat-2",
                                                           "code": "BD  8012 AC"})
    assert duplicate.status_code == 409
    assert "BD 8012 AC" in field_message(duplicate.get_data(as_text=True), "code")
    with app.app_context():
        truck = db.session.scalar(select(Equipment).where(Equipment.code == "BD 8012 AC"))
        assert truck.kind == "truk"
        assert db.session.scalar(select(func.count()).select_from(Equipment)) == 3
    edit = f"/roster/equipment/{truck.id}/edit"
    assert 'value="BD 8012 AC"' in client.get(edit).get_data(as_text=True)
    assert client.post(edit, data={"code": "BD 8012 AC", "kind": "truk", "name": "Truk 2",
                                   "status": "maintenance", "notes": "Ganti ban"}
                       ).status_code == 302
    refused = client.post(edit, data={"code": "EQ-1", "kind": "truk", "name": "Truk 2",
                                      "status": "maintenance"})
    assert refused.status_code == 409  # another item's code
    with app.app_context():
        row = db.session.get(Equipment, truck.id)
        assert (row.name, row.status, row.notes, row.code) == (
            "Truk 2", "maintenance", "Ganti ban", "BD 8012 AC")


def test_leadership_reads_the_overviews_and_changes_nothing(roster, client, auth, make_user):
    roster.seed_skills()
    make_user(role="leadership", username="kadis-2")
    auth.login("kadis-2")
    for path in ("/roster/skills", "/roster/certificates", "/roster/pipeline",
                 "/roster/teams", "/roster/equipment"):
        page = auth.client.get(path)
        assert page.status_code == 200, path
        assert "/new" not in page.get_data(as_text=True), path
    for path in ("/roster/skills/new", "/roster/teams/new", "/roster/equipment/new"):
        assert auth.client.get(path).status_code == 403
    make_user(role="posko_staff", username="posko-2")
    auth.logout()
    auth.login("posko-2")
    for path in ("/roster/certificates", "/roster/pipeline", "/roster/teams"):
        assert auth.client.get(path).status_code == 403
