"""XLSX in and out: all-or-nothing imports with every bad row named, formulas kept as text."""

import io
from datetime import date, timedelta

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from logistics.stock.ledger import Movement
from logistics.stock.models import Item
from logistics.stock.spreadsheets import CATALOGUE_COLUMNS, OPENING_COLUMNS

EXPIRY = date.today() + timedelta(days=200)


def workbook(header, *rows) -> bytes:
    book = Workbook()
    book.active.append(list(header))
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, url, content, headers=None, **fields):
    return client.post(url, data={"file": (io.BytesIO(content), "sheet.xlsx"), **fields},
                       headers=headers, content_type="multipart/form-data")


def count(session, model) -> int:
    value = session.scalar(select(func.count()).select_from(model))
    session.rollback()
    return value


def test_catalogue_import_adds_items_with_packs(client, auth, make_user, session):
    admin = auth.headers(make_user("admin"))
    sheet = workbook(CATALOGUE_COLUMNS,
                     ("BRS", "Beras", "Rice", "pangan", "kg", "ya", 365, 3600, "karung=25"),
                     ("SLM", "=HYPERLINK(\"x\")", "Blanket", "sandang", "lembar", "", "", "", ""))
    response = upload(client, "/api/v1/stock/files/imports/catalogue", sheet, headers=admin)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["rows"] == 2
    assert response.get_json()["number"].startswith("IMP-")
    rice = session.scalar(select(Item).where(Item.code == "BRS"))
    assert rice.is_perishable
    assert [(p.name, p.base_qty) for p in rice.packs] == [("karung", 25)]
    blanket = session.scalar(select(Item).where(Item.code == "SLM"))
    assert blanket.name_id == '=HYPERLINK("x")'


def test_a_sheet_with_bad_rows_reports_them_all_and_imports_nothing(client, auth, make_user,
                                                                      session):
    admin = auth.headers(make_user("admin"))
    sheet = workbook(CATALOGUE_COLUMNS,
                     ("OK1", "Baik", "Good", "pangan", "kg", "", "", "", ""),
                     ("", "Tanpa kode", "No code", "pangan", "kg", "", "", "", ""),
                     ("BAD2", "Kategori", "Category", "nope", "kg", "", "", "", ""),
                     ("BAD3", "Kemasan", "Pack", "pangan", "kg", "", "", "", "karung"))
    response = upload(client, "/api/v1/stock/files/imports/catalogue", sheet, headers=admin)
    assert response.status_code == 422
    rows = response.get_json()["errors"]["rows"]
    assert [(row["row"], row["column"]) for row in rows] == [
        (3, "code"), (4, "category"), (5, "packs")]
    assert count(session, Item) == 0


def test_opening_stock_posts_receipts_through_the_ledger(client, auth, make_user, stock,
                                                         session):
    admin = auth.headers(make_user("admin"))
    warehouse = stock.warehouse(code="LS-ENG")
    rice = stock.item(code="BRS", perishable=True)
    sheet = workbook(OPENING_COLUMNS,
                     ("LS-ENG", "BRS", "A-1", EXPIRY, 120, "kemensos", ""),
                     ("ls-eng", "brs", "A-2", str(EXPIRY), 30, "donor", "CSR Bank"))
    response = upload(client, "/api/v1/stock/files/imports/opening", sheet, headers=admin)
    assert response.status_code == 201, response.get_json()
    assert stock.on_hand(warehouse, rice) == 150
    assert stock.mismatches() == []


def test_opening_stock_with_a_bad_row_posts_nothing(client, auth, make_user, stock, session):
    admin = auth.headers(make_user("admin"))
    stock.warehouse(code="LS-ENG")
    stock.item(code="BRS", perishable=True)
    sheet = workbook(OPENING_COLUMNS,
                     ("LS-ENG", "BRS", "A-1", EXPIRY, 120, "kemensos", ""),
                     ("LS-ENG", "BRS", "A-2", "", 30, "", ""),
                     ("NOWHERE", "BRS", "A-3", EXPIRY, 30, "", ""),
                     ("LS-ENG", "BRS", "A-4", EXPIRY, "-5", "", ""))
    response = upload(client, "/api/v1/stock/files/imports/opening", sheet, headers=admin)
    assert response.status_code == 422
    assert [row["column"] for row in response.get_json()["errors"]["rows"]] == [
        "expires_on", "warehouse_code", "qty"]
    assert count(session, Movement) == 0


def _opening_world(stock):
    warehouse = stock.warehouse(code="LS-ENG")
    rice = stock.item(code="BRS", perishable=True)
    sheet = workbook(OPENING_COLUMNS,
                     ("LS-ENG", "BRS", "A-1", EXPIRY, 120, "kemensos", ""),
                     ("LS-ENG", "BRS", "A-2", EXPIRY, 30, "donor", "CSR Bank"))
    return warehouse, rice, sheet


