"""Reviewer's probes of the SLRT pages and API: acting in another Puskesos on every route
with its ids, masking in HTML, JSON, XLSX and error bodies, bad input, retries, and the query
count of list pages. A probe whose docstring starts with DEFECT fails on purpose until the
fault is fixed; the others pin behaviour that must not regress."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from app.extensions import db
from logistics.referrals.case_models import Case, Need, Referral, Step
from logistics.referrals.models import Household, Membership, PersonalDataAccess
from tests.referrals.case_support import C, R, pipeline  # noqa: F401

OTHER_DESA = "17.03.01.2002"


@pytest.fixture
def world(app, slrt, pipeline):  # noqa: F811
    """A referred case with a sent letter in DESA, and staff of OTHER_DESA's Puskesos."""
    case_id, referral_id = pipeline.referral_at(R.SENT)
    with app.app_context():
        case = db.session.get(Case, case_id)
        household_id = case.household_id
        kk = case.household.kk_number
        head = case.household.head
        person_id, nik = head.id, head.nik
    outsiders = {role: slrt.staff(f"puskesos_{role}", OTHER_DESA, username=f"out-{role}")
                 for role in ("front", "back", "manager")}
    return {"case": case_id, "referral": referral_id, "household": household_id, "kk": kk,
            "nik": nik, "person": person_id, "outsiders": outsiders,
            "own_household": slrt.household(OTHER_DESA), "pipeline": pipeline}


def _rows(app):
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (Household, Membership, Case, Need, Referral, Step,
                                   PersonalDataAccess))


def _api_calls(w):
    h, c, r = w["household"], w["case"], w["referral"]
    return [
        ("get", f"/api/v1/slrt/households/{h}", None),
        ("patch", f"/api/v1/slrt/households/{h}/register-status",
         {"register": "dtks", "welfare_decile": 2, "checked_on": "2026-06-01"}),
        ("post", f"/api/v1/slrt/households/{h}/members",
         {"name": "Penyusup", "sex": "L", "relation": "famili_lain"}),
        ("post", f"/api/v1/slrt/households/{h}/members/{w['person']}/move",
         {"to_household_id": w["own_household"], "reason": "pindah"}),
        ("post", "/api/v1/slrt/cases", {"household_id": h, "source": "kaji_bencana",
                                        "needs": [{"category": "pangan",
                                                   "description": "x"}]}),
        ("get", f"/api/v1/slrt/cases/{c}", None),
        ("post", f"/api/v1/slrt/cases/{c}/needs", {"category": "pangan", "description": "x"}),
        ("post", f"/api/v1/slrt/cases/{c}/handling", None),
        ("post", f"/api/v1/slrt/cases/{c}/findings", {"findings": "x"}),
        ("post", f"/api/v1/slrt/cases/{c}/referrals", {"programme_id": 1}),
        ("post", f"/api/v1/slrt/cases/{c}/decision", None),
        ("post", f"/api/v1/slrt/cases/{c}/referred", None),
        ("post", f"/api/v1/slrt/cases/{c}/close",
         {"outcome": "tidak_tertangani", "reason": "x"}),
        ("post", f"/api/v1/slrt/cases/{c}/step-back", {"reason": "x"}),
        ("post", f"/api/v1/slrt/referrals/{r}/decision",
         {"approve": True, "signer_name": "X"}),
        ("post", f"/api/v1/slrt/referrals/{r}/reconsider", {"reason": "x"}),
        ("post", f"/api/v1/slrt/referrals/{r}/outcome", {"to": "ditolak", "reason": "x"}),
    ]


@pytest.mark.parametrize("role", ["front", "back", "manager"])
def test_probe_every_api_route_refuses_another_puskesos_ids(app, client, auth, world, role):
    """Pinned: staff of another Puskesos get 403/404 on every SLRT API route called with this
    Puskesos's household, case and referral ids, nothing is written, and no body carries
    the No. KK or NIK in full."""
    headers = auth.headers(world["outsiders"][role])
    before = _rows(app)
    for method, url, body in _api_calls(world):
        response = getattr(client, method)(url, json=body, headers=headers)
        text = response.get_data(as_text=True)
        assert response.status_code in (403, 404), (method, url, response.status_code, text)
        assert world["kk"] not in text, url
        assert world["nik"] not in text, url
    assert _rows(app) == before


@pytest.mark.parametrize("role", ["front", "back", "manager"])
def test_probe_lists_and_searches_do_not_reach_another_puskesos(app, client, auth, world,
                                                                  role):
    """Pinned: searching by the other Puskesos's No. KK or NIK, or listing its household's
    cases, answers an empty page."""
    headers = auth.headers(world["outsiders"][role])
    for q in (world["kk"], world["nik"]):
        page = client.get("/api/v1/slrt/households", query_string={"q": q}, headers=headers)
        assert page.status_code == 200
        assert page.get_json()["items"] == []
    listed = client.get("/api/v1/slrt/cases",
                        query_string={"household_id": world["household"]}, headers=headers)
    assert listed.status_code == 200
    assert listed.get_json()["items"] == []


