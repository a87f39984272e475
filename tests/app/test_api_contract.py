"""What the API promises a client, checked against what it does: one error shape with flat
field keys, an OpenAPI document that describes the real errors of each operation, and lists
that are paged. Issue 15, findings 7 to 9."""

from datetime import timedelta
from urllib.parse import parse_qsl

import pytest

from logistics.calendar import local_today
from tests.app.error_contract import error_reference, error_validator, operation_of

TODAY = local_today()


@pytest.fixture
def keeper(make_user, auth):
    username = make_user("warehouse_keeper")
    return username, auth.headers(username)


@pytest.fixture
def shelf(stock, keeper):
    warehouse = stock.warehouse(keepers=[keeper[0]])
    rice = stock.item(perishable=True, packs=[("karung", 25)])
    lot = stock.receive(warehouse, rice, 100, batch_no="R-1", expires_on=TODAY + timedelta(300))
    return {"warehouse": warehouse, "rice": rice, "lot": lot}


@pytest.fixture
def spec(client):
    return client.get("/api/openapi.json").get_json()


# --- finding 7: one error shape, flat dotted keys ---------------------------------------------

def test_a_schema_error_on_a_line_has_the_same_flat_key_as_a_domain_error(client, shelf, keeper):
    body = {"warehouse_id": shelf["warehouse"], "recipient_kind": "other",
            "recipient_name": "Pak Rahmat", "giver_name": "Siti", "receiver_name": "Rahmat"}
    schema = client.post("/api/v1/stock/issues", headers=keeper[1], json={
        **body, "lines": [{"item_id": shelf["rice"], "qty": 1}, {"item_id": shelf["rice"],
                                                                  "qty": 0}]})
    domain = client.post("/api/v1/stock/issues", headers=keeper[1], json={
        **body, "lines": [{"item_id": shelf["rice"], "qty": 1},
                          {"item_id": shelf["rice"], "qty": 1, "lot_id": 999_999}]})
    assert (schema.status_code, domain.status_code) == (422, 422)
    assert list(schema.get_json()["errors"]) == ["lines.1.qty"]
    assert list(domain.get_json()["errors"]) == ["lines.1.lot_id"]


def test_every_field_error_is_a_list_of_messages_under_a_flat_key(client, shelf, keeper):
    response = client.post("/api/v1/stock/receipts", headers=keeper[1], json={
        "warehouse_id": "x", "notes": 5, "lines": [{"item_id": shelf["rice"]},
                                                   {"qty": 1, "expires_on": "soon"}]})
    errors = response.get_json()["errors"]
    assert set(errors) == {"warehouse_id", "notes", "lines.0.qty", "lines.1.item_id",
                           "lines.1.expires_on"}
    assert all(isinstance(messages, list) and all(isinstance(m, str) for m in messages)
               for messages in errors.values())


def test_query_and_header_errors_are_flat_too(client, keeper):
    response = client.get("/api/v1/stock/documents?limit=0&kind=nope", headers=keeper[1])
    assert set(response.get_json()["errors"]) == {"limit", "kind"}


# --- finding 8: the published error schema is the one the app sends ---------------------------

def test_the_published_error_schema_is_the_shape_the_app_sends(spec):
    error = spec["components"]["schemas"][error_reference(spec)["$ref"].rsplit("/", 1)[1]]
    assert set(error["required"]) == {"status", "title", "message"}
    assert error["properties"]["status"]["type"] == "integer"
    assert error["properties"]["title"]["type"] == "string"
    assert error["properties"]["errors"]["additionalProperties"]["items"]["type"] == "string"
    assert error.get("additionalProperties") is False


@pytest.mark.parametrize(("method", "url", "kwargs", "status"), [
    ("get", "/api/v1/auth/me", {}, 401),
    ("get", "/api/v1/users/", {"who": "keeper"}, 403),
    ("get", "/api/v1/stock/documents/999999", {"who": "keeper"}, 404),
    ("post", "/api/v1/stock/receipts", {"who": "keeper", "json": {}}, 422),
    ("post", "/api/v1/stock/receipts", {"who": "keeper", "data": "{", "content_type":
                                        "application/json"}, 400),
    ("post", "/api/v1/stock/items", {"who": "admin", "json": {
        "code": "ITEM1", "name_id": "A", "name_en": "A", "category": "pangan",
        "base_unit": "kg"}}, 409),
    ("put", "/api/v1/auth/me", {}, 405),
    ("get", "/api/v1/nothing-here", {}, 404),
])
def test_each_error_matches_the_published_schema_and_is_documented_for_its_operation(
        client, spec, keeper, make_user, auth, stock, method, url, kwargs, status):
    stock.item(code="ITEM1")
    kwargs = dict(kwargs)  # the parameters are shared by both databases' runs
    who = kwargs.pop("who", None)
    headers = {"keeper": keeper[1], "admin": auth.headers(make_user("admin")) if who == "admin"
               else None}.get(who)
    response = getattr(client, method)(url, headers=headers, **kwargs)
    assert response.status_code == status
    error_validator(spec).validate(response.get_json())
    operation = operation_of(spec, client.application, method, url)
    if operation is not None:
        assert str(status) in operation["responses"], (url, sorted(operation["responses"]))


def test_too_many_password_attempts_is_documented_and_in_the_shape(make_app_client, spec):
    client = make_app_client(LOGIN_RATE_LIMIT="1 per minute")
    for _ in range(2):
        response = client.post("/api/v1/auth/token", json={"username": "x", "password": "y"})
    assert response.status_code == 429
    error_validator(spec).validate(response.get_json())
    assert "429" in spec["paths"]["/api/v1/auth/token"]["post"]["responses"]


