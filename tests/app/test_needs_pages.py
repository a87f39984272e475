"""The needs pages and the standards form: Indonesian numbers, colour under three days, a
bad row refused whole with a readable message, and only admins edit the table."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from logistics.accounts.models import User
from logistics.emergency.models import Census
from logistics.emergency.needs import SPHERE_DEFAULTS
from logistics.emergency.standards import NeedStandard, NeedSupply
from logistics.stock import operations as stock_operations


@pytest.fixture
def shelter(app, emergency, stock):
    """A posko of 1,200 persons (300 households, 90 under five) in 700 m² that got 1,000 kg
    of rice at 3,600 kcal per kg: 3,600,000 kcal against 1,200 × 2,100 = 2,520,000 a day,
    so 1.4 days of cover (red). Food for 7 days: 1,200 × 2,100 × 7 = 17,640,000 kcal."""
    event_id = emergency.event(status="tanggap_darurat")
    posko_id = emergency.posko(event_id, name="Balai Desa Kahyapu", covered_m2=700)
    warehouse = stock.warehouse()
    rice = stock.item(code="BRS", kcal_per_unit=3600)
    stock.receive(warehouse, rice, 5000)
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "emergency-admin"))
        db.session.add(Census(posko_id=posko_id, counted_at=datetime.now(UTC) - timedelta(
            hours=1), male=600, female=600, households=300, under_five=90, pregnant=10,
            breastfeeding=20, elderly=80, disabled=5, recorded_by_id=admin.id))
        keeper = db.session.scalar(select(User).where(User.username == "stock-admin"))
        stock_operations.issue_stock(db.session, actor=keeper, warehouse_id=warehouse,
                                     lines=[{"item_id": rice, "qty": 1000}], giver_name="Siti",
                                     receiver_name="Rahmat", posko_id=posko_id)
        db.session.commit()
    return {"event": event_id, "posko": posko_id, "rice": rice}


def _card(html: str, code: str) -> str:
    start = html.rfind("<div", 0, html.index(f'data-standard="{code}"'))
    return html[start:html.index('</div></div>', start)]


def test_the_event_needs_page_shows_indonesian_numbers_and_red_under_three_days(
        client, auth, make_user, shelter):
    auth.login(make_user("posko_staff"))
    response = client.get(f"/emergency/events/{shelter['event']}/needs")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    food = _card(html, "food_energy")
    assert "17.640.000" in food  # needed kcal for 7 days
    assert "3.600.000" in food  # delivered kcal
    assert 'data-units="missing">3.900<' in food  # kg of rice: 14,040,000 / 3,600
    assert "border-danger" in food
    assert "1,4 hari" in food
    assert re.search(r'data-value="persons">1\.200<', html)
    assert re.search(r'data-value="capacity">200', html)  # 700 m² / 3.5
    assert "Siapa yang terdampak" in html


def test_the_posko_needs_page_and_its_horizon(client, auth, make_user, shelter):
    auth.login(make_user("coordinator"))
    response = client.get(f"/emergency/posko/{shelter['posko']}/needs?days=3")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "7.560.000" in _card(html, "food_energy")  # 1,200 × 2,100 × 3
    assert "melebihi" not in html
    assert "text-danger" in html  # 1,200 persons in room for 200


def _form(**changes) -> dict:
    """The standards form as the page sends it, Sphere's values typed the Indonesian way."""
    data = {}
    for standard in SPHERE_DEFAULTS:
        code = standard.code
        data[f"amount-{code}"] = str(standard.amount).replace(".", ",")
        data[f"group-{code}"] = standard.group.value
        data[f"per-{code}"] = standard.per.value
        data[f"item-{code}"] = ["", ""]
        data[f"content-{code}"] = ["", ""]
    data.update(changes)
    return data


def _saved(session) -> tuple[int, int]:
    counts = (session.scalar(select(func.count()).select_from(NeedStandard)),
              session.scalar(select(func.count()).select_from(NeedSupply)))
    session.rollback()
    return counts


