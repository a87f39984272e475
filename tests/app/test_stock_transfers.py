"""Transfers through the keeper's pages and the API: an arrival or a write-off never takes more
of a lot than the transfer has open, however its lines repeat the lot; and open shortfalls are
listed where the keeper looks (warehouse page, alerts, their own list and the API)."""

import html
import re

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from logistics.stock import errors
from logistics.stock.documents import Document
from logistics.stock.ledger_tables import Movement


@pytest.fixture
def road(client, stock, keeper):
    """Two transfers of one rice lot on the road to Enggano, posted through the transfer form:
    the first as two rows of 10 without a lot (first expiry, first out takes the lot twice),
    the second as one row of 30."""
    source = stock.warehouse(keepers=[keeper], name="Gudang Arga Makmur")
    destination = stock.warehouse(keepers=[keeper], name="Lumbung Enggano")
    rice = stock.item(name_id="Beras")
    lot = stock.receive(source, rice, 100, batch_no="BRS-A")
    url = f"/stock/warehouses/{source}/transfer"

    def send(token, quantities):
        sent = client.post(url, data={
            "form_token": token, "to_warehouse_id": destination,
            "item_id": [rice] * len(quantities), "qty": quantities,
            "lot_id": [""] * len(quantities)})
        assert sent.status_code == 302
        return int(sent.location.rsplit("/", 1)[-1])

    return {"source": source, "destination": destination, "rice": rice, "lot": lot,
            "two_rows": send("send-1", ["10", "10"]), "other": send("send-2", ["30"])}


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def in_indonesian(app, message, **params) -> str:
    with app.test_request_context(), force_locale("id"):
        return gettext(message, **params)


def state(session) -> tuple:
    """What a refused posting must leave untouched: documents, lines and transfer statuses."""
    snapshot = (session.scalar(select(func.count(Movement.id))),
                tuple(session.execute(select(Document.id, Document.status)
                                      .order_by(Document.id))))
    session.rollback()
    return snapshot


def arrival_as_shown(client, transfer_id) -> dict:
    """Submit the arrival page exactly as it is shown: its lots with their prefilled numbers."""
    page = client.get(f"/stock/transfers/{transfer_id}/receive").get_data(as_text=True)
    return {"form_token": f"arrive-{transfer_id}",
            "lot_id": re.findall(r'name="lot_id" value="(\d+)"', page),
            "qty": re.findall(r'name="qty" value="(\d*)"', page)}


def row_messages(response) -> list[list[str]]:
    rows = text_of(response).split("data-row>")[1:]
    return [re.findall(r'invalid-feedback d-block">([^<]+)<', row) for row in rows]


# --- finding 1: lines of one lot are summed ---------------------------------------------------

def test_arrival_page_shows_one_row_per_lot_with_what_the_transfer_carried(client, road, stock):
    shown = arrival_as_shown(client, road["two_rows"])
    assert shown["lot_id"] == [str(road["lot"])]
    assert shown["qty"] == ["20"]
    assert client.post(f"/stock/transfers/{road['two_rows']}/receive",
                       data=shown).status_code == 302
    assert stock.on_hand(road["destination"], road["rice"]) == 20
    # The other transfer's units are all still on the road, and arrive as its page says.
    other = arrival_as_shown(client, road["other"])
    assert other["qty"] == ["30"]
    assert client.post(f"/stock/transfers/{road['other']}/receive",
                       data=other).status_code == 302
    assert stock.on_hand(road["destination"], road["rice"]) == 50
    assert stock.mismatches() == []


def test_arrival_posted_as_two_rows_of_the_whole_lot_is_refused_and_changes_nothing(
        app, client, road, stock, session):
    before = state(session)
    refused = client.post(f"/stock/transfers/{road['two_rows']}/receive", data={
        "form_token": "old-page", "lot_id": [road["lot"]] * 2, "qty": ["20", "20"]})
    assert refused.status_code == 422
    page = text_of(refused)
    number = session.get(Document, road["two_rows"]).number
    session.rollback()
    assert in_indonesian(app, errors.ReceivedMoreThanSent.lines_message, number=number,
                         sent=20, lot="BRS-A", received=40) in page
    assert state(session) == before
    assert stock.on_hand(road["destination"], road["rice"]) == 0
    assert stock.mismatches() == []


