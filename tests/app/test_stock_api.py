"""The stock API as a phone app or another system uses it: status codes, shapes, and no
change at all when a request is refused."""

from datetime import timedelta

import pytest

from logistics.calendar import local_today

TODAY = local_today()
BAST = {"recipient_kind": "other", "recipient_name": "Kantor Desa Kahyapu", "giver_name": "Siti",
        "receiver_name": "Rahmat", "witness_name": "Kepala Desa"}


@pytest.fixture
def keeper(make_user, auth):
    username = make_user("warehouse_keeper")
    return username, auth.headers(username)


@pytest.fixture
def shelf(stock, keeper):
    """A central warehouse the keeper keeps, with 100 kg of rice in two lots."""
    warehouse = stock.warehouse(keepers=[keeper[0]])
    rice = stock.item(perishable=True, packs=[("karung", 25)])
    late = stock.receive(warehouse, rice, 60, batch_no="LATE", expires_on=TODAY + timedelta(200))
    soon = stock.receive(warehouse, rice, 40, batch_no="SOON", expires_on=TODAY + timedelta(20))
    return {"warehouse": warehouse, "rice": rice, "late": late, "soon": soon}


def issue_body(shelf, **lines):
    return {"warehouse_id": shelf["warehouse"], **BAST,
            "lines": [{"item_id": shelf["rice"], **lines}]}


def documents_count(client, headers) -> int:
    return len(client.get("/api/v1/stock/documents?limit=200", headers=headers)
               .get_json()["items"])


def test_receipt_in_packs_posts_base_units_with_running_balance(client, shelf, keeper):
    response = client.post("/api/v1/stock/receipts", headers=keeper[1], json={
        "warehouse_id": shelf["warehouse"], "supplier_ref": "SPPB-1",
        "lines": [{"item_id": shelf["rice"], "pack": "karung", "packs": 2,
                   "batch_no": "NEW", "expires_on": str(TODAY + timedelta(300))}]})
    assert response.status_code == 201
    line = response.get_json()["lines"][0]
    assert (line["qty"], line["balance_after"], line["batch_no"]) == (50, 150, "NEW")


def test_issue_without_lot_takes_the_soonest_expiry_first(client, shelf, keeper):
    response = client.post("/api/v1/stock/issues", headers=keeper[1],
                           json=issue_body(shelf, qty=50))
    assert response.status_code == 201
    assert [(line["lot_id"], line["qty"]) for line in response.get_json()["lines"]] == [
        (shelf["soon"], -40), (shelf["late"], -10)]


def test_issuing_more_than_on_hand_is_409_and_changes_nothing(client, shelf, keeper, stock):
    before = documents_count(client, keeper[1])
    response = client.post("/api/v1/stock/issues", headers=keeper[1],
                           json=issue_body(shelf, qty=101))
    assert response.status_code == 409
    assert "100" in response.get_json()["message"]
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 100
    assert documents_count(client, keeper[1]) == before
    assert stock.mismatches() == []


def test_an_expired_lot_is_refused_by_name(client, stock, keeper):
    warehouse, rice = stock.warehouse(keepers=[keeper[0]]), stock.item(perishable=True)
    old = stock.receive(warehouse, rice, 10, batch_no="EXP-0424", expires_on=TODAY - timedelta(1))
    response = client.post("/api/v1/stock/issues", headers=keeper[1], json={
        "warehouse_id": warehouse, **BAST, "lines": [{"item_id": rice, "qty": 1, "lot_id": old}]})
    assert response.status_code == 409
    assert "EXP-0424" in response.get_json()["message"]
    assert stock.on_hand(warehouse, rice) == 10


@pytest.mark.parametrize(("line", "field"), [
    ({"qty": 0}, "qty"), ({"qty": -5}, "qty"), ({}, "qty"),
    ({"pack": "karung"}, "packs"),
])
def test_bad_quantities_get_field_messages(client, shelf, keeper, line, field):
    response = client.post("/api/v1/stock/issues", headers=keeper[1],
                           json=issue_body(shelf, **line))
    assert response.status_code == 422
    assert f"lines.0.{field}" in response.get_json()["errors"]


def test_unknown_item_lot_and_warehouse(client, shelf, keeper):
    unknown_item = {"warehouse_id": shelf["warehouse"], **BAST,
                    "lines": [{"item_id": 999_999, "qty": 1}]}
    assert client.post("/api/v1/stock/issues", headers=keeper[1],
                       json=unknown_item).status_code == 422
    unknown_lot = issue_body(shelf, qty=1, lot_id=999_999)
    answer = client.post("/api/v1/stock/issues", headers=keeper[1], json=unknown_lot)
    assert answer.status_code == 422
    assert "lines.0.lot_id" in answer.get_json()["errors"]
    assert client.post("/api/v1/stock/issues", headers=keeper[1],
                       json={**issue_body(shelf, qty=1), "warehouse_id": 999_999}
                       ).status_code == 404


