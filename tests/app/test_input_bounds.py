"""Input is strict and bounded on every route: a number that is not a whole number, a value the
database column cannot hold, or text with characters no field may hold is refused with a 422 on
its field (a 404 for an id in the path), the same on SQLite and PostgreSQL, and nothing is
written. Issue 15, findings 1 to 6."""

import io
import json
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, update

from logistics.stock.models import Item, ItemPack, MinimumLevel
from tests.app.bounds import (  # noqa: F401  (the fixtures)
    BAST,
    INT32_OVER,
    INT64_OVER,
    TODAY,
    admin_fixture,
    documents,
    keeper_fixture,
    receipt,
    refused_on,
    shelf_fixture,
)

# --- finding 1: integers are strict everywhere -------------------------------------------------

@pytest.mark.parametrize("qty", [1.5, "3", 1.0, True, "1e3"])
def test_a_quantity_that_is_not_a_json_whole_number_is_refused_and_nothing_posts(
        client, shelf, keeper, stock, session, qty):
    before = documents(session)
    response = client.post("/api/v1/stock/receipts", headers=keeper[1],
                           json=receipt(shelf, qty=qty))
    assert refused_on(response, "lines.0.qty") == ["Bukan bilangan bulat yang valid."]
    assert documents(session) == before
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 2000


def test_a_fractional_warehouse_id_is_refused_not_truncated(client, shelf, keeper, stock):
    response = client.post("/api/v1/stock/receipts", headers=keeper[1],
                           json={**receipt(shelf, qty=5), "warehouse_id": shelf["warehouse"] + 0.5})
    refused_on(response, "warehouse_id")
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 2000


def test_a_count_of_0_9_does_not_wipe_the_lot(client, shelf, keeper, stock, session):
    before = documents(session)
    response = client.post("/api/v1/stock/counts", headers=keeper[1], json={
        "warehouse_id": shelf["warehouse"],
        "lines": [{"item_id": shelf["rice"], "lot_id": shelf["lot"], "counted_qty": 0.9}]})
    refused_on(response, "lines.0.counted_qty")
    assert documents(session) == before
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 2000


@pytest.mark.parametrize("value", ["1.5", "²", "٣", "1e3", " 3x"])
def test_a_query_number_that_is_not_plain_digits_is_a_422(client, shelf, keeper, value):
    response = client.get("/api/v1/stock/documents", headers=keeper[1],
                          query_string={"warehouse_id": value})
    refused_on(response, "warehouse_id")


def test_query_numbers_written_as_digits_still_work(client, shelf, keeper):
    response = client.get(f"/api/v1/stock/documents?warehouse_id={shelf['warehouse']}&limit=2",
                          headers=keeper[1])
    assert response.status_code == 200
    assert len(response.get_json()["items"]) == 1


@pytest.mark.parametrize("qty", ["1.5", "²", "3.0", "1e3"])
def test_the_receive_form_refuses_a_quantity_that_is_not_digits(client, auth, shelf, keeper,
                                                                 stock, session, qty):
    auth.login(keeper[0])
    before = documents(session)
    response = client.post(f"/stock/warehouses/{shelf['warehouse']}/receive", data={
        "form_token": f"t-{qty}", "source": "kemensos", "item_id": [shelf["rice"]],
        "qty": [qty], "expires_on": [str(TODAY + timedelta(200))]})
    assert response.status_code == 422
    assert "Bukan bilangan bulat yang valid." in response.get_data(as_text=True)
    assert documents(session) == before
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 2000


def test_the_receive_form_still_posts_digits(client, auth, shelf, keeper, stock):
    auth.login(keeper[0])
    response = client.post(f"/stock/warehouses/{shelf['warehouse']}/receive", data={
        "form_token": "t-ok", "source": "kemensos", "item_id": [str(shelf["rice"])],
        "qty": [" 30 "], "expires_on": [str(TODAY + timedelta(200))]})
    assert response.status_code == 302
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 2030


# --- finding 4: "²" passes isdigit() then fails int(): numbers are parsed one way ---------------

@pytest.mark.parametrize("typed", ["²", "1.5", "-3", str(10**12)])
def test_the_minimum_level_form_refuses_what_is_not_a_whole_number_in_range(
        client, auth, shelf, stock, session, typed):
    auth.login("stock-admin")
    response = client.post(f"/stock/warehouses/{shelf['warehouse']}/settings", data={
        "is_active": "y", f"min_{shelf['rice']}": typed})
    assert response.status_code == 422
    assert session.get(MinimumLevel, (shelf["warehouse"], shelf["rice"])) is None
    session.rollback()


