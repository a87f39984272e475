"""Write a one-sheet XLSX export: a title block, a header row and the rows, as data.

Shared by every export (stock on hand, stock cards, SLRT case lists). A cell is data, never
a formula: text beginning with "=" is written as text, so Excel never runs it. Numbers and
dates stay numbers and dates, shown the reader's way: Excel and LibreOffice render "#,##0"
with the reader's own separators (3.240 on an Indonesian machine).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date, datetime

from openpyxl import Workbook

from logistics.core.fields import printable

NUMBER_FORMAT = "#,##0"
DATE_FORMAT = "d mmm yyyy"


def _as_text_if_formula(cell) -> None:
    """A value that looks like a formula is written as text, so Excel never runs it."""
    if isinstance(cell.value, str) and cell.value.startswith("="):
        cell.data_type = "s"


def _cell(value):
    """Stored text as a cell can hold it: without the control characters XLSX cannot carry
    (text stored before input was checked must not stop every export); an aware datetime
    without its zone, which XLSX cannot hold (the caller gives local times)."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def workbook(title: list[str], header: list[str], rows: Iterable[Iterable]) -> bytes:
    """The sheet as XLSX bytes: title lines, a blank line, the header, the rows."""
    book = Workbook()
    sheet = book.active
    for line in (title, [], header, *rows):
        sheet.append([_cell(value) for value in line])
    for row in sheet.iter_rows():
        for cell in row:
            _as_text_if_formula(cell)
            if isinstance(cell.value, bool):
                continue
            if isinstance(cell.value, int):
                cell.number_format = NUMBER_FORMAT
            elif isinstance(cell.value, date | datetime):
                cell.number_format = DATE_FORMAT
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
