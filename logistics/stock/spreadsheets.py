"""XLSX in and out: the catalogue and opening stock in, stock on hand and stock cards out.

Imports check every row before writing anything and report all bad rows at once, so an
office can fix its sheet in one go. A cell is data, never a formula: text beginning with "="
is kept as text on the way in and written as text on the way out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from sqlalchemy import select

from logistics.core import xlsx
from logistics.core.fields import first_problem, parse_integer
from logistics.core.xlsx import DEFAULT_LIMITS, Limits
from logistics.core.xlsx_write import workbook
from logistics.errors import DomainError, InvalidInput
from logistics.i18n import N_
from logistics.stock import errors, operations, setup
from logistics.stock.lookups import check_expiry
from logistics.stock.models import Category, Item, LotSource, Warehouse
from logistics.stock.schemas import CODE_FORMAT, ItemIn, ReceiptIn, ReceiptLineIn

CATALOGUE_COLUMNS = ("code", "name_id", "name_en", "category", "base_unit", "is_perishable",
                     "shelf_life_days", "kcal_per_unit", "packs")
OPENING_COLUMNS = ("warehouse_code", "item_code", "batch_no", "expires_on", "qty", "source",
                   "donor_name")
OPENING_REF = "SALDO AWAL"
SOURCES = frozenset(source.value for source in LotSource)


@dataclass
class RowError:
    row: int  # as Excel numbers it: the header is row 1
    column: str
    message: str


class SpreadsheetInvalid(InvalidInput):
    message = N_("%(count)s problems in the sheet; nothing was imported.")

    def __init__(self, problems: list[RowError]):
        self.problems = problems
        super().__init__(count=len(problems), field="file")


@dataclass
class Sheet:
    rows: list[tuple[int, dict]] = field(default_factory=list)
    problems: list[RowError] = field(default_factory=list)


def read_sheet(content: bytes, columns: tuple[str, ...],
               limits: Limits = DEFAULT_LIMITS) -> Sheet:
    """Rows of the first worksheet keyed by header (row 1, case-insensitive), skipping empty
    rows; checks the file against ``limits`` and touches no database."""
    sheet, header = Sheet(), None
    for number, values in xlsx.read_first_sheet(content, limits):
        if header is None:
            header = {}
            if number == 1:
                header = {index: name for index, value in values.items()
                          if (name := str(value).strip().lower()) in columns}
                continue
        if any(_text(value) for value in values.values()):
            sheet.rows.append((number, {name: values.get(index)
                                        for index, name in header.items()}))
    found = set((header or {}).values())
    sheet.problems = [RowError(1, name, N_("Column missing from the header row."))
                      for name in columns if name not in found]
    return sheet


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _integer(value) -> int | None:
    """A cell as a whole number, read as a form's text is (`parse_integer`), else None."""
    return parse_integer(value)


def _date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(_text(value))
    except ValueError:
        return None


def _packs(text: str) -> list[tuple[str, int]] | None:
    """Parse "karung=25; dus=48"; None if a part is not a name, "=" and a whole number.

    Sizes, name lengths and repeated names are checked by the API's own packs field.
    """
    packs = []
    for part in filter(None, (piece.strip() for piece in text.split(";"))):
        name, _, qty = part.partition("=")
        size = _integer(qty)
        if not name.strip() or size is None:
            return None
        packs.append((name.strip(), size))
    return packs