def test_the_minimum_level_form_saves_digits(client, auth, shelf, session):
    auth.login("stock-admin")
    response = client.post(f"/stock/warehouses/{shelf['warehouse']}/settings", data={
        "is_active": "y", f"min_{shelf['rice']}": "300"})
    assert response.status_code == 302
    assert session.get(MinimumLevel, (shelf["warehouse"], shelf["rice"])).min_qty == 300


# --- finding 2: every integer has a range its column can hold ----------------------------------

@pytest.mark.parametrize("number", [INT32_OVER, INT64_OVER, 10**30])
@pytest.mark.parametrize("path", [
    "/api/v1/stock/documents/{}", "/api/v1/stock/warehouses/{}", "/api/v1/stock/warehouses/{}/lots",
    "/stock/warehouses/{}", "/stock/documents/{}",
])
def test_an_id_in_the_path_beyond_the_column_is_a_404(client, keeper, path, number):
    response = client.get(path.format(number), headers=keeper[1])
    assert response.status_code == 404


def test_an_id_in_a_page_path_beyond_the_column_is_a_404(client, auth, keeper):
    auth.login(keeper[0])
    assert client.get(f"/stock/warehouses/{INT32_OVER}").status_code == 404
    assert client.get(f"/stock/documents/{INT64_OVER}").status_code == 404


@pytest.mark.parametrize("number", [INT32_OVER, INT64_OVER, 0, -1])
@pytest.mark.parametrize(("field", "body"), [
    ("warehouse_id", lambda shelf, n: {**receipt(shelf, qty=1), "warehouse_id": n}),
    ("lines.0.item_id", lambda shelf, n: {"warehouse_id": shelf["warehouse"],
                                          "lines": [{"item_id": n, "qty": 1}]}),
])
def test_an_id_in_the_body_beyond_the_column_is_a_422(client, shelf, keeper, stock, number,
                                                      field, body):
    response = client.post("/api/v1/stock/receipts", headers=keeper[1], json=body(shelf, number))
    refused_on(response, field)
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 2000


@pytest.mark.parametrize("query", [f"warehouse_id={INT32_OVER}", f"after={INT64_OVER}",
                                   f"incoming_to={10**20}"])
def test_an_id_in_the_query_beyond_the_column_is_a_422(client, keeper, query):
    response = client.get(f"/api/v1/stock/documents?{query}", headers=keeper[1])
    refused_on(response, query.split("=")[0])


@pytest.mark.parametrize("path", ["/stock/documents", "/stock/on-hand", "/stock/alerts",
                                  "/stock/on-hand.xlsx"])
def test_a_page_filter_beyond_the_column_is_not_a_server_error(client, auth, keeper, path):
    auth.login(keeper[0])
    response = client.get(f"{path}?warehouse_id={INT32_OVER}&after={INT64_OVER}")
    assert response.status_code < 500


@pytest.mark.parametrize(("field", "value"), [
    ("shelf_life_days", 10**6), ("kcal_per_unit", 10**9), ("shelf_life_days", INT64_OVER),
])
def test_item_numbers_have_a_maximum(client, admin, session, field, value):
    response = client.post("/api/v1/stock/items", headers=admin, json={
        "code": "BRS", "name_id": "Beras", "name_en": "Rice", "category": "pangan",
        "base_unit": "kg", field: value})
    refused_on(response, field)
    assert session.scalar(select(func.count(Item.id))) == 0
    session.rollback()


def test_a_pack_larger_than_one_line_may_hold_is_refused(client, admin):
    response = client.post("/api/v1/stock/items", headers=admin, json={
        "code": "BRS", "name_id": "Beras", "name_en": "Rice", "category": "pangan",
        "base_unit": "kg", "packs": [{"name": "kontainer", "base_qty": 10**9}]})
    refused_on(response, "packs.0.base_qty")


def test_packs_that_multiply_past_the_line_cap_are_refused(client, keeper, stock, session):
    warehouse = stock.warehouse(keepers=[keeper[0]])
    rice = stock.item(packs=[("kontainer", 10_000)])
    before = documents(session)
    response = client.post("/api/v1/stock/receipts", headers=keeper[1], json={
        "warehouse_id": warehouse,
        "lines": [{"item_id": rice, "pack": "kontainer", "packs": 10_000_000}]})
    refused_on(response, "lines.0.packs")
    assert documents(session) == before
    assert stock.on_hand(warehouse, rice) == 0


