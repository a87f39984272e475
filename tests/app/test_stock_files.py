"""XLSX in and out: all-or-nothing imports with every bad row named, formulas kept as text."""

import io
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from logistics.calendar import local_today
from logistics.core import xlsx
from logistics.stock import spreadsheets
from logistics.stock.ledger_tables import Movement
from logistics.stock.models import Item
from logistics.stock.spreadsheets import CATALOGUE_COLUMNS, OPENING_COLUMNS

EXPIRY = local_today() + timedelta(days=200)


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


# --- imports that cannot hang the app (issue 15, findings 10 and 11) --------------------------

IMPORTS = "/api/v1/stock/files/imports/"


def sheet_of_empty_rows(unpacked_bytes: int) -> bytes:
    """A valid workbook whose sheet unpacks to about ``unpacked_bytes`` of empty rows: a zip
    bomb, the kind that held a worker until gunicorn killed it."""
    base = io.BytesIO(workbook(CATALOGUE_COLUMNS))
    buffer = io.BytesIO()
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(buffer, "w",
                                                            zipfile.ZIP_DEFLATED) as bomb:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>",
                                    b"<row/>" * (unpacked_bytes // 6) + b"</sheetData>")
            bomb.writestr(name, data)
    return buffer.getvalue()


def test_an_upload_over_the_size_limit_is_413_naming_the_limit(app, client, auth, make_user,
                                                                session):
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    admin = auth.headers(make_user("admin"))
    response = upload(client, IMPORTS + "catalogue", b"x" * 100_000, headers=admin)
    assert response.status_code == 413
    body = response.get_json()
    assert (body["status"], body["title"]) == (413, "Unggahan terlalu besar")
    assert "64 KB" in body["message"]
    assert count(session, Item) == 0


def test_the_import_page_answers_an_oversized_upload_with_a_readable_page(app, client, auth,
                                                                           make_user):
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    auth.login(make_user("coordinator"))
    page = upload(client, "/stock/import", b"x" * 100_000, kind="catalogue")
    assert page.status_code == 413
    text = page.get_data(as_text=True)
    assert 'data-testid="error-page"' in text
    assert "Unggahan terlalu besar" in text
    assert "64 KB" in text


def test_the_import_page_states_the_limits(client, auth, make_user):
    auth.login(make_user("coordinator"))
    page = client.get("/stock/import").get_data(as_text=True)
    assert "Paling banyak 50.000 baris dan 10 MB per berkas." in page


def test_a_zip_bomb_is_refused_with_422_naming_the_limit(app, client, auth, make_user):
    """Finding 10: 2.9 MB unpacking to 1 GB held a worker until gunicorn killed it."""
    app.config["IMPORT_MAX_UNPACKED_MB"] = 2
    admin = auth.headers(make_user("admin"))
    bomb = sheet_of_empty_rows(3 * 1024 * 1024)
    assert len(bomb) < 100_000
    response = upload(client, IMPORTS + "catalogue", bomb, headers=admin)
    assert response.status_code == 422
    body = response.get_json()
    assert "2 MB" in body["message"]
    assert body["errors"] == {"file": [body["message"]]}


@pytest.mark.parametrize("kind", ["catalogue", "opening"])
def test_a_sheet_over_the_row_limit_is_refused_naming_the_limit(app, client, auth, make_user,
                                                                 stock, session, kind):
    app.config["IMPORT_MAX_ROWS"] = 3
    admin = auth.headers(make_user("admin"))
    stock.warehouse(code="LS-ENG")
    stock.item(code="BRS")
    rows = {"catalogue": (CATALOGUE_COLUMNS, ("OK{}", "Baik", "Good", "pangan", "kg")),
            "opening": (OPENING_COLUMNS, ("LS-ENG", "BRS", "A-{}", EXPIRY, 5))}[kind]
    sheet = workbook(rows[0], *[[str(cell).format(n) for cell in rows[1]] for n in range(4)])
    response = upload(client, IMPORTS + kind, sheet, headers=admin)
    assert response.status_code == 422
    assert "lebih dari 3 baris" in response.get_json()["message"]
    assert count(session, Movement) == 0
    assert count(session, Item) == 1


def test_a_sheet_that_takes_too_long_to_read_is_refused_naming_the_limit(app, client, auth,
                                                                          make_user,
                                                                          monkeypatch):
    app.config["IMPORT_MAX_SECONDS"] = 20
    admin = auth.headers(make_user("admin"))
    clock = iter(range(1_000_000))
    monkeypatch.setattr(xlsx, "monotonic", lambda: next(clock))  # a second per look
    sheet = workbook(CATALOGUE_COLUMNS, *[(f"I{n}", "Baik", "Good", "pangan", "kg")
                                          for n in range(50)])
    response = upload(client, IMPORTS + "catalogue", sheet, headers=admin)
    assert response.status_code == 422
    assert "20 detik" in response.get_json()["message"]


def test_a_broken_sheet_is_422_not_a_server_error(client, auth, make_user):
    admin = auth.headers(make_user("admin"))
    parts = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook(CATALOGUE_COLUMNS))) as source, \
            zipfile.ZipFile(parts, "w") as broken:
        for name in source.namelist():
            data = source.read(name)
            broken.writestr(name, data[:len(data) // 2] if "worksheets" in name else data)
    response = upload(client, IMPORTS + "catalogue", parts.getvalue(), headers=admin)
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"file": ["Berkas ini bukan XLSX."]}


def test_a_receipt_posts_while_a_large_import_is_being_read(app, auth, make_user, stock,
                                                            monkeypatch):
    """Finding 11: on SQLite the import held the write lock while it read its file, and a
    keeper's receipt waited, then failed with "database is locked"."""
    keeper = make_user("warehouse_keeper")
    warehouse, rice = stock.warehouse(code="LS-ENG", keepers=[keeper]), stock.item(code="BRS")
    keeper_headers, admin = auth.headers(keeper), auth.headers(make_user("admin"))
    reading, finish_reading = threading.Event(), threading.Event()
    read_sheet = spreadsheets.read_sheet

    def slow_read(*args, **kwargs):
        reading.set()
        assert finish_reading.wait(20)
        return read_sheet(*args, **kwargs)

    monkeypatch.setattr(spreadsheets, "read_sheet", slow_read)
    sheet = workbook(OPENING_COLUMNS, ("LS-ENG", "BRS", "A-1", EXPIRY, 120, "kemensos", ""))
    with ThreadPoolExecutor(1) as pool:
        importing = pool.submit(upload, app.test_client(), IMPORTS + "opening", sheet,
                                headers=admin)
        try:
            assert reading.wait(20)
            receipt = app.test_client().post("/api/v1/stock/receipts", headers=keeper_headers,
                                             json={"warehouse_id": warehouse, "lines": [
                                                 {"item_id": rice, "qty": 7}]})
        finally:
            finish_reading.set()
        imported = importing.result(timeout=60)
    assert receipt.status_code == 201, receipt.get_json()
    assert imported.status_code == 201, imported.get_json()
    assert stock.on_hand(warehouse, rice) == 127
    assert stock.mismatches() == []


def test_cli_imports_opening_stock_and_refuses_a_sheet_over_the_row_limit(app, runner, stock,
                                                                           make_user, tmp_path):
    username = make_user("admin")
    warehouse, rice, sheet = _opening_world(stock)
    path = tmp_path / "saldo-awal.xlsx"
    path.write_bytes(sheet)
    result = runner.invoke(args=["stock", "import-opening", str(path), "--as", username])
    assert result.exit_code == 0, result.output
    assert "2 rows imported" in result.output
    assert stock.on_hand(warehouse, rice) == 150
    app.config["IMPORT_MAX_ROWS"] = 1
    path.write_bytes(workbook(OPENING_COLUMNS, *[("LS-ENG", "BRS", f"B-{n}", EXPIRY, 5)
                                                 for n in range(2)]))
    result = runner.invoke(args=["stock", "import-opening", str(path), "--as", username])
    assert result.exit_code == 1
    assert "more than 1 rows" in result.output
    assert stock.on_hand(warehouse, rice) == 150
