"""The case API: an idempotent open, every step a POST answering the whole case, 409 naming
from and to, 422 with field messages, lists scoped to the caller's Puskesos, programmes CRUD."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from logistics.referrals.case_models import Programme

NEEDS = [{"category": "pangan", "description": "Kehabisan beras setelah banjir."}]


@pytest.fixture
def api(app, slrt, auth):
    household = slrt.household(decile=6)
    with app.app_context():
        ids = dict(db.session.execute(select(Programme.code, Programme.id)).all())
    people = {role: auth.headers(slrt.staff(f"puskesos_{role}", username=f"api-{role}"))
              for role in ("front", "back", "manager")}
    return {"household": household, "programmes": ids, **people}


def test_the_pipeline_over_the_api(client, api):
    body = {"household_id": api["household"], "needs": NEEDS}
    opened = client.post("/api/v1/slrt/cases", json=body,
                         headers={**api["front"], "Idempotency-Key": "open-1"})
    assert opened.status_code == 201, opened.get_json()
    case = opened.get_json()
    again = client.post("/api/v1/slrt/cases", json=body,
                        headers={**api["front"], "Idempotency-Key": "open-1"})
    assert again.get_json()["id"] == case["id"]
    assert case["household"]["kk_number"].isdigit()  # the front office sees it in full
    base = f"/api/v1/slrt/cases/{case['id']}"
    assert client.post(f"{base}/handling", headers=api["back"]).status_code == 200
    proposed = client.post(f"{base}/referrals", headers=api["back"],
                           json={"programme_id": api["programmes"]["BPNT"]})
    assert proposed.status_code == 201
    referral = proposed.get_json()["referrals"][0]
    assert [a["fits"] for a in referral["advice"]] == [False, True, True]  # decile 6 > 4
    assert client.post(f"{base}/decision", headers=api["back"]).get_json()["status"] \
        == "penetapan"
    decided = client.post(f"/api/v1/slrt/referrals/{referral['id']}/decision",
                          headers=api["manager"],
                          json={"approve": True, "signer_name": "Drs. Sutrisno"})
    assert decided.get_json()["referrals"][0]["letter_number"].startswith("RUJ-")
    assert client.post(f"{base}/referred", headers=api["manager"]).status_code == 200
    for to in ("dikirim", "diterima", "dilayani"):
        answered = client.post(f"/api/v1/slrt/referrals/{referral['id']}/outcome",
                               headers=api["back"], json={"to": to})
        assert answered.status_code == 200, answered.get_json()
    closed = client.post(f"{base}/close", headers=api["manager"], json={"outcome": "tertangani"})
    assert closed.get_json()["status"] == "selesai"
    steps = [(s["from_status"], s["to_status"]) for s in closed.get_json()["steps"]]
    assert steps[0] == (None, "pendaftaran")
    assert steps[-1] == ("rujukan", "selesai")
    assert len(steps) == 10


def test_refusals_name_what_went_wrong(client, api):
    missing = client.post("/api/v1/slrt/cases", headers=api["front"],
                          json={"household_id": api["household"], "needs": []})
    assert missing.status_code == 422
    assert "needs" in str(missing.get_json())
    case = client.post("/api/v1/slrt/cases", headers=api["front"],
                       json={"household_id": api["household"], "needs": NEEDS}).get_json()
    early = client.post(f"/api/v1/slrt/cases/{case['id']}/referred", headers=api["manager"])
    assert early.status_code == 409
    message = early.get_json()["message"].lower()  # the labels of from and to
    assert "pendaftaran" in message
    assert "rujukan" in message
    assert client.post(f"/api/v1/slrt/cases/{case['id']}/handling",
                       headers=api["front"]).status_code == 403


def test_inactive_programme_and_duplicates_are_409(client, api, auth, make_user):
    admin = auth.headers(make_user("admin", username="adm-api"))
    bpnt = api["programmes"]["BPNT"]
    off = client.patch(f"/api/v1/slrt/programmes/{bpnt}", headers=admin,
                       json={"is_active": False})
    assert off.get_json()["is_active"] is False
    case = client.post("/api/v1/slrt/cases", headers=api["front"],
                       json={"household_id": api["household"], "needs": NEEDS}).get_json()
    base = f"/api/v1/slrt/cases/{case['id']}"
    client.post(f"{base}/handling", headers=api["back"])
    inactive = client.post(f"{base}/referrals", headers=api["back"],
                           json={"programme_id": bpnt})
    assert inactive.status_code == 409
    pkh = {"programme_id": api["programmes"]["PKH"]}
    assert client.post(f"{base}/referrals", headers=api["back"], json=pkh).status_code == 201
    assert client.post(f"{base}/referrals", headers=api["back"], json=pkh).status_code == 409
    created = client.post("/api/v1/slrt/programmes", headers=admin, json={
        "code": "PKH", "name": "x", "agency": "y", "kind": "daerah"})
    assert created.status_code == 409


def test_lists_keep_to_the_callers_puskesos(client, api, slrt, auth):
    client.post("/api/v1/slrt/cases", headers=api["front"],
                json={"household_id": api["household"], "needs": NEEDS})
    far = auth.headers(slrt.staff("puskesos_manager", slrt.OTHER_DESA, username="api-far"))
    assert client.get("/api/v1/slrt/cases", headers=far).get_json()["items"] == []
    mine = client.get("/api/v1/slrt/cases", headers=api["manager"]).get_json()["items"]
    assert len(mine) == 1
    assert client.get(f"/api/v1/slrt/cases/{mine[0]['id']}", headers=far).status_code == 403
