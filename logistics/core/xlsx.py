"""Read the first worksheet of an uploaded XLSX file as plain values, within limits.

An upload is untrusted. An XLSX file is a zip archive, and 3 MB of it can unpack to a gigabyte
of XML. The archive's directory is checked before anything is unpacked: how many parts it
has, their declared sizes and their compression ratios. zipfile never unpacks a part past its
declared size (it fails the CRC check instead). Each part is then parsed as a stream, with no
element tree kept, so memory stays flat. Reading stops after a number of rows or seconds. No
database is touched, so a caller can read a sheet before it takes any lock.

Values come out as openpyxl's read-only worksheets give them: numbers, dates, booleans, shared
and inline strings, and a formula as its text beginning with "=". A few openpyxl helpers
convert them. Doing the rest here is about twice as fast, and it checks the clock in every loop.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from time import monotonic
from xml.etree.ElementTree import XMLParser

from openpyxl.formula.translate import Translator
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import get_column_letter
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel, from_ISO8601

from logistics.errors import DomainError, InvalidInput
from logistics.i18n import N_

MB = 1024 * 1024
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
PACKAGE = "{http://schemas.openxmlformats.org/package/2006/relationships}"
RELATION_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
ROW, CELL, VALUE, FORMULA, INLINE = (MAIN + name for name in ("row", "c", "v", "f", "is"))
TEXT, PHONETIC, STRING_ITEM = MAIN + "t", MAIN + "rPh", MAIN + "si"
# A part this small may pack as tightly as it likes (styles, a sheet of blanks).
RATIO_FREE_BYTES = MB
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Limits:
    """What reading one upload may cost (the app takes them from its configuration)."""

    max_rows: int = 50_000  # rows with a value, after the header
    max_unpacked_bytes: int = 64 * MB  # all parts of the archive together, as declared
    max_seconds: float = 15.0  # reading, before anything is checked or written
    max_parts: int = 100  # files in the archive; a sheet saved by Excel has about a dozen
    max_ratio: int = 100  # unpacked / packed size of one part (Apache POI's default)


DEFAULT_LIMITS = Limits()


class NotAnXlsx(InvalidInput):
    message = N_("This is not an XLSX file.")


class SheetTooLarge(InvalidInput):
    """A limit of `Limits` was reached; the message names it."""

    rows_message = N_("The sheet has more than %(limit)s rows; nothing was imported. Split it "
                      "into sheets of at most %(limit)s rows.")
    unpacked_message = N_("The file unpacks to %(size)s MB, more than the %(limit)s MB a sheet "
                          "may take; nothing was imported. Split it into smaller sheets.")
    parts_message = N_("The file holds %(count)s parts, more than the %(limit)s an XLSX sheet "
                       "may have; nothing was imported.")
    ratio_message = N_("The file is packed %(ratio)s times tighter than its data, more than "
                       "the %(limit)s times a sheet may be; nothing was imported.")
    seconds_message = N_("Reading the sheet took longer than %(limit)s seconds; nothing was "
                         "imported. Split it into smaller sheets.")


def _too_large(message: str, **params) -> SheetTooLarge:
    return SheetTooLarge(message, field="file", **params)


def read_first_sheet(content: bytes, limits: Limits = DEFAULT_LIMITS
                     ) -> Iterator[tuple[int, dict[int, object]]]:
    """Yield ``(row number, {column index from 0: value})`` for each row of the first sheet.

    Empty cells are left out. Raises `NotAnXlsx` or `SheetTooLarge` (both on the field
    ``file``), possibly part-way through.
    """
    archive = open_archive(content, limits)
    try:
        yield from _Book(archive, limits).rows()
    except DomainError:
        raise
    except Exception as error:  # zipfile, XML and value errors alike: the file is broken
        raise NotAnXlsx(field="file") from error
    finally:
        archive.close()


def read_sheets(content: bytes, limits: Limits = DEFAULT_LIMITS
                ) -> list[tuple[str, list[tuple[int, dict[int, object]]]]]:
    """Every worksheet in workbook order as ``(name, rows)``, rows as `read_first_sheet`
    gives them; ``limits.max_rows`` counts the rows of all sheets together (an export with
    its repeat groups on further sheets, KoboToolbox's way)."""
    archive = open_archive(content, limits)
    try:
        book = _Book(archive, limits)
        if not book.sheets:
            raise NotAnXlsx(field="file")
        return [(name, list(book.rows(path))) for name, path in book.sheets]
    except DomainError:
        raise
    except Exception as error:  # zipfile, XML and value errors alike: the file is broken
        raise NotAnXlsx(field="file") from error
    finally:
        archive.close()


def open_archive(content: bytes, limits: Limits) -> zipfile.ZipFile:
    """Open the zip and check its directory; nothing is unpacked yet."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise NotAnXlsx(field="file") from error
    parts = archive.infolist()
    if len(parts) > limits.max_parts:
        raise _too_large(SheetTooLarge.parts_message, count=len(parts), limit=limits.max_parts)
    unpacked = sum(part.file_size for part in parts)
    if unpacked > limits.max_unpacked_bytes:
        raise _too_large(SheetTooLarge.unpacked_message, size=unpacked // MB,
                         limit=limits.max_unpacked_bytes // MB)
    for part in parts:
        ratio = part.file_size // max(part.compress_size, 1)
        if part.file_size > RATIO_FREE_BYTES and ratio > limits.max_ratio:
            raise _too_large(SheetTooLarge.ratio_message, ratio=ratio, limit=limits.max_ratio)
    return archive


class _Book:
    """The first worksheet of a workbook, its shared strings and which styles show dates."""

    def __init__(self, archive: zipfile.ZipFile, limits: Limits):
        self.archive, self.limits = archive, limits
        self.deadline = monotonic() + limits.max_seconds
        workbook = _target(self._relations(""), "/officeDocument") or "xl/workbook.xml"
        relations = self._relations(workbook)
        found = self._collect(workbook, _Workbook())
        sheets = [(name, *relations.get(relation_id, ("", "")))
                  for name, relation_id in zip(found.names, found.sheets, strict=True)]
        self.sheets = [(name, path) for name, kind, path in sheets
                       if kind.endswith("/worksheet")]
        self.sheet = self.sheets[0][1] if self.sheets else None
        self.filled = 0  # rows with a value read so far, over every sheet read
        self.epoch = MAC_EPOCH if found.date1904 else WINDOWS_EPOCH
        self.strings = self._collect(_target(relations, "/sharedStrings"), _Strings()).strings
        self.dates, self.durations = self._collect(_target(relations, "/styles"),
                                                   _Styles()).date_styles()

    def check_time(self) -> None:
        if monotonic() > self.deadline:
            raise _too_large(SheetTooLarge.seconds_message, limit=f"{self.limits.max_seconds:g}")

    def _stream(self, path: str | None, target) -> Iterator[None]:
        """Feed a part to ``target`` chunk by chunk; missing optional parts feed nothing."""
        if path is None or path not in self.archive.NameToInfo:
            return
        parser = XMLParser(target=target)
        with self.archive.open(path) as source:
            while chunk := source.read(CHUNK):
                parser.feed(chunk)
                self.check_time()
                yield
        parser.close()
        yield

    def _collect(self, path: str | None, target):
        for _ in self._stream(path, target):
            pass
        return target

    def _relations(self, part: str) -> dict[str, tuple[str, str]]:
        """Id -> (type, path in the archive) of a part's relationships ("" is the package)."""
        folder, name = posixpath.split(part)
        found = self._collect(posixpath.join(folder, "_rels", f"{name}.rels"), _Relations())
        return {relation_id: (kind, target.lstrip("/") if target.startswith("/") else
                              posixpath.normpath(posixpath.join(folder, target)))
                for relation_id, kind, target in found.relations}

    def rows(self, path: str | None = None) -> Iterator[tuple[int, dict[int, object]]]:
        path = path or self.sheet
        if path is None:
            raise NotAnXlsx(field="file")
        sheet = _Sheet(self)
        for _ in self._stream(path, sheet):
            for number, values in sheet.done:
                if number > 1 and any(_filled(value) for value in values.values()):
                    self.filled += 1
                    if self.filled > self.limits.max_rows:
                        raise _too_large(SheetTooLarge.rows_message,
                                         limit=self.limits.max_rows)
                yield number, values
            sheet.done.clear()

    def value(self, kind: str, raw: str, style: str | None):
        if kind == "n":
            number = float(raw) if "." in raw or "E" in raw or "e" in raw else int(raw)
            if style and int(style) in self.dates:
                try:
                    return from_excel(number, self.epoch, timedelta=int(style) in self.durations)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number
        if kind == "s":
            return self.strings[int(raw)]
        if kind == "b":
            return bool(int(raw))
        if kind == "d":
            return from_ISO8601(raw)
        return raw  # "str" (a formula's text result) and "e" (an error such as #N/A)


class _Target:
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


class _Relations(_Target):
    def __init__(self):
        self.relations: list[tuple[str, str, str]] = []

    def start(self, tag, attrib):
        if tag == PACKAGE + "Relationship":
            self.relations.append((attrib.get("Id"), attrib.get("Type", ""),
                                   attrib.get("Target", "")))


class _Workbook(_Target):
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


class _Strings(_Target):
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


class _Styles(_Target):
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


class _Sheet(_Target):
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
            self.column = _column(reference) if reference else self.column + 1
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


def _target(relations: dict, kind: str) -> str | None:
    return next((path for found, path in relations.values() if found.endswith(kind)), None)


def _column(reference: str) -> int:
    """"A1" -> 0, "AB12" -> 27."""
    column = 0
    for character in reference:
        if character.isdigit():
            break
        column = column * 26 + (ord(character) & 0x1F)
    return column - 1


def _filled(value) -> bool:
    return value is not None and str(value).strip() != ""