@pytest.mark.parametrize("min_qty", [10**12, INT64_OVER, -1, 2.5])
def test_a_minimum_level_beyond_range_is_refused(client, admin, shelf, session, min_qty):
    response = client.put(f"/api/v1/stock/warehouses/{shelf['warehouse']}/minimums",
                          headers=admin, json={"item_id": shelf["rice"], "min_qty": min_qty})
    refused_on(response, "min_qty")


# --- finding 3: text the database cannot hold is a 422 on both databases -----------------------

@pytest.mark.parametrize("bad", ["nul\x00byte", "bell\x07", "escape\x1b[31m", "a\x7f"])
@pytest.mark.parametrize("field", ["donor_name", "supplier_ref", "notes"])
def test_control_characters_in_a_header_field_are_refused(client, shelf, keeper, session, field,
                                                          bad):
    before = documents(session)
    response = client.post("/api/v1/stock/receipts", headers=keeper[1],
                           json={**receipt(shelf, qty=1), field: bad})
    refused_on(response, field)
    assert documents(session) == before


@pytest.mark.parametrize(("field", "value"), [("batch_no", "B\x00"), ("batch_no", "B" * 61),
                                              ("pack", "k\x00")])
def test_bad_text_on_a_line_is_refused_on_that_line(client, shelf, keeper, session, field, value):
    line = {"qty": 1, "batch_no": "OK-1"}
    line[field] = value
    if field == "pack":
        line = {"pack": value, "packs": 1}
    response = client.post("/api/v1/stock/receipts", headers=keeper[1],
                           json=receipt(shelf, **line))
    refused_on(response, f"lines.0.{field}")


def test_a_lone_surrogate_is_refused_not_a_server_error(client, shelf, keeper, session):
    body = json.dumps({**receipt(shelf, qty=1), "donor_name": "PLACEHOLDER"})
    body = body.replace("PLACEHOLDER", "\\ud800")
    response = client.post("/api/v1/stock/receipts", headers=keeper[1], data=body,
                           content_type="application/json")
    refused_on(response, "donor_name")


@pytest.mark.parametrize(("field", "value"), [
    ("base_unit", "kg\x0b"), ("name_id", "Beras\x00"), ("name_en", "\udfff"),
    ("code", "BRS\x00"),
])
def test_item_text_with_characters_no_field_may_hold_is_refused(client, admin, session, field,
                                                                 value):
    body = {"code": "BRS", "name_id": "Beras", "name_en": "Rice", "category": "pangan",
            "base_unit": "kg"}
    body[field] = value
    response = client.post("/api/v1/stock/items", headers=admin, data=json.dumps(body),
                           content_type="application/json")
    refused_on(response, field)


@pytest.mark.parametrize(("url", "params"), [
    ("/api/v1/stock/items", {"q": "ber\x00as"}),
    ("/api/v1/regions/", {"q": "ben\x00"}),
    ("/api/v1/regions/", {"parent": "17\x00"}),
])
def test_control_characters_in_a_query_are_refused(client, keeper, url, params):
    response = client.get(url, headers=keeper[1], query_string=params)
    assert response.status_code == 422


def test_a_region_code_with_a_nul_in_the_path_is_a_404(client, keeper):
    assert client.get("/api/v1/regions/17%00", headers=keeper[1]).status_code == 404


def test_a_username_with_a_nul_is_refused_not_a_server_error(client, make_user):
    make_user("admin", username="ani")
    response = client.post("/api/v1/auth/token", json={"username": "ani\x00", "password": "x"})
    assert response.status_code in (401, 422)


def test_exports_never_fail_on_text_stored_before_the_rules(client, auth, shelf, keeper, app):
    with app.app_context():
        from app.extensions import db
        db.session.execute(update(Item).where(Item.id == shelf["rice"])
                           .values(base_unit="kg\x0b", name_id="Beras\x01\x1f"))
        db.session.commit()
    for url in ("/api/v1/stock/files/on-hand.xlsx",
                f"/api/v1/stock/files/warehouses/{shelf['warehouse']}/items/{shelf['rice']}"
                "/card.xlsx"):
        response = client.get(url, headers=keeper[1])
        assert response.status_code == 200, url
        sheet = load_workbook(io.BytesIO(response.data)).active
        assert any(cell.value for row in sheet.iter_rows() for cell in row)
    auth.login(keeper[0])
    assert client.get("/stock/on-hand.xlsx").status_code == 200


# --- finding 5: packs are validated like every other field -------------------------------------