def import_catalogue(session, sheet: Sheet) -> int:
    """Add every item of a sheet read with CATALOGUE_COLUMNS, or none; returns how many."""
    problems = list(sheet.problems)
    existing = set(session.scalars(select(Item.code)))
    seen: set[str] = set()
    items = []
    for number, row in sheet.rows:
        problem = _catalogue_row_problem(row, existing, seen)
        if problem:
            problems.append(RowError(number, *problem))
            continue
        code = _text(row["code"]).upper()
        seen.add(code)
        items.append({
            "code": code, "name_id": _text(row["name_id"]), "name_en": _text(row["name_en"]),
            "category": _text(row["category"]).lower(), "base_unit": _text(row["base_unit"]),
            "is_perishable": _text(row.get("is_perishable")).lower() in ("1", "true", "ya", "yes"),
            "shelf_life_days": _integer(row.get("shelf_life_days")),
            "kcal_per_unit": _integer(row.get("kcal_per_unit")),
            "packs": _packs(_text(row.get("packs")))})
    if problems:
        raise SpreadsheetInvalid(problems)
    setup.create_items(session, items)
    return len(items)


@cache
def _item_checkers() -> dict:
    """The API's own fields, built once: a schema per row cost seconds on a 50,000-row sheet."""
    return ItemIn().fields


@cache
def _opening_checkers() -> dict:
    line, receipt = ReceiptLineIn().fields, ReceiptIn().fields
    return {"qty": line["qty"], "batch_no": line["batch_no"], "donor_name": receipt["donor_name"]}


def _catalogue_row_problem(row, existing, seen) -> tuple[str, str] | None:
    code = _text(row.get("code")).upper()
    if not CODE_FORMAT.regex.match(code):
        return "code", N_("2 to 20 letters, digits, dots, dashes or underscores.")
    if code in existing or code in seen:
        return "code", N_("This code is already in the catalogue.")
    checkers = _item_checkers()
    for name in ("name_id", "name_en", "base_unit"):
        if not _text(row.get(name)):
            return name, N_("Required.")
        if problem := first_problem(checkers[name], _text(row.get(name))):
            return name, problem
    if _text(row.get("category")).lower() not in {c.value for c in Category}:
        return "category", N_("Unknown category.")
    for name in ("shelf_life_days", "kcal_per_unit"):
        value = row.get(name)
        if _text(value) and (problem := _number_problem(checkers[name], value)):
            return name, problem
    packs = _packs(_text(row.get("packs")))
    if packs is None:
        return "packs", N_('Write packs as "karung=25; dus=48".')
    if problem := first_problem(checkers["packs"], [{"name": name, "base_qty": size}
                                                    for name, size in packs]):
        return "packs", problem
    return None


def _number_problem(field, value) -> str | None:
    number = _integer(value)
    return N_("Not a valid integer.") if number is None else first_problem(field, number)


EXPIRY_PASSED = N_("This expiry date has already passed. Check it; if the goods really are "
                   "expired, import the sheet again with its expiry dates confirmed.")
EXPIRY_FAR = N_("This expiry date is more than ten years away. Check it, or import the sheet "
                "again with its expiry dates confirmed.")


def import_opening_stock(session, sheet: Sheet, *, actor, filename: str, today: date,
                         confirm_expiry: bool = False) -> int:
    """Post the stock of a sheet read with OPENING_COLUMNS as receipts (one per warehouse and
    source), or none.

    Goes through `operations.receive_stock`, so the ledger stays the one way stock enters. An
    expiry already passed or more than ten years away is a row problem, as on the receipt
    form, unless the import confirms the sheet's expiry dates (expired stock on the shelf is
    real, and is then recorded to be written off).
    """
    problems = list(sheet.problems)
    warehouses = {w.code: w for w in session.scalars(select(Warehouse))}
    items = {i.code: i for i in session.scalars(select(Item))}
    groups: dict[tuple, list[tuple[int, dict]]] = defaultdict(list)
    for number, row in sheet.rows:
        problem = _opening_row_problem(row, warehouses, items) or (
            None if confirm_expiry else _expiry_problem(_date(row.get("expires_on")), today))
        if problem:
            problems.append(RowError(number, *problem))
            continue
        source_kind = _text(row.get("source")).lower() or LotSource.KEMENSOS.value
        key = (_text(row["warehouse_code"]).upper(), source_kind, _text(row.get("donor_name")))
        groups[key].append((number, {
            "item_id": items[_text(row["item_code"]).upper()].id, "qty": _integer(row["qty"]),
            "batch_no": _text(row.get("batch_no")) or None,
            "expires_on": _date(row.get("expires_on"))}))
    if problems:
        raise SpreadsheetInvalid(problems)
    # One receipt per group, in a fixed order: each takes its warehouse's number counter until
    # commit, so two sheets naming warehouses in opposite orders would otherwise deadlock.
    for (warehouse_code, source_kind, donor), lines in sorted(groups.items()):
        try:
            operations.receive_stock(
                session, actor=actor, warehouse_id=warehouses[warehouse_code].id,
                source=source_kind, donor_name=donor or None, supplier_ref=OPENING_REF,
                notes=f"{OPENING_REF}: {filename}", today=today,
                confirm_expiry=confirm_expiry, lines=[line for _, line in lines])
        except DomainError as error:
            index = int(error.field.split(".")[1]) if (error.field or "").startswith("lines.") \
                else 0
            raise SpreadsheetInvalid([RowError(lines[index][0], error.field or "",
                                               error.message % error.params)]) from error
    return sum(len(lines) for lines in groups.values())


