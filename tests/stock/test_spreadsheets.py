"""Reading an uploaded sheet is bounded and needs no database; importing a large one is quick.

A zip bomb, a sheet of too many rows or one that takes too long to read is refused naming the
limit, before anything is unpacked where the archive's directory already tells. The reader
gives the values openpyxl gives. An opening-stock sheet posts through the ledger, and a
catalogue adds its items, in a few statements however many rows they have.
"""

import io
import struct
import zipfile
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import event, select

from logistics.accounts.models import User
from logistics.core import xlsx
from logistics.core.xlsx import Limits, NotAnXlsx, SheetTooLarge
from logistics.stock import imports
from logistics.stock.models import Item
from logistics.stock.spreadsheets import CATALOGUE_COLUMNS, OPENING_COLUMNS

EXPIRY = date(2027, 3, 31)


def workbook(*rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def openpyxl_rows(content: bytes) -> dict[int, dict[int, object]]:
    """What openpyxl's read-only worksheet gives, in the reader's shape (rows with a value)."""
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    rows = {number: {column: value for column, value in enumerate(row) if value is not None}
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)}
    return {number: values for number, values in rows.items() if values}


def read(content: bytes, limits: Limits = xlsx.DEFAULT_LIMITS) -> dict[int, dict[int, object]]:
    return {number: values for number, values in xlsx.read_first_sheet(content, limits) if values}


def zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def parts_of(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


# --- the reader gives what openpyxl gives -----------------------------------------------------

def test_the_reader_gives_what_openpyxl_gives_for_every_kind_of_value():
    content = workbook(
        ("code", "qty", "price", "expires_on", "is_perishable", "note"),
        ("BRS", 120, 12.5, EXPIRY, True, "  spaced  "),
        ("SLM", -3, 1e-7, datetime(2027, 1, 2, 13, 45), False, "=HYPERLINK(\"x\")"),
        (None, 10**15, 0.1, time(8, 30), None, "Beras ²"),
        (),
        ("MIE", "12", "1.5", "2027-03-31", "ya", None, None, "far right"),
    )
    assert read(content) == openpyxl_rows(content)
    assert read(content)[3][5] == '=HYPERLINK("x")'  # a formula stays text


SHARED_STRINGS = b"""<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">
<si><t>warehouse_code</t></si>
<si><t xml:space="preserve"> LS-ENG </t></si>
<si><r><rPr><b/></rPr><t>Be</t></r><r><t>ras</t></r><rPh sb="0" eb="1"><t>hint</t></rPh></si>
<si><t>a_x005F_x000D_b</t></si>
</sst>"""

STYLES = b"""<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>
<cellStyleXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellStyleXfs>
<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"/>
<xf numFmtId="46"/></cellXfs>
</styleSheet>"""
# openpyxl, which the reader is compared with, would like fonts and fills too
BARE_STYLES = pytest.mark.filterwarnings("ignore:Workbook contains no default style")

SHEET = b"""<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<dimension ref="A1:E6"/>
<sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>qty</t></is></c></row>
<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2"><v>25</v></c><c r="C2" s="1"><v>46477</v></c>
<c r="D2" s="2"><v>46477.5</v></c><c r="E2" t="b"><v>1</v></c></row>
<row r="4"><c r="A4" t="s"><v>2</v></c><c r="B4"><f t="shared" ref="B4:B5" si="0">B2*2</f>
<v>50</v></c>
<c t="e"><v>#N/A</v></c><c t="d"><v>2027-03-31T00:00:00</v></c><c s="3"><v>1.5</v></c></row>
<row><c r="A5" t="s"><v>3</v></c><c r="B5"><f t="shared" si="0"/><v>50</v></c>
<c r="C5" t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c r="D5"/></row>
</sheetData>
</worksheet>"""


def excel_like(**replace) -> bytes:
    """A workbook as Excel writes it: shared strings, numbered styles, shared formulas."""
    parts = parts_of(workbook(("placeholder",)))
    parts["xl/sharedStrings.xml"] = SHARED_STRINGS
    parts["xl/styles.xml"] = STYLES
    parts["xl/worksheets/sheet1.xml"] = SHEET
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdS" Target="/xl/sharedStrings.xml" Type="http'
        b'://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
        b"</Relationships>")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
        b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    parts.update(replace)
    return zipped(parts)