@pytest.mark.parametrize("role", ["front", "back", "manager"])
def test_probe_every_page_refuses_another_puskesos_ids(app, client, auth, world, role):
    """Pinned: the pages (household, audit, member forms, case, new case, letter, exports of
    the other desa) refuse staff of another Puskesos and leak no number."""
    auth.login(world["outsiders"][role])
    h, c, r, p = world["household"], world["case"], world["referral"], world["person"]
    before = _rows(app)
    for url in (f"/slrt/households/{h}", f"/slrt/households/{h}/audit",
                f"/slrt/households/{h}/members/new", f"/slrt/households/{h}/members/{p}/edit",
                f"/slrt/households/{h}/members/{p}/move",
                f"/slrt/households/{h}/members/{p}/end",
                f"/slrt/households/{h}/register-status", f"/slrt/cases/{c}",
                f"/slrt/cases/new?household_id={h}", f"/slrt/referrals/{r}/letter",
                "/slrt/exports/cases.xlsx?desa=17.03.01.2001",
                "/slrt/exports/households.xlsx?desa=17.03.01.2001"):
        response = client.get(url)
        text = response.get_data(as_text=True)
        assert response.status_code in (403, 404), (url, response.status_code)
        assert world["kk"] not in text, url
        assert world["nik"] not in text, url
    assert _rows(app) == before


def test_probe_admin_and_leadership_never_see_full_numbers(app, client, auth, world,
                                                           make_user):
    """Pinned: admin and leadership read households, cases and exports with NIK and No. KK
    masked in HTML, JSON and XLSX."""
    for role in ("admin", "leadership"):
        username = make_user(role, username=f"probe-{role}")
        headers = auth.headers(username)
        auth.login(username)
        texts = [client.get(f"/slrt/households/{world['household']}").get_data(as_text=True),
                 client.get(f"/slrt/cases/{world['case']}").get_data(as_text=True),
                 client.get(f"/api/v1/slrt/households/{world['household']}",
                            headers=headers).get_data(as_text=True),
                 client.get(f"/api/v1/slrt/cases/{world['case']}",
                            headers=headers).get_data(as_text=True)]
        for export in ("cases", "households"):
            sheet = load_workbook(io.BytesIO(client.get(
                f"/slrt/exports/{export}.xlsx").data)).active
            texts.append(" ".join(str(v) for row in sheet.iter_rows(values_only=True)
                                  for v in row if v is not None))
        for text in texts:
            assert world["kk"] not in text
            assert world["nik"] not in text
        auth.logout()


def test_probe_kk_taken_error_body_is_masked_for_the_admin(app, client, auth, world,
                                                          make_user):
    """Pinned: the 409 for a No. KK already registered names it masked, also to an admin who
    typed it (the body reaches logs and proxies)."""
    headers = {**auth.headers(make_user("admin", username="probe-adm2")),
               "Idempotency-Key": "kk-taken"}
    body = {"kk_number": world["kk"], "desa_code": "17.03.01.2001", "address": "Jl. X",
            "members": [{"name": "Budi", "sex": "L", "relation": "kepala"}]}
    response = client.post("/api/v1/slrt/households", json=body, headers=headers)
    assert response.status_code == 409
    assert world["kk"] not in response.get_data(as_text=True)


@pytest.mark.parametrize(("field", "value"), [
    ("welfare_decile", 0), ("welfare_decile", 11), ("kk_number", "170301140319001"),
    ("kk_number", "17030114031900011"), ("kk_number", "9903011403190001")])
def test_probe_bad_household_input_is_422_on_its_field(app, client, auth, world, field,
                                                       value):
    """Pinned: decile 0 / 11, a No. KK of 15 or 17 digits or with no real kecamatan:
    422 naming the field, nothing written."""
    headers = auth.headers(world["pipeline"].front)
    body = {"kk_number": "1703011403190777", "desa_code": "17.03.01.2001",
            "address": "Jl. X", "register": "dtks",
            "members": [{"name": "Budi", "sex": "L", "relation": "kepala"}], field: value}
    before = _rows(app)
    response = client.post("/api/v1/slrt/households", json=body, headers=headers)
    assert response.status_code == 422
    assert field in response.get_data(as_text=True)
    assert _rows(app) == before


def test_probe_a_case_for_an_event_that_does_not_exist_is_422(app, client, auth, world):
    """DEFECT: POST /api/v1/slrt/cases takes any ``event_id``: an id no event has is not
    checked by `CaseIn` nor by `cases.open_case`, so the insert hits the foreign key and
    the client gets a 500 with a stack trace in the log (both databases). Expected: 422 on
    ``event_id``, nothing written."""
    headers = {**auth.headers(world["pipeline"].front), "Idempotency-Key": "no-event"}
    household = world["pipeline"].slrt.household()
    before = _rows(app)
    response = client.post("/api/v1/slrt/cases", headers=headers, json={
        "household_id": household, "event_id": 987654,
        "needs": [{"category": "pangan", "description": "Beras habis"}]})
    assert response.status_code == 422, response.status_code
    assert _rows(app) == before