def _expiry_problem(expires_on: date | None, today: date) -> tuple[str, str] | None:
    try:
        check_expiry(expires_on, today, 0)
    except errors.ExpiryPassed:
        return "expires_on", EXPIRY_PASSED
    except errors.ExpiryFar:
        return "expires_on", EXPIRY_FAR
    return None


def _opening_row_problem(row, warehouses, items) -> tuple[str, str] | None:
    if _text(row.get("warehouse_code")).upper() not in warehouses:
        return "warehouse_code", N_("No warehouse has this code.")
    item = items.get(_text(row.get("item_code")).upper())
    if item is None:
        return "item_code", N_("No item has this code.")
    checkers = _opening_checkers()
    if problem := _number_problem(checkers["qty"], row.get("qty")):
        return "qty", problem
    for name in ("batch_no", "donor_name"):
        checker = checkers[name]
        if problem := first_problem(checker, _text(row.get(name)) or None):
            return name, problem
    if _text(row.get("expires_on")) and _date(row.get("expires_on")) is None:
        return "expires_on", N_("A date such as 2027-03-31.")
    if item.is_perishable and _date(row.get("expires_on")) is None:
        return "expires_on", N_("This item is perishable: give the expiry date.")
    source = _text(row.get("source")).lower()
    if source and source not in SOURCES:
        return "source", N_("kemensos, provinsi, apbd or donor.")
    return None


def export_on_hand(rows: list[dict], *, exported_at: str, labels: dict) -> bytes:
    """Stock on hand per warehouse and item (rows as queries.stock_on_hand returns them)."""
    return workbook(
        [labels["title"], exported_at],
        labels["header"],
        ([row["warehouse"].code, row["warehouse"].name, row["item"].code, row["item"].name_id,
          row["item"].base_unit, row["on_hand"], row["in_transit"], row["min_qty"]]
         for row in rows))


def export_stock_card(warehouse, item, lines, *, exported_at: str, labels: dict) -> bytes:
    """A stock card in paper order (oldest line first), with the balance after each line.

    ``labels`` gives the title, the header and ``describe(line)``: the line's document kind,
    its other party (dari/kepada), its lot's source and donor, in the reader's words.
    """
    describe = labels["describe"]
    rows = []
    for line in sorted(lines, key=lambda line: line.id):
        kind, from_to, source, donor = describe(line)
        rows.append([line.document.document_date, line.document.number, kind,
                     line.lot.batch_no, line.qty if line.qty > 0 else None,
                     -line.qty if line.qty < 0 else None, line.balance_after,
                     from_to or None, source, donor])
    return workbook(
        [labels["title"], f"{warehouse.name} ({warehouse.code})",
         f"{item.name_id} ({item.code}, {item.base_unit})",
         exported_at],
        labels["header"], rows)