def test_api_arrival_lines_of_one_lot_are_summed_and_refused_under_the_line(
        client, road, stock, session, auth, keeper):
    headers = auth.headers(keeper)
    before = state(session)
    refused = client.post(f"/api/v1/stock/transfers/{road['two_rows']}/receipt",
                          headers=headers, json={"lines": [{"lot_id": road["lot"], "qty": 20},
                                                           {"lot_id": road["lot"], "qty": 20}]})
    assert refused.status_code == 422
    assert list(refused.get_json()["errors"]) == ["lines.1.qty"]
    assert "BRS-A" in refused.get_json()["errors"]["lines.1.qty"][0]
    assert state(session) == before
    fits = client.post(f"/api/v1/stock/transfers/{road['two_rows']}/receipt", headers=headers,
                       json={"lines": [{"lot_id": road["lot"], "qty": 12},
                                       {"lot_id": road["lot"], "qty": 8}]})
    assert fits.status_code == 201
    assert client.post(f"/api/v1/stock/transfers/{road['other']}/receipt", headers=headers,
                       json={}).status_code == 201
    assert stock.on_hand(road["destination"], road["rice"]) == 50
    assert stock.mismatches() == []


@pytest.fixture
def short(client, road):
    """The two-row transfer received 18 of its 20: 2 stay open; the other is still on the road."""
    received = client.post(f"/stock/transfers/{road['two_rows']}/receive", data={
        "form_token": "short-1", "lot_id": [road["lot"]], "qty": ["18"]})
    assert received.status_code == 302
    return road


def test_api_write_off_lines_of_one_lot_are_summed_against_the_open_shortfall(
        client, short, stock, session, auth, keeper):
    headers = auth.headers(keeper)
    settle = {"warehouse_id": short["destination"], "reason": "lost",
              "transfer_id": short["two_rows"],
              "lines": [{"item_id": short["rice"], "lot_id": short["lot"], "qty": -2}] * 2}
    before = state(session)
    refused = client.post("/api/v1/stock/adjustments", headers=headers, json=settle)
    assert refused.status_code == 409
    assert list(refused.get_json()["errors"]) == ["lines.1.qty"]
    assert "BRS-A" in refused.get_json()["errors"]["lines.1.qty"][0]
    assert state(session) == before
    settle["lines"] = [{**line, "qty": -1} for line in settle["lines"]]
    assert client.post("/api/v1/stock/adjustments", headers=headers,
                       json=settle).status_code == 201
    assert client.post(f"/api/v1/stock/transfers/{short['other']}/receipt", headers=headers,
                       json={}).status_code == 201
    assert stock.on_hand(short["destination"], short["rice"]) == 48
    assert stock.mismatches() == []


def test_write_off_form_with_two_rows_of_one_lot_is_refused_under_the_second_row(
        client, short, stock, session):
    url = f"/stock/warehouses/{short['destination']}/adjust?transfer_id={short['two_rows']}"
    before = state(session)
    refused = client.post(url, data={
        "form_token": "wo-1", "reason": "lost", "transfer_id": short["two_rows"],
        "item_id": [short["rice"]] * 2, "lot_id": [short["lot"]] * 2, "qty": ["-2", "-2"]})
    assert refused.status_code == 409
    assert row_messages(refused)[0] == []
    assert "BRS-A" in row_messages(refused)[1][0]
    assert state(session) == before
    assert stock.mismatches() == []


def test_write_off_form_opened_from_a_shortfall_is_prefilled_and_settles_it(
        client, short, stock):
    url = f"/stock/warehouses/{short['destination']}/adjust?transfer_id={short['two_rows']}"
    page = text_of(client.get(url))
    assert '<option value="lost" selected>' in page
    assert f'<option value="{short["lot"]}" data-item="{short["rice"]}" selected>' in page
    assert 'name="qty" value="-2"' in page
    token = re.search(r'name="form_token" type="hidden" value="(\w+)"', page).group(1)
    posted = client.post(url, data={
        "form_token": token, "reason": "lost", "transfer_id": short["two_rows"],
        "item_id": [short["rice"], ""], "lot_id": [short["lot"], ""], "qty": ["-2", ""]})
    assert posted.status_code == 302
    assert 'data-testid="shortfall-' not in text_of(client.get("/stock/shortfalls"))
    assert stock.mismatches() == []


# --- finding 12: open shortfalls are listed -------------------------------------------------