@BARE_STYLES
def test_the_reader_reads_shared_strings_date_styles_and_shared_formulas_as_openpyxl_does():
    content = excel_like()
    rows = read(content)
    assert rows == openpyxl_rows(content)
    assert rows[2] == {0: " LS-ENG ", 1: 25, 2: datetime(2027, 3, 31),
                       3: datetime(2027, 3, 31, 12), 4: True}
    assert rows[4][0] == "Beras"  # formatted runs joined, the phonetic hint left out
    assert rows[5][1] == "=B3*2"  # a shared formula, translated to its own cell
    assert rows[4][4] == timedelta(days=1.5)


@BARE_STYLES
def test_a_1904_workbook_reads_its_dates_from_1904():
    parts = parts_of(excel_like())
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"<bookViews>", b'<workbookPr date1904="1"/><bookViews>')
    assert b'date1904="1"' in parts["xl/workbook.xml"]
    content = zipped(parts)
    assert read(content)[2][2] == datetime(2031, 4, 1)
    assert read(content) == openpyxl_rows(content)


@pytest.mark.parametrize("content", [
    b"not a zip at all",
    zipped({"hello.txt": b"a zip, but no workbook"}),
    excel_like(**{"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row>"}),
    excel_like(**{"xl/worksheets/sheet1.xml": SHEET.replace(b"<v>3</v>", b"<v>99</v>")}),
], ids=["not-zip", "no-workbook", "broken-xml", "missing-string"])
def test_a_broken_file_is_not_an_xlsx_file(content):
    with pytest.raises(NotAnXlsx) as refused:
        read(content)
    assert refused.value.field == "file"


# --- limits -----------------------------------------------------------------------------------