def test_an_admin_saves_the_standards_typed_the_indonesian_way(client, auth, make_user,
                                                               shelter, session):
    auth.login(make_user("admin"))
    assert "Energi pangan" in client.get("/emergency/standards").get_data(as_text=True)
    response = client.post("/emergency/standards", data=_form(**{
        "amount-covered_space": "4,5", "amount-food_energy": "2.400",
        "item-food_energy": [str(shelter["rice"]), ""], "content-food_energy": ["3.500", ""]}))
    assert response.status_code == 302
    water = session.get(NeedStandard, "water")
    assert (water.amount, session.get(NeedStandard, "covered_space").amount) == (15, 4.5)
    assert session.get(NeedStandard, "food_energy").amount == 2400
    assert session.get(NeedSupply, ("food_energy", shelter["rice"])).content == 3500
    session.rollback()
    html = client.get(f"/emergency/posko/{shelter['posko']}/needs").get_data(as_text=True)
    assert "20.160.000" in _card(html, "food_energy")  # 1,200 × 2,400 × 7
    assert "155 jiwa" in html  # 700 m² / 4.5


@pytest.mark.parametrize(("field", "typed"), [
    ("amount-water", "lima belas"), ("amount-water", "0"), ("amount-water", "1,2345"),
    ("amount-water", "1.5"), ("amount-water", "-3"), ("amount-water", "1" * 12),
    ("group-water", "cats"), ("per-water", "weekly"),
])
def test_a_bad_standards_row_is_refused_readably_and_nothing_is_saved(
        client, auth, make_user, shelter, session, field, typed):
    auth.login(make_user("admin"))
    response = client.post("/emergency/standards", data=_form(**{field: typed}))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in html
    assert "Tidak ada yang disimpan" in html
    assert typed in html or field.startswith(("group", "per"))
    assert _saved(session) == (0, 0)


def test_an_unknown_supplying_item_is_refused_on_its_row_and_nothing_is_saved(
        client, auth, make_user, shelter, session):
    auth.login(make_user("admin"))
    response = client.post("/emergency/standards", data=_form(**{
        "amount-water": "20", "item-blanket": ["", "999999"], "content-blanket": ["", "1"]}))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="item-blanket-1-error"' in html
    assert "Bukan barang katalog yang sedang dipakai." in html
    assert _saved(session) == (0, 0)


@pytest.mark.parametrize("role", ["coordinator", "posko_staff", "leadership"])
def test_only_an_admin_edits_the_standards(client, auth, make_user, shelter, session, role):
    username = make_user(role)
    auth.login(username)
    assert client.get("/emergency/standards").status_code == 403
    assert client.post("/emergency/standards", data=_form()).status_code == 403
    response = client.put("/api/v1/emergency/standards", headers=auth.headers(username),
                          json={"standards": [{"code": "water", "amount": "20",
                                               "group": "persons", "per": "day"}]})
    assert response.status_code == 403
    assert _saved(session) == (0, 0)


def test_the_standards_api_round_trips_and_refuses_a_bad_row_whole(client, auth, make_user,
                                                                  shelter, session):
    headers = auth.headers(make_user("admin"))
    table = client.get("/api/v1/emergency/standards", headers=headers).get_json()["standards"]
    water = next(row for row in table if row["code"] == "water")
    assert water["amount"] == "15.000"
    refused = client.put("/api/v1/emergency/standards", headers=headers, json={"standards": [
        {"code": "water", "amount": "20", "group": water["group"], "per": water["per"]},
        {"code": "blanket", "amount": 1.5, "group": "persons", "per": "once",
         "supplies": [{"item_id": shelter["rice"], "content": "0.0001"}]}]})
    assert refused.status_code == 422
    assert list(refused.get_json()["errors"]) == ["standards.1.supplies.0.content"]
    assert _saved(session) == (0, 0)
    saved = client.put("/api/v1/emergency/standards", headers=headers, json={"standards": [
        {"code": "water", "amount": 20, "group": "persons", "per": "day"}]})
    assert saved.status_code == 200
    needs = client.get(f"/api/v1/emergency/posko/{shelter['posko']}/needs",
                       headers=headers).get_json()
    water_line = next(line for line in needs["posko"]["lines"] if line["code"] == "water")
    assert water_line["needed"] == "168000.000"  # 1,200 × 20 L × 7
    food = next(line for line in needs["posko"]["lines"] if line["code"] == "food_energy")
    assert (food["days_delivered"], food["is_low"]) == ("1.4", True)
    assert food["units"]["missing"] == 3900
