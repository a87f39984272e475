"""Streaming readers of the XML parts inside an XLSX archive: relations, the workbook, shared
strings, styles and a worksheet. Each is fed the part's bytes in chunks by `xlsx._Book` and
keeps only what the sheet's values need (no element tree), so memory stays flat however
large the part."""

from __future__ import annotations

from typing import TYPE_CHECKING

from openpyxl.formula.translate import Translator
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import get_column_letter

if TYPE_CHECKING:
    from logistics.core.xlsx import _Book

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
PACKAGE = "{http://schemas.openxmlformats.org/package/2006/relationships}"
RELATION_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
ROW, CELL, VALUE, FORMULA, INLINE = (MAIN + name for name in ("row", "c", "v", "f", "is"))
TEXT, PHONETIC, STRING_ITEM = MAIN + "t", MAIN + "rPh", MAIN + "si"


class Target:
    """A parser target that keeps no tree: text is gathered only while ``text`` is a list."""

    text: list[str] | None = None

    def data(self, text: str) -> None:
        if self.text is not None:
            self.text.append(text)

    def start(self, tag, attrib) -> None:
        pass

    def end(self, tag) -> None:
        pass

    def close(self) -> None:
        pass


class Relations(Target):
    def __init__(self):
        self.relations: list[tuple[str, str, str]] = []

    def start(self, tag, attrib):
        if tag == PACKAGE + "Relationship":
            self.relations.append((attrib.get("Id"), attrib.get("Type", ""),
                                   attrib.get("Target", "")))


class Workbook(Target):
    def __init__(self):
        self.sheets: list[str] = []
        self.names: list[str] = []
        self.date1904 = False

    def start(self, tag, attrib):
        if tag == MAIN + "sheet":
            self.sheets.append(attrib.get(RELATION_ID))
            self.names.append(attrib.get("name", ""))
        elif tag == MAIN + "workbookPr":
            self.date1904 = attrib.get("date1904") in ("1", "true")


class Strings(Target):
    """Shared strings: each item's plain text and formatted runs, without phonetic hints."""

    def __init__(self):
        self.strings: list[str] = []
        self.item: list[str] = []
        self.phonetic = False

    def start(self, tag, attrib):
        if tag == TEXT and not self.phonetic:
            self.text = self.item
        elif tag == PHONETIC:
            self.phonetic = True

    def end(self, tag):
        if tag == TEXT:
            self.text = None
        elif tag == PHONETIC:
            self.phonetic = False
        elif tag == STRING_ITEM:
            self.strings.append("".join(self.item).replace("x005F_", ""))
            self.item = []


class Styles(Target):
    """The number format of each cell style (``cellXfs``; not the named ``cellStyleXfs``)."""

    def __init__(self):
        self.custom: dict[int, str] = {}
        self.formats: list[int] = []
        self.in_cell_styles = False

    def start(self, tag, attrib):
        if tag == MAIN + "numFmt":
            self.custom[int(attrib.get("numFmtId", 0))] = attrib.get("formatCode")
        elif tag == MAIN + "cellXfs":
            self.in_cell_styles = True
        elif tag == MAIN + "xf" and self.in_cell_styles:
            self.formats.append(int(attrib.get("numFmtId", 0)))

    def end(self, tag):
        if tag == MAIN + "cellXfs":
            self.in_cell_styles = False

    def date_styles(self) -> tuple[set[int], set[int]]:
        """Style indexes whose format shows a date, and those of them showing a duration."""
        codes = [self.custom.get(number, BUILTIN_FORMATS.get(number)) for number in self.formats]
        return ({index for index, code in enumerate(codes) if is_date_format(code)},
                {index for index, code in enumerate(codes) if is_timedelta_format(code)})


class Sheet(Target):
    """Rows of a worksheet, each handed over in ``done`` once its end tag is read."""

    def __init__(self, book: _Book):
        self.book = book
        self.done: list[tuple[int, dict]] = []
        self.number, self.values, self.column = 0, {}, -1
        self.cell: dict = {}
        self.raw = self.formula = self.inline = None
        self.formula_attrib: dict = {}
        self.shared: dict[str, Translator] = {}
        self.phonetic = False

    def start(self, tag, attrib):
        if tag == CELL:
            reference = attrib.get("r")
            self.column = column(reference) if reference else self.column + 1
            self.cell, self.raw, self.formula, self.inline = attrib, None, None, None
        elif tag == VALUE:
            self.text = []
        elif tag == FORMULA:
            self.text, self.formula_attrib = [], attrib
        elif tag == INLINE:
            self.inline = []
        elif tag == TEXT and self.inline is not None and not self.phonetic:
            self.text = self.inline
        elif tag == PHONETIC:
            self.phonetic = True
        elif tag == ROW:
            self.number = int(float(attrib.get("r") or self.number + 1))
            self.values, self.column = {}, -1

    def end(self, tag):
        if tag == VALUE:
            self.raw, self.text = "".join(self.text), None
        elif tag == FORMULA:
            self.formula, self.text = "=" + "".join(self.text), None
        elif tag == TEXT:
            self.text = None
        elif tag == PHONETIC:
            self.phonetic = False
        elif tag == CELL:
            value = self._cell_value()
            if value is not None:
                self.values[self.column] = value
        elif tag == ROW:
            self.done.append((self.number, self.values))
            self.book.check_time()

    def _cell_value(self):
        kind = self.cell.get("t", "n")
        if self.formula is not None:
            return self._formula()
        if kind == "inlineStr":
            return None if self.inline is None else "".join(self.inline)
        if self.raw:
            return self.book.value(kind, self.raw, self.cell.get("s"))
        return None

    def _formula(self) -> str:
        """As openpyxl gives it: "=" and the formula; a shared one translated to its cell."""
        if self.formula_attrib.get("t") != "shared":
            return self.formula
        index = self.formula_attrib.get("si")
        reference = self.cell.get("r") or f"{get_column_letter(self.column + 1)}{self.number}"
        if index in self.shared:
            return self.shared[index].translate_formula(reference)
        if self.formula != "=":
            self.shared[index] = Translator(self.formula, reference)
        return self.formula


def target(relations: dict, kind: str) -> str | None:
    return next((path for found, path in relations.values() if found.endswith(kind)), None)


def column(reference: str) -> int:
    """"A1" -> 0, "AB12" -> 27."""
    column = 0
    for character in reference:
        if character.isdigit():
            break
        column = column * 26 + (ord(character) & 0x1F)
    return column - 1


def filled(value) -> bool:
    return value is not None and str(value).strip() != ""
