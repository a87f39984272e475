"""Read a KoboToolbox or ODK export into tables, and its cells into HouseholdIn bodies.

Read as the tools write them (docs/kobo-import.md lists every column read):
- KoboToolbox XLSX: the first sheet holds one row per submission, with ``_uuid`` and
  ``_index``; the repeat group ``members`` is a further sheet whose rows carry
  ``_parent_index``.
- KoboToolbox or ODK Central CSV: one row per submission; members cannot ride in one CSV.
- ODK Central's ZIP of CSVs: ``<form>.csv`` with ``KEY`` and ``<form>-members.csv`` whose
  rows carry ``PARENT_KEY``.
Headers may carry their group path (``household/head_name``, ``household-head_name``); only the
last part names the field. Nothing here touches the database: `logistics.emergency.kobo`
checks what was read and writes it.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from logistics.core import sheet_import, xlsx
from logistics.core.sheet_import import Table, cell_text, day_text, flag, whole_number
from logistics.core.xlsx import DEFAULT_LIMITS, Limits
from logistics.errors import InvalidInput
from logistics.i18n import N_

HOUSEHOLD_COLUMNS = ("desa_code", "assessed_on", "kk_number", "head_name", "head_nik",
                     "address", "house_damage", "lost_livelihood", "deaths", "urgent_needs")
# The form's member fields (repeat group "members") -> HouseholdIn's member fields.
MEMBER_COLUMNS = {"member_name": "name", "member_nik": "nik", "member_sex": "sex",
                  "member_age": "age", "member_relation": "relation",
                  "member_pregnant": "is_pregnant", "member_breastfeeding": "is_breastfeeding",
                  "member_disabled": "is_disabled"}
ID_COLUMNS = ("_uuid", "key", "instanceid")  # the first one filled names the submission
SEXES = {"l": "L", "laki_laki": "L", "laki-laki": "L", "male": "L", "m": "L",
         "p": "P", "perempuan": "P", "female": "P", "f": "P"}
DAMAGES = {"tidak": "tidak_rusak", "ringan": "rusak_ringan", "sedang": "rusak_sedang",
           "berat": "rusak_berat"}
SELECT_MULTIPLE = re.compile(r"^[a-z0-9_]+(?: [a-z0-9_]+)*$")


NOT_UTF8 = N_("The CSV file is not UTF-8 text; export it again from KoboToolbox or ODK.")


class NotAnExport(InvalidInput):
    message = N_("This is not an XLSX, CSV or ZIP export from KoboToolbox or ODK.")


@dataclass
class Export:
    main: Table
    repeats: list[Table]


def column_key(header) -> str:
    """``household/head_name``, ``household-head_name``, ``meta/instanceID`` -> the field name
    (``head_name``, ``instanceid``), lower case."""
    text = str(header).strip().lower()
    text = text.rsplit("/", 1)[-1]
    if not text.startswith("_"):
        text = text.rsplit("-", 1)[-1]
    return text


def _table(name: str, rows) -> Table:
    return sheet_import.table(name, rows, column_key)


def read_export(content: bytes, filename: str = "", limits: Limits = DEFAULT_LIMITS, *,
                members: bytes | None = None, members_filename: str = "") -> Export:
    """The export's submissions and repeat rows, within ``limits``; no database is touched.

    ``members``: ODK Central's repeat CSV (``PARENT_KEY``), when the CSV came without its ZIP.
    """
    export = _read(content, filename, limits)
    if members:
        table = _csv_table(members_filename or "members.csv", members, limits)
        if not table.columns & {"parent_key", "_parent_index"}:
            raise NotAnExport(N_("The members file has no PARENT_KEY or _parent_index column."),
                              field="members_file")
        export.repeats.append(table)
    return export


def _read(content: bytes, filename: str, limits: Limits) -> Export:
    if content[:2] == b"PK":
        archive = xlsx.open_archive(content, limits)
        names = archive.namelist()
        archive.close()
        if "xl/workbook.xml" in names:
            sheets = [_table(name, rows) for name, rows in xlsx.read_sheets(content, limits)]
            return _split(sheets)
        return _split(_zipped_csvs(content, names, limits))
    return _split([_csv_table(filename or "export.csv", content, limits)])


def _split(tables: list[Table]) -> Export:
    """The submissions' table first; tables whose rows point at a parent are repeats."""
    if not tables:
        raise NotAnExport(field="file")
    repeats = [t for t in tables if t.columns & {"_parent_index", "parent_key"}]
    mains = [t for t in tables if t not in repeats]
    if not mains:
        raise NotAnExport(field="file")
    return Export(mains[0], [t for t in repeats if t.columns & set(MEMBER_COLUMNS)])


def _zipped_csvs(content: bytes, names: list[str], limits: Limits) -> list[Table]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    try:
        return [_csv_table(name.rsplit("/", 1)[-1], archive.read(name), limits)
                for name in sorted(names, key=len) if name.lower().endswith(".csv")]
    finally:
        archive.close()


def _csv_table(name: str, content: bytes, limits: Limits) -> Table:
    return _table(name, sheet_import.csv_rows(content, limits, error=NotAnExport,
                                              not_utf8=NOT_UTF8))


# --- reading one row ------------------------------------------------------------------------

def _needs(value) -> str | None:
    """A select_multiple's codes ("pangan air_bersih") as words ("pangan, air bersih")."""
    text = cell_text(value)
    if SELECT_MULTIPLE.match(text) and (" " in text or "_" in text):
        return ", ".join(code.replace("_", " ") for code in text.split())
    return text or None


def submission_id(row: dict) -> str | None:
    for name in ID_COLUMNS:
        text = cell_text(row.get(name))
        if text:
            return text[5:] if text.lower().startswith("uuid:") else text
    return None


def household_payload(row: dict) -> dict:
    """A submission's cells as HouseholdIn's body (numbers, flags and days read the way the
    tools write them); blank cells left out."""
    payload = {
        "desa_code": cell_text(row.get("desa_code")),
        "assessed_on": day_text(row.get("assessed_on")) or day_text(
            row.get("_submission_time") or row.get("submissiondate")),
        "kk_number": cell_text(row.get("kk_number")), "head_name": cell_text(row.get("head_name")),
        "head_nik": cell_text(row.get("head_nik")), "address": cell_text(row.get("address")),
        "house_damage": DAMAGES.get(cell_text(row.get("house_damage")).lower(),
                                    cell_text(row.get("house_damage")).lower()),
        "lost_livelihood": flag(row.get("lost_livelihood")),
        "deaths": whole_number(row.get("deaths")), "urgent_needs": _needs(row.get("urgent_needs"))}
    return {key: value for key, value in payload.items() if value not in (None, "")}


def member_payload(row: dict) -> dict:
    payload = {"name": cell_text(row.get("member_name")), "nik": cell_text(row.get("member_nik")),
               "sex": SEXES.get(cell_text(row.get("member_sex")).lower(),
                                cell_text(row.get("member_sex"))),
               "age": whole_number(row.get("member_age")),
               "relation": cell_text(row.get("member_relation")).replace("_", " ")}
    for column in ("member_pregnant", "member_breastfeeding", "member_disabled"):
        payload[MEMBER_COLUMNS[column]] = flag(row.get(column))
    return {key: value for key, value in payload.items() if value not in (None, "")}