def test_the_same_opening_sheet_imported_twice_posts_once(client, auth, make_user, stock):
    """Finding 2: a second upload of the same file named the first instead of doubling stock."""
    admin = auth.headers(make_user("admin"))
    warehouse, rice, sheet = _opening_world(stock)
    first = upload(client, "/api/v1/stock/files/imports/opening", sheet, headers=admin)
    assert first.status_code == 201, first.get_json()
    again = upload(client, "/api/v1/stock/files/imports/opening", sheet, headers=admin)
    assert again.status_code == 409
    assert first.get_json()["number"] in again.get_json()["message"]
    assert again.get_json()["errors"] == {"file": [again.get_json()["message"]]}
    assert stock.on_hand(warehouse, rice) == 150
    assert stock.mismatches() == []


def test_an_import_retried_with_its_key_answers_the_first_import(client, auth, make_user,
                                                                 stock):
    admin = auth.headers(make_user("admin"))
    warehouse, rice, sheet = _opening_world(stock)
    headers = {**admin, "Idempotency-Key": "opening-1"}
    first = upload(client, "/api/v1/stock/files/imports/opening", sheet, headers=headers)
    retry = upload(client, "/api/v1/stock/files/imports/opening", sheet, headers=headers)
    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.get_json() == first.get_json()
    other = workbook(OPENING_COLUMNS, ("LS-ENG", "BRS", "A-3", EXPIRY, 5, "", ""))
    reused = upload(client, "/api/v1/stock/files/imports/opening", other, headers=headers)
    assert reused.status_code == 409
    assert stock.on_hand(warehouse, rice) == 150


def test_a_double_submitted_import_page_imports_once(client, auth, make_user, stock):
    auth.login(make_user("coordinator"))
    warehouse, rice, sheet = _opening_world(stock)
    form = client.get("/stock/import").get_data(as_text=True)
    token = form.split('name="form_token" type="hidden" value="')[1].split('"')[0]
    answers = [upload(client, "/stock/import", sheet, kind="opening", form_token=token)
               for _ in range(2)]
    assert [answer.status_code for answer in answers] == [302, 302]
    assert stock.on_hand(warehouse, rice) == 150


def test_only_set_up_roles_import(client, auth, make_user):
    keeper = auth.headers(make_user("warehouse_keeper"))
    response = upload(client, "/api/v1/stock/files/imports/catalogue",
                      workbook(CATALOGUE_COLUMNS), headers=keeper)
    assert response.status_code == 403


def test_upload_page_lists_the_problems(client, auth, make_user):
    auth.login(make_user("coordinator"))
    sheet = workbook(CATALOGUE_COLUMNS, ("X", "", "", "", "", "", "", "", ""))
    page = upload(client, "/stock/import", sheet, kind="catalogue")
    assert page.status_code == 422
    assert 'data-testid="import-problems"' in page.get_data(as_text=True)


def test_exports_open_with_the_right_figures_and_formulas_as_text(client, auth, make_user,
                                                                  stock):
    headers = auth.headers(make_user("leadership"))
    warehouse = stock.warehouse()
    blanket = stock.item(name_id="=1+1", code="SLM")
    stock.receive(warehouse, blanket, 12)
    on_hand = client.get("/api/v1/stock/files/on-hand.xlsx", headers=headers)
    assert on_hand.status_code == 200
    rows = list(load_workbook(io.BytesIO(on_hand.data)).active.iter_rows(values_only=True))
    assert rows[3][2:6] == ("SLM", "=1+1", "kg", 12)
    sheet = load_workbook(io.BytesIO(on_hand.data)).active
    assert sheet.cell(row=4, column=4).data_type == "s"
    card = client.get(f"/api/v1/stock/files/warehouses/{warehouse}/items/{blanket}/card.xlsx",
                      headers=headers)
    lines = list(load_workbook(io.BytesIO(card.data)).active.iter_rows(values_only=True))
    assert lines[3][4:7] == (12, None, 12)


def test_cli_import_refuses_a_bad_sheet_and_exports_a_card(runner, stock, tmp_path):
    bad = tmp_path / "items.xlsx"
    bad.write_bytes(workbook(CATALOGUE_COLUMNS, ("X", "", "", "", "", "", "", "", "")))
    result = runner.invoke(args=["stock", "import-items", str(bad)])
    assert result.exit_code == 1
    assert "nothing was imported" in result.output
    warehouse, rice = stock.warehouse(code="GDG"), stock.item(code="BRS")
    stock.receive(warehouse, rice, 7)
    card = tmp_path / "card.xlsx"
    result = runner.invoke(args=["stock", "export-card", "GDG", "BRS", str(card)])
    assert result.exit_code == 0
    assert list(load_workbook(card).active.iter_rows(values_only=True))[3][4] == 7