def test_api_lists_open_shortfalls_per_transfer_and_lot_paged_by_key(
        client, short, stock, auth, keeper):
    headers = auth.headers(keeper)
    elsewhere = stock.warehouse(keepers=[keeper])
    sent = client.post("/api/v1/stock/transfers", headers=headers, json={
        "warehouse_id": short["source"], "to_warehouse_id": elsewhere,
        "lines": [{"item_id": short["rice"], "qty": 7}]}).get_json()
    assert client.post(f"/api/v1/stock/transfers/{sent['id']}/receipt", headers=headers, json={
        "lines": [{"lot_id": short["lot"], "qty": 4}]}).status_code == 201
    listed = client.get("/api/v1/stock/shortfalls", headers=headers).get_json()
    assert [(row["transfer_id"], row["lot"]["batch_no"], row["sent"], row["arrived"],
             row["written_off"], row["open"]) for row in listed["items"]] == [
        (short["two_rows"], "BRS-A", 20, 18, 0, 2), (sent["id"], "BRS-A", 7, 4, 0, 3)]
    assert listed["next"] is None
    first = client.get("/api/v1/stock/shortfalls?limit=1", headers=headers).get_json()
    assert [row["transfer_id"] for row in first["items"]] == [short["two_rows"]]
    rest = client.get(f"/api/v1/stock/shortfalls?limit=1&after={first['next']}",
                      headers=headers).get_json()
    assert ([row["transfer_id"] for row in rest["items"]], rest["next"]) == ([sent["id"]], None)
    here = client.get(f"/api/v1/stock/shortfalls?warehouse_id={elsewhere}",
                      headers=headers).get_json()
    assert [row["to_warehouse_id"] for row in here["items"]] == [elsewhere]
    alerts = client.get(f"/api/v1/stock/alerts?warehouse_id={elsewhere}",
                        headers=headers).get_json()
    assert [(row["transfer_id"], row["open"]) for row in alerts["open_shortfalls"]] == [
        (sent["id"], 3)]
    assert client.get("/api/v1/stock/shortfalls?after=x", headers=headers).status_code == 422
    assert client.get("/api/v1/stock/shortfalls?warehouse_id=999999",
                      headers=headers).status_code == 404


@pytest.mark.parametrize("role", ["puskesos_front", "puskesos_back", "puskesos_manager"])
def test_puskesos_roles_cannot_see_shortfalls(client, short, auth, make_user, role):
    auth.logout()
    username = make_user(role)
    assert client.get("/api/v1/stock/shortfalls",
                      headers=auth.headers(username)).status_code == 403
    auth.login(username)
    assert client.get("/stock/shortfalls").status_code == 403


def test_shortfall_page_lists_each_open_lot_with_a_settle_link(client, short, session):
    page = text_of(client.get("/stock/shortfalls"))
    number = session.get(Document, short["two_rows"]).number
    session.rollback()
    row = page.split(f'data-testid="shortfall-{short["two_rows"]}-{short["lot"]}"')[1]
    assert number in row
    assert "BRS-A" in row
    assert re.findall(r'data-figure="(\w+)">([\d,]+)<', row)[:4] == [
        ("sent", "20"), ("arrived", "18"), ("written_off", "0"), ("open", "2")]
    settle = (f"/stock/warehouses/{short['destination']}/adjust"
              f"?transfer_id={short['two_rows']}")
    assert f'href="{settle}"' in html.unescape(row)


def test_readers_see_shortfalls_without_a_settle_link(client, short, auth, make_user):
    auth.logout()
    auth.login(make_user("leadership"))
    page = text_of(client.get("/stock/shortfalls"))
    assert f'data-testid="shortfall-{short["two_rows"]}-{short["lot"]}"' in page
    assert "/adjust?" not in page


def test_warehouse_and_alerts_pages_show_open_shortfalls_and_link_the_list(client, short):
    listing = f"/stock/shortfalls?warehouse_id={short['destination']}"
    warehouse = text_of(client.get(f"/stock/warehouses/{short['destination']}"))
    assert f'data-testid="shortfall-{short["two_rows"]}-{short["lot"]}"' in warehouse
    assert f'href="{listing}"' in warehouse
    alerts = text_of(client.get("/stock/alerts"))
    assert f'data-testid="shortfall-{short["two_rows"]}-{short["lot"]}"' in alerts
    assert 'href="/stock/shortfalls"' in alerts
    filtered = text_of(client.get(f"/stock/alerts?warehouse_id={short['source']}"))
    assert f'data-testid="shortfall-{short["two_rows"]}' not in filtered
    # A warehouse with a shortfall to settle is amber on the list.
    index = text_of(client.get("/stock/"))
    card = index.split("<a class=\"list-group-item")[1:]
    enggano = next(c for c in card if "Lumbung Enggano" in c)
    assert "border-warning" in enggano


def test_a_transfer_receipt_may_leave_its_body_out_as_the_published_schema_says(
        client, stock, make_user, auth):
    """"Omit when all arrived": the API takes a receipt without a body, so the OpenAPI must not
    call the body required (schemathesis sent none, got 201, and called the API lax)."""
    spec = client.get("/api/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/stock/transfers/{transfer_id}/receipt"]["post"]
    assert operation["requestBody"].get("required", False) is False
    keeper = make_user("warehouse_keeper")
    source, destination = stock.warehouse(keepers=[keeper]), stock.warehouse(keepers=[keeper])
    rice = stock.item()
    stock.receive(source, rice, 10)
    headers = auth.headers(keeper)
    sent = client.post("/api/v1/stock/transfers", headers=headers, json={
        "warehouse_id": source, "to_warehouse_id": destination,
        "lines": [{"item_id": rice, "qty": 10}]})
    arrived = client.post(f"/api/v1/stock/transfers/{sent.get_json()['id']}/receipt",
                          headers=headers)
    assert arrived.status_code == 201
    assert stock.on_hand(destination, rice) == 10