@pytest.fixture
def make_app_client(database_url):
    from tests.conftest import make_app

    def make(**config):
        return make_app(database_url, **config).test_client()

    return make


def test_every_operation_documents_the_errors_it_can_answer(app, spec):
    """401 everywhere (the token endpoint answers it for a wrong password), 403 where a
    permission guards the route, 404 where the path names a record, 422 where input is read,
    400 (unreadable body, missing CSRF header) on every write; each in the one error shape."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        view = app.view_functions[rule.endpoint]
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            operation = operation_of(spec, app, method, rule.rule)
            answers = set(operation["responses"])
            where = (method, rule.rule, sorted(answers))
            assert "401" in answers, where
            if getattr(view, "required_permission", None) is not None:
                assert "403" in answers, where
            if rule.arguments:
                assert "404" in answers, where
            if operation.get("parameters") or operation.get("requestBody"):
                assert "422" in answers, where
            if method != "GET":
                assert "400" in answers, where
            for status, response in operation["responses"].items():
                if status[0] in "45" or status == "default":
                    if "$ref" in response:
                        response = spec["components"]["responses"][
                            response["$ref"].rsplit("/", 1)[1]]
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == error_reference(spec), where


# --- finding 9: the lists the README calls paged are paged ------------------------------------

def walk(client, url, headers, limit=1) -> list:
    """Every item of a paged list, fetched ``limit`` at a time; checks the envelope on the way."""
    items, after, pages = [], None, 0
    url, _, filters = url.partition("?")
    while True:
        query = {**dict(parse_qsl(filters)), "limit": limit,
                 **({"after": after} if after is not None else {})}
        response = client.get(url, headers=headers, query_string=query)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        assert set(body) == {"items", "next"}
        assert len(body["items"]) <= limit
        items += body["items"]
        pages += 1
        after = body["next"]
        if after is None:
            return items
        assert pages < 50


def test_users_are_paged(client, make_user, auth):
    admin = auth.headers(make_user("admin", username="ani"))
    for name in ("budi", "citra", "dewi"):
        make_user("posko_staff", username=name)
    users = walk(client, "/api/v1/users/", admin)
    assert [user["username"] for user in users] == ["ani", "budi", "citra", "dewi"]


def test_ones_own_tokens_are_paged_newest_first(client, make_user, auth):
    make_user("coordinator", username="budi")
    tokens = [auth.token("budi") for _ in range(3)]
    headers = {"Authorization": f"Bearer {tokens[-1]}"}
    listed = walk(client, "/api/v1/auth/tokens", headers)
    assert len(listed) == 3
    assert [token["id"] for token in listed] == sorted((t["id"] for t in listed), reverse=True)


def test_warehouses_are_paged(client, stock, keeper):
    made = {stock.warehouse(code=code) for code in ("GDG-B", "GDG-A", "LS-C")}
    listed = walk(client, "/api/v1/stock/warehouses", keeper[1])
    assert [w["code"] for w in listed] == ["GDG-A", "GDG-B", "LS-C"]
    assert {w["id"] for w in listed} == made


def test_stock_on_hand_is_paged(client, stock, keeper):
    warehouses = [stock.warehouse(code=code) for code in ("GDG-A", "GDG-B")]
    items = [stock.item(code=code) for code in ("BRS", "MIE", "SLM")]
    for warehouse in warehouses:
        for item in items:
            stock.receive(warehouse, item, 5)
    rows = walk(client, "/api/v1/stock/on-hand", keeper[1], limit=2)
    assert [(row["warehouse_id"], row["item_code"]) for row in rows] == [
        (warehouse, code) for warehouse in warehouses for code in ("BRS", "MIE", "SLM")]
    one = walk(client, f"/api/v1/stock/on-hand?warehouse_id={warehouses[1]}", keeper[1])
    assert {row["warehouse_id"] for row in one} == {warehouses[1]}


def test_lots_are_paged_first_expiry_first(client, stock, keeper):
    warehouse, rice, blanket = stock.warehouse(), stock.item(perishable=True), stock.item()
    late = stock.receive(warehouse, rice, 5, batch_no="L", expires_on=TODAY + timedelta(90))
    soon = stock.receive(warehouse, rice, 5, batch_no="S", expires_on=TODAY + timedelta(9))
    plain = stock.receive(warehouse, blanket, 5, batch_no="P")
    lots = walk(client, f"/api/v1/stock/warehouses/{warehouse}/lots", keeper[1])
    assert [lot["lot"]["id"] for lot in lots] == [soon, late, plain]
    only_rice = walk(client, f"/api/v1/stock/warehouses/{warehouse}/lots?item_id={rice}",
                     keeper[1], limit=5)
    assert [lot["lot"]["id"] for lot in only_rice] == [soon, late]


@pytest.mark.parametrize("path", ["/api/v1/users/", "/api/v1/auth/tokens",
                                  "/api/v1/stock/warehouses", "/api/v1/stock/on-hand",
                                  "/api/v1/stock/warehouses/{warehouse_id}/lots"])
def test_the_openapi_documents_those_lists_as_pages(spec, path):
    operation = spec["paths"][path]["get"]
    reference = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    page = spec["components"]["schemas"][reference.rsplit("/", 1)[1]]
    assert set(page["properties"]) == {"items", "next"}
    assert {p["name"] for p in operation["parameters"]} >= {"limit", "after"}