def test_probe_same_key_other_body_is_409_and_retry_is_one_household(app, client, auth,
                                                                     world):
    """Pinned: a retried registration (same Idempotency-Key) answers the same household; the
    key reused for another family is 409, nothing written."""
    headers = {**auth.headers(world["pipeline"].front), "Idempotency-Key": "reg-1"}
    body = {"kk_number": "1703011403190777", "desa_code": "17.03.01.2001",
            "address": "Jl. X", "members": [{"name": "Budi", "sex": "L",
                                             "relation": "kepala"}]}
    first = client.post("/api/v1/slrt/households", json=body, headers=headers)
    again = client.post("/api/v1/slrt/households", json=body, headers=headers)
    assert first.status_code == 201
    assert again.get_json()["id"] == first.get_json()["id"]
    before = _rows(app)
    other = client.post("/api/v1/slrt/households", headers=headers,
                        json={**body, "kk_number": "1703011403190778"})
    assert other.status_code == 409
    assert _rows(app) == before


def _count_queries(app, get):
    seen = []

    def count(*_args):
        seen.append(1)

    with app.app_context():
        engine = db.engine
    sa_event.listen(engine, "before_cursor_execute", count)
    try:
        response = get()
    finally:
        sa_event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(seen)


def test_probe_household_list_does_not_query_per_household(app, client, auth, slrt):
    """DEFECT: the household list page (and GET /api/v1/slrt/households) read each row's
    head and member count through `Household.memberships`, a lazy relationship, so a page
    of 50 households runs one query per household (N+1). Expected: the query count does not
    grow with the page (selectinload of memberships and people in `visible_households`)."""
    front = slrt.staff("puskesos_front", username="fo-n1")
    for _ in range(5):
        slrt.household()
    auth.login(front)
    few = _count_queries(app, lambda: client.get("/slrt/households"))
    for _ in range(45):
        slrt.household()
    many = _count_queries(app, lambda: client.get("/slrt/households"))
    assert many <= few + 3, (few, many)


def test_probe_case_list_does_not_query_per_case(app, client, auth, slrt, pipeline):  # noqa: F811
    """Pinned: the case list's query count does not grow with the number of cases."""
    for _ in range(5):
        pipeline.open()
    auth.login(pipeline.back)
    few = _count_queries(app, lambda: client.get("/slrt/cases"))
    for _ in range(45):
        pipeline.open()
    many = _count_queries(app, lambda: client.get("/slrt/cases"))
    assert many <= few + 3, (few, many)


@pytest.mark.parametrize("role", ["front", "back", "manager"])
def test_probe_monitoring_and_queue_of_another_puskesos(app, client, auth, world, role):
    """Pinned: another Puskesos's staff get 403 on this desa's monitoring, see none of its
    cases in the kecamatan figures or in their queue."""
    headers = auth.headers(world["outsiders"][role])
    desa = client.get("/api/v1/slrt/monitoring", query_string={"desa": "17.03.01.2001"},
                      headers=headers)
    assert desa.status_code == 403
    kecamatan = client.get("/api/v1/slrt/monitoring", query_string={"kecamatan": "17.03.01"},
                           headers=headers)
    assert kecamatan.status_code == 200
    assert sum(line["cases"] for line in kecamatan.get_json()["steps"]) == 0
    queue = client.get("/api/v1/slrt/queue", headers=headers)
    assert queue.status_code == 200
    assert queue.get_json()["items"] == []


def test_probe_audit_trail_names_no_number_and_counts_every_full_read(app, client, auth,
                                                                      world):
    """Pinned: the manager's audit page lists the views, changes and exports (the letter
    read as an export) with no NIK or No. KK in 'what'."""
    p = world["pipeline"]
    auth.login(p.front)
    client.get(f"/slrt/households/{world['household']}")
    client.get(f"/slrt/referrals/{world['referral']}/letter")
    auth.logout()
    auth.login(p.manager)
    page = client.get(f"/slrt/households/{world['household']}/audit")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    with app.app_context():
        rows = db.session.scalars(select(PersonalDataAccess).where(
            PersonalDataAccess.household_id == world["household"])).all()
        whats = [row.what for row in rows]
    assert {"view", "export"} <= {row.action for row in rows}
    assert not any(world["kk"] in what or world["nik"] in what for what in whats)
    assert world["nik"] not in text.replace(world["kk"], "")


def test_probe_monitoring_counts_equal_the_rows(app, client, auth, world):
    """Pinned: the manager's desa figures count exactly the desa's case rows, by status."""
    p = world["pipeline"]
    p.open()
    p.case_at(C.HANDLING)
    figures = client.get("/api/v1/slrt/monitoring", query_string={"desa": "17.03.01.2001"},
                         headers=auth.headers(p.manager)).get_json()
    with app.app_context():
        rows = dict(db.session.execute(select(Case.status, func.count())
                                       .group_by(Case.status)).all())
    shown = {line["status"]: line["cases"] for line in figures["steps"] if line["cases"]}
    assert shown == rows
