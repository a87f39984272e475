"""What every all-or-nothing sheet import shares: the problem list, reading a CSV or the first
sheet of an XLSX into rows keyed by column, and reading cells the way people type them.

An import checks every row before it writes any, and refuses the whole file with every problem
listed (row as the sheet numbers it, the column, a message); `ImportInvalid` carries that list.
The household import (`logistics.emergency.kobo`) and the roster import
(`logistics.roster.roster_import`) both use it, so a problem reads the same in both and a page
or API shows them the same way. Nothing here touches the database.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from logistics.core import xlsx
from logistics.core.fields import parse_integer
from logistics.core.xlsx import DEFAULT_LIMITS, Limits
from logistics.errors import InvalidInput
from logistics.i18n import N_

YES = frozenset({"ya", "yes", "y", "1", "true", "benar"})
NO = frozenset({"tidak", "no", "n", "0", "false", "salah", "bukan"})
ISO_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ].*)?$")
LOCAL_DAY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")  # 31/03/2026, as typed here
NOT_UTF8 = N_("The CSV file is not UTF-8 text; save it again as CSV UTF-8.")


@dataclass
class Problem:
    row: int  # as the sheet numbers it: the header is row 1
    sheet: str
    column: str
    message: str  # an English template (N_), filled with params after translation
    params: dict = field(default_factory=dict)


class ImportInvalid(InvalidInput):
    message = N_("%(count)s problems in the file; nothing was imported.")

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(count=len(problems), field="file")


class NotASheet(InvalidInput):
    message = N_("This is not an XLSX or CSV file.")


@dataclass
class Table:
    name: str
    columns: set[str]
    rows: list[tuple[int, dict[str, object]]]
    headers: dict[str, str] = field(default_factory=dict)  # key -> the header as written


def table(name: str, rows: Iterable[tuple[int, dict[int, object]]],
          key: Callable[[object], str]) -> Table:
    """Rows keyed by ``key(header)``; the first column of a key wins; blank rows dropped."""
    header: dict[int, str] = {}
    found = Table(name, set(), [])
    for number, values in rows:
        if not header:
            for index, value in sorted(values.items()):
                name_ = key(value)
                if name_ and name_ not in header.values():
                    header[index] = name_
                    found.headers[name_] = cell_text(value)
            found.columns = set(header.values())
            continue
        if any(cell_text(value) for value in values.values()):
            found.rows.append((number, {k: values.get(index) for index, k in header.items()}))
    return found


def csv_rows(content: bytes, limits: Limits = DEFAULT_LIMITS, *,
             error: type[InvalidInput] = NotASheet, not_utf8: str = NOT_UTF8
             ) -> list[tuple[int, dict[int, object]]]:
    """A CSV's rows numbered from 1 as ``{column index: text}``; UTF-8 (with or without its
    mark), comma or semicolon separated, as spreadsheets save them here."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as decode_error:
        raise error(not_utf8, field="file") from decode_error
    if "\x00" in text:
        raise error(field="file")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    for number, values in enumerate(reader, start=1):
        if number - 1 > limits.max_rows:
            raise xlsx.SheetTooLarge(xlsx.SheetTooLarge.rows_message, limit=limits.max_rows,
                                     field="file")
        rows.append((number, dict(enumerate(values))))
    return rows


def read_table(content: bytes, filename: str, key: Callable[[object], str],
               limits: Limits = DEFAULT_LIMITS) -> Table:
    """The first sheet of an XLSX, or a CSV, as one `Table`; no database is touched."""
    if content[:2] == b"PK":
        return table(filename or "sheet.xlsx", xlsx.read_first_sheet(content, limits), key)
    return table(filename or "sheet.csv", csv_rows(content, limits), key)


def flat_messages(messages, prefix=""):
    """marshmallow's nested messages as ``(dotted field, [texts])``."""
    if isinstance(messages, dict):
        for name, value in messages.items():
            yield from flat_messages(value, f"{prefix}.{name}" if prefix else str(name))
    else:
        yield prefix or "_schema", [m for m in messages if isinstance(m, str)] or [str(messages)]


# --- reading cells ----------------------------------------------------------------------------

def cell_text(value) -> str:
    """A cell as trimmed text (blank for an empty cell)."""
    return "" if value is None else str(value).strip()


def day_text(value) -> str | None:
    """A date cell, or a day typed as 2026-03-31 (a time after it ignored) or 31/03/2026, as
    ISO text; anything else as typed, for the schema to refuse."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = cell_text(value)
    if match := ISO_DAY.match(text):
        return match.group(1)
    if match := LOCAL_DAY.match(text):
        day, month, year = (int(part) for part in match.groups())
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            return text
    return text or None


def flag(value):
    """ya / tidak (yes / no, 1 / 0) as True or False; a blank is False; anything else as typed,
    for the schema to refuse."""
    if isinstance(value, bool):
        return value
    text = cell_text(value).lower()
    if text in YES:
        return True
    if text in NO or not text:
        return False
    return value


def whole_number(value):
    """A count as typed ("1.000" is a thousand); None when blank."""
    if cell_text(value) == "":
        return None
    number = parse_integer(value)
    return cell_text(value) if number is None else number