def item_body(**extra):
    return {"code": "BRS", "name_id": "Beras", "name_en": "Rice", "category": "pangan",
            "base_unit": "kg", **extra}


def test_an_empty_pack_gets_field_messages_not_a_server_error(client, admin):
    response = client.post("/api/v1/stock/items", headers=admin, json=item_body(packs=[{}]))
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"packs.0.name", "packs.0.base_qty"}


@pytest.mark.parametrize("base_qty", [1, 0, -5, 2.5, "25"])
def test_a_pack_of_one_or_less_or_not_whole_is_refused(client, admin, base_qty):
    response = client.post("/api/v1/stock/items", headers=admin,
                           json=item_body(packs=[{"name": "karung", "base_qty": base_qty}]))
    refused_on(response, "packs.0.base_qty")


def test_a_pack_name_given_twice_is_refused_on_the_second(client, admin, session):
    response = client.post("/api/v1/stock/items", headers=admin, json=item_body(packs=[
        {"name": "karung", "base_qty": 25}, {"name": "Karung", "base_qty": 50}]))
    assert list(response.get_json()["errors"]) == ["packs.1.name"]
    assert response.status_code == 422
    assert session.scalar(select(func.count(ItemPack.id))) == 0
    session.rollback()


def test_a_pack_name_beyond_its_column_is_refused(client, admin):
    response = client.post("/api/v1/stock/items", headers=admin,
                           json=item_body(packs=[{"name": "k" * 21, "base_qty": 25}]))
    refused_on(response, "packs.0.name")


# --- finding 6: JSON nested beyond reason is unreadable, not a crash ---------------------------

@pytest.mark.parametrize("body", ["[" * 100_000, '{"a":' * 100_000, "[" * 100_000 + "]" * 100_000])
def test_deeply_nested_json_is_a_400_like_any_unreadable_body(client, keeper, body):
    response = client.post("/api/v1/stock/receipts", headers=keeper[1], data=body,
                           content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["status"] == 400


def test_unreadable_json_is_a_400_in_the_one_shape(client, keeper):
    response = client.post("/api/v1/stock/receipts", headers=keeper[1], data="{nope",
                           content_type="application/json")
    assert response.status_code == 400
    assert set(response.get_json()) <= {"status", "title", "message", "errors"}
    assert re.search(r"JSON", response.get_json()["message"])


# --- the rule every new schema follows ---------------------------------------------------------

def _unbounded(schema, path="") -> list[str]:
    """Fields of ``schema`` that take a number or text without the shared bounded types."""
    from marshmallow import fields

    from logistics.core.fields import Choice, Text, Whole

    found = []
    schema = schema() if isinstance(schema, type) else schema
    for name, field in schema.fields.items():
        if field.dump_only:
            continue
        field = getattr(field, "inner", field)
        if isinstance(field, fields.Nested):
            found += _unbounded(field.schema, f"{path}{name}.")
        elif isinstance(field, fields.Integer) and not isinstance(field, Whole):
            found.append(f"{path}{name}: Integer without a range (use Id, Quantity, Whole...)")
        elif (isinstance(field, fields.String) and not isinstance(field, Text | Choice)
              and not isinstance(field, fields.Email)):
            found.append(f"{path}{name}: String without a length (use Text or Choice)")
    return found


def test_every_input_schema_uses_the_strict_bounded_field_types(app):
    """Every schema an API operation loads, and every *In schema of the domain, is built from
    logistics.core.fields, so events, roster and SLRT schemas inherit the same bounds."""
    import importlib
    import pkgutil

    from marshmallow import Schema

    import logistics
    from app import API_BLUEPRINTS

    schemas = {}
    for blueprint in API_BLUEPRINTS:
        for endpoint, operations in blueprint._docs.items():
            for method, doc in operations.items():
                if method == "parameters":
                    continue
                for parameter in doc.get("arguments", {}).get("parameters", []):
                    schema = parameter["schema"]
                    schemas[f"{endpoint} {method}"] = schema
    for module in pkgutil.walk_packages(logistics.__path__, "logistics."):
        if module.name.endswith("schemas"):  # schemas.py and *_schemas.py
            for name, value in vars(importlib.import_module(module.name)).items():
                if name.endswith(("In", "Query")) and isinstance(value, type) and issubclass(
                        value, Schema):
                    schemas[f"{module.name}.{name}"] = value
    problems = [f"{where}: {problem}" for where, schema in schemas.items()
                for problem in _unbounded(schema)]
    assert problems == []