def test_a_lot_of_another_item_is_refused(client, shelf, keeper, stock):
    blanket = stock.item()
    blanket_lot = stock.receive(shelf["warehouse"], blanket, 5)
    response = client.post("/api/v1/stock/issues", headers=keeper[1],
                           json=issue_body(shelf, qty=1, lot_id=blanket_lot))
    assert response.status_code == 422


def test_keepers_post_only_where_they_keep_and_coordinators_anywhere(
        client, shelf, stock, make_user, auth, keeper):
    elsewhere = stock.warehouse()
    stock.receive(elsewhere, shelf["rice"], 10, batch_no="X", expires_on=TODAY + timedelta(99))
    body = {**issue_body(shelf, qty=1), "warehouse_id": elsewhere}
    assert client.post("/api/v1/stock/issues", headers=keeper[1], json=body).status_code == 403
    coordinator = auth.headers(make_user("coordinator"))
    assert client.post("/api/v1/stock/issues", headers=coordinator, json=body).status_code == 201
    assert stock.on_hand(elsewhere, shelf["rice"]) == 9


@pytest.mark.parametrize("role", ["leadership", "posko_staff"])
def test_readers_read_but_cannot_post(client, shelf, make_user, auth, role):
    headers = auth.headers(make_user(role))
    assert client.get("/api/v1/stock/warehouses", headers=headers).status_code == 200
    assert client.post("/api/v1/stock/issues", headers=headers,
                       json=issue_body(shelf, qty=1)).status_code == 403


def test_puskesos_staff_see_no_stock(client, make_user, auth):
    headers = auth.headers(make_user("puskesos_front"))
    assert client.get("/api/v1/stock/warehouses", headers=headers).status_code == 403


def test_a_lumbung_sosial_releases_only_with_an_authority(client, stock, keeper):
    site, rice = stock.warehouse(kind="lumbung_sosial", keepers=[keeper[0]]), stock.item()
    stock.receive(site, rice, 10)
    body = {"warehouse_id": site, **BAST, "lines": [{"item_id": rice, "qty": 1}]}
    refused = client.post("/api/v1/stock/issues", headers=keeper[1], json=body)
    assert refused.status_code == 422
    assert "authority_ref" in refused.get_json()["errors"]
    assert client.post("/api/v1/stock/issues", headers=keeper[1],
                       json={**body, "authority_ref": "SK Bupati 360/214/2026"}
                       ).status_code == 201


class TestGateOff:
    @pytest.fixture
    def app_config(self):
        return {"STOCK_EMERGENCY_GATE": False}

    def test_without_the_gate_a_lumbung_sosial_releases_freely(self, client, stock, keeper):
        site, rice = stock.warehouse(kind="lumbung_sosial", keepers=[keeper[0]]), stock.item()
        stock.receive(site, rice, 10)
        assert client.post("/api/v1/stock/issues", headers=keeper[1], json={
            "warehouse_id": site, **BAST, "lines": [{"item_id": rice, "qty": 1}]}
        ).status_code == 201


def test_transfer_shortfall_is_visible_until_an_adjustment_settles_it(client, stock, auth,
                                                                       make_user):
    headers = auth.headers(make_user("coordinator"))
    source, destination, rice = stock.warehouse(), stock.warehouse(), stock.item()
    lot = stock.receive(source, rice, 100)
    sent = client.post("/api/v1/stock/transfers", headers=headers, json={
        "warehouse_id": source, "to_warehouse_id": destination,
        "lines": [{"item_id": rice, "qty": 30}]}).get_json()
    assert sent["status"] == "in_transit"
    on_hand = client.get(f"/api/v1/stock/on-hand?warehouse_id={destination}",
                         headers=headers).get_json()["items"]
    assert (on_hand[0]["on_hand"], on_hand[0]["in_transit"]) == (0, 30)
    url = f"/api/v1/stock/transfers/{sent['id']}/receipt"
    assert client.post(url, headers=headers,
                       json={"lines": [{"lot_id": lot, "qty": 28}]}).status_code == 201
    assert client.post(url, headers=headers, json={}).status_code == 409
    settle = {"warehouse_id": destination, "reason": "lost", "transfer_id": sent["id"],
              "lines": [{"item_id": rice, "lot_id": lot, "qty": -3}]}
    assert client.post("/api/v1/stock/adjustments", headers=headers,
                       json=settle).status_code == 409  # only 2 are missing
    settle["lines"][0]["qty"] = -2
    assert client.post("/api/v1/stock/adjustments", headers=headers,
                       json=settle).status_code == 201
    assert stock.on_hand(destination, rice) == 28
    assert stock.mismatches() == []


