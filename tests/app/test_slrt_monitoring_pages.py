"""The SLRT queue, monitoring and export pages and API, as each role meets them."""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db
from logistics.db import utcnow
from logistics.referrals.models import PersonalDataAccess
from tests.referrals.case_rows import add_case


def _cases(app, slrt):
    now = utcnow()
    overdue = add_case(app, slrt, slrt.household(), registered_at=now - timedelta(days=9))
    add_case(app, slrt, slrt.household(), registered_at=now - timedelta(hours=5))
    add_case(app, slrt, slrt.household(slrt.OTHER_DESA), desa=slrt.OTHER_DESA,
             registered_at=now - timedelta(days=4))
    return overdue


def test_front_office_queue_marks_overdue_in_words_and_shows_masked_kk_to_leadership(
        app, client, auth, slrt):
    _cases(app, slrt)
    auth.login(slrt.staff("puskesos_front", username="pg-front"))
    page = client.get("/slrt/queue", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert page.count("<tr") == 3  # the header and its two registrations
    assert page.count('data-overdue="1"') == 1
    assert "Overdue</span>" in page or "Terlambat</span>" in page
    auth.logout()
    auth.login(slrt.staff("leadership", username="pg-lead"))
    page = client.get("/slrt/queue").get_data(as_text=True)
    assert page.count('data-overdue="1"') == 2  # every Puskesos: the neighbour's too
    assert "**********" in page


def test_monitoring_page_and_api_keep_a_manager_to_their_desa(app, client, auth, slrt):
    _cases(app, slrt)
    manager = slrt.staff("puskesos_manager", username="pg-manager")
    auth.login(manager)
    page = client.get("/slrt/monitoring")
    assert page.status_code == 200
    assert b'data-testid="partial"' in page.data
    assert b"<progress" in page.data
    assert client.get(f"/slrt/monitoring?desa={slrt.OTHER_DESA}").status_code == 403
    headers = auth.headers(manager)
    answer = client.get("/api/v1/slrt/monitoring", headers=headers).get_json()
    assert answer["totals"] == {"cases": 2, "open": 2, "overdue": 1}
    assert answer["is_partial"] is True
    assert client.get(f"/api/v1/slrt/monitoring?desa={slrt.OTHER_DESA}",
                      headers=headers).status_code == 403
    assert client.get("/api/v1/slrt/monitoring?kecamatan=99.99",
                      headers=headers).status_code == 404
    queue = client.get("/api/v1/slrt/queue", headers=headers).get_json()
    assert queue == {"items": [], "next": None, "waiting": 0, "overdue": 0}  # no penetapan


def test_queue_api_pages_and_masks_for_admin(app, client, auth, slrt):
    _cases(app, slrt)
    admin = slrt.staff("admin", username="pg-admin")
    headers = auth.headers(admin)
    first = client.get("/api/v1/slrt/queue?limit=2", headers=headers).get_json()
    assert (first["waiting"], first["overdue"], len(first["items"])) == (3, 2, 2)
    assert first["items"][0]["is_overdue"] is True
    assert "*" in first["items"][0]["kk_number"]
    rest = client.get("/api/v1/slrt/queue", query_string={"limit": 2, "after": first["next"]},
                      headers=headers).get_json()
    assert len(rest["items"]) == 1
    assert rest["next"] is None
    assert client.get("/api/v1/slrt/queue?after=nonsense",
                      headers=headers).status_code == 422


def test_exports_are_full_and_audited_for_the_back_office_masked_for_admin(
        app, client, auth, slrt):
    _cases(app, slrt)
    auth.login(slrt.staff("puskesos_back", username="pg-back"))
    response = client.get("/slrt/exports/cases.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert len(rows) == 5
    assert all("*" not in row[8] for row in rows[3:])
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PersonalDataAccess)) == 2
    auth.logout()
    auth.login(slrt.staff("admin", username="pg-admin"))
    response = client.get("/slrt/exports/households.xlsx")
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert len(rows) == 6
    assert all("*" in row[0] for row in rows[3:])
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PersonalDataAccess)) == 2


def test_event_page_shows_slrt_numbers_and_the_menu_links_slrt_for_who_may_see_cases(
        app, client, auth, slrt, emergency):
    event_id = emergency.event()
    add_case(app, slrt, slrt.household(), registered_at=utcnow(), source="kaji_bencana",
             event_id=event_id)
    auth.login(slrt.staff("coordinator", username="pg-coordinator"))
    page = client.get(f"/emergency/events/{event_id}").get_data(as_text=True)
    assert 'data-testid="slrt-card"' in page
    assert "SLRT: 1 " in page
    assert "/slrt/queue" not in page  # a coordinator may not see cases: no menu entry
    auth.logout()
    auth.login(slrt.staff("puskesos_front", username="pg-front"))
    assert "/slrt/queue" in client.get("/home").get_data(as_text=True)
