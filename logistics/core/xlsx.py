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

from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel, from_ISO8601

from logistics.core import xlsx_parts as parts
from logistics.errors import DomainError, InvalidInput
from logistics.i18n import N_

MB = 1024 * 1024
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
        workbook = parts.target(self._relations(""), "/officeDocument") or "xl/workbook.xml"
        relations = self._relations(workbook)
        found = self._collect(workbook, parts.Workbook())
        sheets = [(name, *relations.get(relation_id, ("", "")))
                  for name, relation_id in zip(found.names, found.sheets, strict=True)]
        self.sheets = [(name, path) for name, kind, path in sheets
                       if kind.endswith("/worksheet")]
        self.sheet = self.sheets[0][1] if self.sheets else None
        self.filled = 0  # rows with a value read so far, over every sheet read
        self.epoch = MAC_EPOCH if found.date1904 else WINDOWS_EPOCH
        self.strings = self._collect(parts.target(relations, "/sharedStrings"),
                                     parts.Strings()).strings
        self.dates, self.durations = self._collect(parts.target(relations, "/styles"),
                                                   parts.Styles()).date_styles()

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
        found = self._collect(posixpath.join(folder, "_rels", f"{name}.rels"), parts.Relations())
        return {relation_id: (kind, target.lstrip("/") if target.startswith("/") else
                              posixpath.normpath(posixpath.join(folder, target)))
                for relation_id, kind, target in found.relations}

    def rows(self, path: str | None = None) -> Iterator[tuple[int, dict[int, object]]]:
        path = path or self.sheet
        if path is None:
            raise NotAnXlsx(field="file")
        sheet = parts.Sheet(self)
        for _ in self._stream(path, sheet):
            for number, values in sheet.done:
                if number > 1 and any(parts.filled(value) for value in values.values()):
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