def test_count_sets_the_lot_and_a_reversal_undoes_once(client, shelf, keeper, stock):
    counted = client.post("/api/v1/stock/counts", headers=keeper[1], json={
        "warehouse_id": shelf["warehouse"],
        "lines": [{"item_id": shelf["rice"], "lot_id": shelf["soon"], "counted_qty": 37}]})
    assert counted.status_code == 201
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 97
    url = f"/api/v1/stock/documents/{counted.get_json()['id']}/reversal"
    reversal = client.post(url, headers=keeper[1], json={"notes": "counted the wrong shelf"})
    assert reversal.status_code == 201
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 100
    assert client.post(url, headers=keeper[1], json={"notes": "again"}).status_code == 409
    again = f"/api/v1/stock/documents/{reversal.get_json()['id']}/reversal"
    assert client.post(again, headers=keeper[1], json={"notes": "undo"}).status_code == 409
    assert client.post(url, headers=keeper[1], json={}).status_code == 422


def test_a_retried_request_returns_the_first_answer_and_posts_once(client, shelf, keeper, stock):
    headers = {**keeper[1], "Idempotency-Key": "retry-7f3a"}
    first = client.post("/api/v1/stock/issues", headers=headers, json=issue_body(shelf, qty=5))
    second = client.post("/api/v1/stock/issues", headers=headers, json=issue_body(shelf, qty=5))
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.get_json() == second.get_json()
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 95
    other = client.post("/api/v1/stock/issues", headers=headers, json=issue_body(shelf, qty=6))
    assert other.status_code == 409
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 95


def test_stock_card_pages_by_key_newest_first(client, shelf, keeper, stock):
    for _ in range(3):
        client.post("/api/v1/stock/issues", headers=keeper[1], json=issue_body(shelf, qty=1))
    url = f"/api/v1/stock/warehouses/{shelf['warehouse']}/items/{shelf['rice']}/card"
    first = client.get(url + "?limit=2", headers=keeper[1]).get_json()
    assert [line["balance_after"] for line in first["items"]] == [97, 98]
    rest = client.get(f"{url}?limit=10&after={first['next']}", headers=keeper[1]).get_json()
    assert [line["balance_after"] for line in rest["items"]] == [99, 100, 60]
    assert rest["next"] is None


def test_alerts_list_expiring_lots_and_items_under_minimum(client, shelf, keeper, make_user,
                                                           auth):
    admin = auth.headers(make_user("admin"))
    assert client.put(f"/api/v1/stock/warehouses/{shelf['warehouse']}/minimums", headers=admin,
                      json={"item_id": shelf["rice"], "min_qty": 150}).status_code == 204
    alerts = client.get(f"/api/v1/stock/alerts?warehouse_id={shelf['warehouse']}",
                        headers=keeper[1]).get_json()
    assert [(lot["lot"]["batch_no"], lot["window"]) for lot in alerts["expiring"]] == [
        ("SOON", 30)]
    assert [(low["on_hand"], low["min_qty"]) for low in alerts["under_minimum"]] == [(100, 150)]


def test_setting_up_warehouses_and_items(client, stock, make_user, auth, keeper):
    stock.ensure_regions()
    admin = auth.headers(make_user("admin"))
    warehouse = client.post("/api/v1/stock/warehouses", headers=admin, json={
        "code": "LS-ENG", "name": "Lumbung Sosial Enggano", "kind": "lumbung_sosial",
        "region_code": stock.KECAMATAN, "lat": -5.35, "lon": 102.27})
    assert warehouse.status_code == 201
    assert client.post("/api/v1/stock/warehouses", headers=admin, json={
        "code": "LS-ENG", "name": "Again", "kind": "lumbung_sosial",
        "region_code": stock.KECAMATAN}).status_code == 409
    assert client.post("/api/v1/stock/warehouses", headers=keeper[1], json={
        "code": "LS-X", "name": "X", "kind": "central",
        "region_code": stock.KECAMATAN}).status_code == 403
    item = client.post("/api/v1/stock/items", headers=admin, json={
        "code": "SLM", "name_id": "Selimut", "name_en": "Blanket", "category": "sandang",
        "base_unit": "lembar", "packs": [{"name": "bal", "base_qty": 20}]})
    assert item.status_code == 201
    assert item.get_json()["packs"] == [{"name": "bal", "base_qty": 20}]
    assert client.post("/api/v1/stock/items", headers=admin, json={
        "code": "", "name_id": "", "category": "nope"}).status_code == 422


def test_posting_endpoints_document_the_idempotency_key(client):
    spec = client.get("/api/openapi.json").get_json()
    for path in ("/api/v1/stock/issues", "/api/v1/stock/receipts", "/api/v1/stock/transfers",
                 "/api/v1/stock/adjustments", "/api/v1/stock/counts"):
        names = {parameter["name"] for parameter in spec["paths"][path]["post"]["parameters"]}
        assert "Idempotency-Key" in names