def streamed_bomb(size: int) -> bytes:
    """A valid workbook whose sheet unpacks to ``size`` bytes of empty rows."""
    parts = parts_of(workbook(("code",)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name != "xl/worksheets/sheet1.xml":
                archive.writestr(name, data)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            sheet.write(head + b"<sheetData>")
            written, block = len(head) + 11, b"<row/>" * 100_000
            while written < size:
                sheet.write(block)
                written += len(block)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_from_its_directory_before_anything_is_unpacked(monkeypatch):
    bomb = streamed_bomb(65 * xlsx.MB)
    assert len(bomb) < xlsx.MB  # under 1 MB on the wire, 65 MB unpacked

    def unpack(*_args, **_kwargs):
        raise AssertionError("a part was unpacked")

    monkeypatch.setattr(zipfile.ZipFile, "open", unpack)
    with pytest.raises(SheetTooLarge) as refused:
        read(bomb)
    assert refused.value.params == {"size": 65, "limit": 64}
    assert "64 MB" in str(refused.value)


def declaring(content: bytes, name: bytes, size: int) -> bytes:
    """The archive with ``name`` declaring an unpacked ``size`` it does not have."""
    data = bytearray(content)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        while at != -1:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at:name_at + len(name)] == name:
                data[at + offset:at + offset + 4] = struct.pack("<I", size)
            at = data.find(signature, at + 4)
    return bytes(data)


def test_a_part_unpacking_past_its_declared_size_is_not_read_past_it():
    honest = excel_like()
    lying = declaring(honest, b"xl/worksheets/sheet1.xml", 100)
    assert zipfile.ZipFile(io.BytesIO(lying)).getinfo("xl/worksheets/sheet1.xml").file_size == 100
    with pytest.raises(NotAnXlsx):
        read(lying)


def test_a_part_packed_far_tighter_than_a_sheet_is_refused():
    bomb = streamed_bomb(4 * xlsx.MB)  # under the size limit, but packed about 400 times
    with pytest.raises(SheetTooLarge) as refused:
        read(bomb)
    assert refused.value.params["limit"] == 100
    assert refused.value.params["ratio"] > 100


def test_an_archive_of_thousands_of_parts_is_refused():
    parts = parts_of(workbook(("code",)))
    parts.update({f"xl/media/image{n}.png": b"" for n in range(200)})
    with pytest.raises(SheetTooLarge) as refused:
        read(zipped(parts))
    assert refused.value.params == {"count": len(parts), "limit": 100}


def test_a_sheet_over_the_row_limit_is_refused_naming_the_limit():
    rows = [("code",), *[(f"I{n}",) for n in range(6)]]
    assert len(read(workbook(*rows[:6]), Limits(max_rows=5))) == 6
    with pytest.raises(SheetTooLarge) as refused:
        read(workbook(*rows), Limits(max_rows=5))
    assert refused.value.params == {"limit": 5}
    assert "more than 5 rows" in str(refused.value)


def test_reading_stops_once_the_time_limit_has_passed(monkeypatch):
    clock = iter(range(1_000_000))
    monkeypatch.setattr(xlsx, "monotonic", lambda: next(clock))  # a second per look
    content = workbook(*[(f"I{n}",) for n in range(100)])
    with pytest.raises(SheetTooLarge) as refused:
        read(content, Limits(max_seconds=20))
    assert refused.value.params == {"limit": "20"}


def test_a_sheet_is_read_into_plain_rows_without_a_session():
    sheet = imports.read_sheet("opening", workbook(OPENING_COLUMNS, (
        "LS-ENG", "BRS", "A-1", EXPIRY, 120, "kemensos", "")))
    assert sheet.problems == []
    assert sheet.rows == [(2, {"warehouse_code": "LS-ENG", "item_code": "BRS", "batch_no": "A-1",
                               "expires_on": datetime(2027, 3, 31), "qty": 120,
                               "source": "kemensos", "donor_name": None})]


# --- large imports ------------------------------------------------------------------------------

@contextmanager
def statements_run(session):
    """Collect the SQL statements sent while the block runs."""
    statements = []

    def count(_connection, _cursor, statement, *_):
        statements.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_a_large_opening_sheet_posts_through_the_ledger_in_a_few_statements(session, stock,
                                                                            make_user):
    """Finding 12: 50,000 rows died at the worker timeout; each row cost several statements."""
    warehouses = [stock.warehouse(code=f"W{n}") for n in range(2)]
    items = [stock.item(code=f"I{n}", perishable=n % 2 == 0) for n in range(10)]
    rows = [(f"W{n % 2}", f"I{n % 10}", f"B{n}", EXPIRY + timedelta(days=n % 7),
             1 + n % 50, ("kemensos", "donor")[n % 3 == 0], "CSR Bank" if n % 3 == 0 else "")
            for n in range(1000)]
    content = workbook(OPENING_COLUMNS, *rows)
    actor = session.scalar(select(User).where(User.username == make_user("admin")))
    with statements_run(session) as statements:
        imported = imports.import_sheet(session, actor=actor, kind="opening", content=content,
                                        filename="saldo-awal.xlsx").rows
        session.commit()
    assert imported == 1000
    assert len(statements) < 100, f"{len(statements)} statements for 1,000 rows"
    for w, warehouse in enumerate(warehouses):
        for i, item in enumerate(items):
            assert stock.on_hand(warehouse, item) == sum(
                row[4] for row in rows if row[:2] == (f"W{w}", f"I{i}"))
    assert stock.mismatches() == []


def test_a_large_catalogue_imports_in_a_few_statements(session, make_user):
    rows = [(f"C{n}", f"Barang {n}", f"Item {n}", "pangan", "kg", "ya" if n % 2 else "", 365,
             "", "karung=25; dus=10" if n % 3 == 0 else "") for n in range(1000)]
    actor = session.scalar(select(User).where(User.username == make_user("admin")))
    with statements_run(session) as statements:
        imported = imports.import_sheet(session, actor=actor, kind="catalogue",
                                        content=workbook(CATALOGUE_COLUMNS, *rows),
                                        filename="katalog.xlsx").rows
        session.commit()
    assert imported == 1000
    assert len(statements) < 50, f"{len(statements)} statements for 1,000 rows"
    items = {item.code: item for item in session.scalars(select(Item))}
    assert len(items) == 1000
    assert [(p.name, p.base_qty) for p in items["C3"].packs] == [("dus", 10), ("karung", 25)]
    assert (items["C1"].is_perishable, items["C2"].is_perishable) == (True, False)
    assert items["C2"].is_active
    session.rollback()
