"""The keeper's pages and forms: what they show, what they post, and what they refuse."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from logistics.accounts.models import User
from logistics.calendar import local_today

TODAY = local_today()


@pytest.fixture
def shelf(stock, keeper):
    warehouse = stock.warehouse(keepers=[keeper], name="Gudang Kerkap")
    rice = stock.item(perishable=True, name_id="Beras", code="BRS")
    soon = stock.receive(warehouse, rice, 40, batch_no="SOON-1", expires_on=TODAY + timedelta(9))
    old = stock.receive(warehouse, rice, 5, batch_no="OLD-1", expires_on=TODAY - timedelta(2))
    return {"warehouse": warehouse, "rice": rice, "soon": soon, "old": old}


def form_token(client, url) -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="form_token" type="hidden" value="(\w+)"', page).group(1)


def issue_form(shelf, token, **overrides):
    return {"form_token": token, "warehouse_id": shelf["warehouse"], "recipient_kind": "other",
            "recipient_name": "Desa Air Lais", "giver_name": "Siti", "receiver_name": "Rahmat",
            "witness_name": "Pak Kades", "item_id": [shelf["rice"], ""], "qty": ["10", ""],
            "lot_id": ["", ""], **overrides}


def test_warehouse_list_shows_the_danger_of_an_expired_lot(client, shelf):
    page = client.get("/stock/").get_data(as_text=True)
    assert "Gudang Kerkap" in page
    assert "border-danger" in page


def test_warehouse_page_shows_lots_and_actions_for_its_keeper(client, shelf):
    page = client.get(f"/stock/warehouses/{shelf['warehouse']}").get_data(as_text=True)
    assert "SOON-1" in page
    assert "OLD-1" in page
    assert 'data-testid="post-actions"' in page


def test_other_roles_see_no_post_actions_and_puskesos_no_page(client, shelf, auth, make_user):
    auth.logout()
    auth.login(make_user("leadership"))
    page = client.get(f"/stock/warehouses/{shelf['warehouse']}")
    assert page.status_code == 200
    assert 'data-testid="post-actions"' not in page.get_data(as_text=True)
    assert client.get(f"/stock/warehouses/{shelf['warehouse']}/issue").status_code == 403
    auth.logout()
    auth.login(make_user("puskesos_back"))
    assert client.get("/stock/").status_code == 403


def test_issue_form_posts_once_per_token_and_prints_the_bast(client, shelf, stock):
    url = f"/stock/warehouses/{shelf['warehouse']}/issue"
    form = issue_form(shelf, form_token(client, url))
    first = client.post(url, data=form)
    second = client.post(url, data=form)  # a double click
    assert first.status_code == second.status_code == 302
    assert first.location == second.location
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 35
    printed = client.get(first.location + "/print").get_data(as_text=True)
    assert "Rahmat" in printed
    assert "Pak Kades" in printed
    assert "SOON-1" in printed


def test_issue_form_refusals_show_the_reason_and_change_nothing(client, shelf, stock):
    url = f"/stock/warehouses/{shelf['warehouse']}/issue"
    too_much = client.post(url, data=issue_form(shelf, "t1", qty=["99", ""]))
    assert too_much.status_code == 409
    expired = client.post(url, data=issue_form(shelf, "t2", lot_id=[shelf["old"], ""]))
    assert expired.status_code == 409
    assert "OLD-1" in expired.get_data(as_text=True)
    missing = client.post(url, data=issue_form(shelf, "t3", receiver_name="", qty=["0", ""]))
    assert missing.status_code == 422
    assert missing.get_data(as_text=True).count("invalid-feedback d-block") >= 2
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 45
    assert stock.mismatches() == []


def test_receive_count_and_reverse_through_forms(client, shelf, stock):
    base = f"/stock/warehouses/{shelf['warehouse']}"
    received = client.post(base + "/receive", data={
        "form_token": "r1", "warehouse_id": shelf["warehouse"], "source": "kemensos",
        "item_id": [shelf["rice"]], "qty": ["20"], "batch_no": ["NEW-1"],
        "expires_on": [str(TODAY + timedelta(100))]})
    assert received.status_code == 302
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 65
    counted = client.post(base + "/count", data={
        "form_token": "c1", "warehouse_id": shelf["warehouse"],
        "item_id": [shelf["rice"]], "lot_id": [shelf["soon"]], "counted_qty": ["38"]})
    assert counted.status_code == 302
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 63
    document_id = counted.location.rsplit("/", 1)[-1]
    reversed_ = client.post(f"/stock/documents/{document_id}/reverse",
                            data={"form_token": "v1", "notes": "wrong shelf"})
    assert reversed_.status_code == 302
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 65


def test_transfer_and_arrival_with_a_shortfall(client, shelf, stock, keeper):
    destination = stock.warehouse(keepers=[keeper])
    sent = client.post(f"/stock/warehouses/{shelf['warehouse']}/transfer", data={
        "form_token": "m1", "warehouse_id": shelf["warehouse"], "to_warehouse_id": destination,
        "item_id": [shelf["rice"]], "qty": ["10"]})
    assert sent.status_code == 302
    transfer_id = sent.location.rsplit("/", 1)[-1]
    arrived = client.post(f"/stock/transfers/{transfer_id}/receive", data={
        "form_token": "a1", "lot_id": [shelf["soon"]], "qty": ["8"]})
    assert arrived.status_code == 302
    page = client.get(f"/stock/documents/{transfer_id}").get_data(as_text=True)
    assert 'data-testid="shortfall"' in page
    assert stock.on_hand(destination, shelf["rice"]) == 8


def test_stock_card_shows_running_balances_newest_first(client, shelf):
    page = client.get(f"/stock/warehouses/{shelf['warehouse']}/items/{shelf['rice']}/card")
    balances = re.findall(r'text-end fw-semibold">([\d,]+)<', page.get_data(as_text=True))
    assert balances == ["45", "40"]


def test_alerts_and_on_hand_pages(client, shelf):
    alerts = client.get("/stock/alerts").get_data(as_text=True)
    assert "OLD-1" in alerts
    assert "SOON-1" in alerts
    assert client.get("/stock/on-hand").status_code == 200


def test_unknown_ids_are_404(client, keeper):
    assert client.get("/stock/warehouses/999999").status_code == 404
    assert client.get("/stock/documents/999999").status_code == 404


def test_a_coordinator_opens_a_warehouse_and_assigns_its_keeper(client, auth, make_user, stock,
                                                                 session):
    from logistics.stock.models import MinimumLevel, Warehouse

    stock.ensure_regions()
    keeper = make_user("warehouse_keeper")
    rice = stock.item()
    auth.login(make_user("coordinator"))
    refused = client.post("/stock/warehouses/new", data={"code": "", "name": "X"})
    assert refused.status_code == 422
    opened = client.post("/stock/warehouses/new", data={
        "code": "LS-ENG", "name": "Lumbung Sosial Enggano", "kind": "lumbung_sosial",
        "region_code": stock.KECAMATAN, "lat": "-5.35", "lon": "102.27"})
    assert opened.status_code == 302
    warehouse_id = session.scalar(select(Warehouse.id).where(Warehouse.code == "LS-ENG"))
    user_id = session.scalar(select(User.id).where(User.username == keeper))
    session.rollback()
    saved = client.post(f"/stock/warehouses/{warehouse_id}/settings", data={
        "is_active": "y", "keeper_id": [user_id], f"min_{rice}": "300"})
    assert saved.status_code == 302
    assert [u.username for u in session.get(Warehouse, warehouse_id).keepers] == [keeper]
    assert session.get(MinimumLevel, (warehouse_id, rice)).min_qty == 300


def test_a_form_posts_to_its_own_warehouse_whatever_the_hidden_field_says(client, shelf,
                                                                          stock):
    other = stock.warehouse()
    stock.receive(other, shelf["rice"], 50, batch_no="O", expires_on=TODAY + timedelta(50))
    url = f"/stock/warehouses/{shelf['warehouse']}/issue"
    response = client.post(url, data=issue_form(shelf, "h1", warehouse_id=other))
    assert response.status_code == 302
    assert stock.on_hand(other, shelf["rice"]) == 50
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 35
