"""Household assessments from KoboToolbox and ODK exports: every row checked, all or nothing.

Read as the tools write them (docs/kobo-import.md lists every column read):
- KoboToolbox XLSX: the first sheet holds one row per submission, with ``_uuid`` and
  ``_index``; the repeat group ``members`` is a further sheet whose rows carry
  ``_parent_index``.
- KoboToolbox or ODK Central CSV: one row per submission; members cannot ride in one CSV.
- ODK Central's ZIP of CSVs: ``<form>.csv`` with ``KEY`` and ``<form>-members.csv`` whose
  rows carry ``PARENT_KEY``.
Headers may carry their group path (``household/head_name``, ``household-head_name``); only the
last part names the field. A submission's own id (``_uuid``, else ``KEY``, else
``meta/instanceID``, without its ``uuid:``) is kept, so importing an export again updates each
household (its members replaced) instead of adding it twice. No database is touched until every
row of the file has been checked; one bad row and nothing is written.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from marshmallow import ValidationError

from logistics.calendar import local_today
from logistics.core import xlsx
from logistics.core.atomic import all_or_nothing
from logistics.core.fields import parse_integer
from logistics.core.xlsx import DEFAULT_LIMITS, Limits
from logistics.emergency import assessments
from logistics.emergency.access import ensure_may_assess_in
from logistics.emergency.assessment_models import HouseholdAssessment
from logistics.emergency.assessment_schemas import HouseholdIn
from logistics.emergency.lookups import open_event
from logistics.emergency.models import Event
from logistics.errors import InvalidInput
from logistics.i18n import N_

HOUSEHOLD_COLUMNS = ("desa_code", "assessed_on", "kk_number", "head_name", "head_nik",
                     "address", "house_damage", "lost_livelihood", "deaths", "urgent_needs")
REQUIRED_COLUMNS = ("desa_code", "head_name", "house_damage")
# The form's member fields (repeat group "members") -> HouseholdIn's member fields.
MEMBER_COLUMNS = {"member_name": "name", "member_nik": "nik", "member_sex": "sex",
                  "member_age": "age", "member_relation": "relation",
                  "member_pregnant": "is_pregnant", "member_breastfeeding": "is_breastfeeding",
                  "member_disabled": "is_disabled"}
ID_COLUMNS = ("_uuid", "key", "instanceid")  # the first one filled names the submission
YES = frozenset({"ya", "yes", "y", "1", "true", "benar"})
NO = frozenset({"tidak", "no", "n", "0", "false", "salah", "bukan"})
SEXES = {"l": "L", "laki_laki": "L", "laki-laki": "L", "male": "L", "m": "L",
         "p": "P", "perempuan": "P", "female": "P", "f": "P"}
DAMAGES = {"tidak": "tidak_rusak", "ringan": "rusak_ringan", "sedang": "rusak_sedang",
           "berat": "rusak_berat"}
ISO_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ].*)?$")
SELECT_MULTIPLE = re.compile(r"^[a-z0-9_]+(?: [a-z0-9_]+)*$")
NOT_YES_NO = N_("Write ya or tidak (yes or no).")


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


class NotAnExport(InvalidInput):
    message = N_("This is not an XLSX, CSV or ZIP export from KoboToolbox or ODK.")


@dataclass
class Table:
    name: str
    columns: set[str]
    rows: list[tuple[int, dict[str, object]]]


@dataclass
class Export:
    main: Table
    repeats: list[Table]


@dataclass
class Summary:
    rows: int = 0
    created: int = 0
    updated: int = 0
    members: int = 0


def column_key(header) -> str:
    """``household/head_name``, ``household-head_name``, ``meta/instanceID`` -> the field name
    (``head_name``, ``instanceid``), lower case."""
    text = str(header).strip().lower()
    text = text.rsplit("/", 1)[-1]
    if not text.startswith("_"):
        text = text.rsplit("-", 1)[-1]
    return text


def _table(name: str, rows) -> Table:
    """Rows keyed by field name; the first column of a name wins; blank rows dropped."""
    rows = iter(rows)
    header: dict[int, str] = {}
    table = Table(name, set(), [])
    for number, values in rows:
        if not header:
            for index, value in sorted(values.items()):
                key = column_key(value)
                if key and key not in header.values():
                    header[index] = key
            table.columns = set(header.values())
            continue
        if any(_text(value) for value in values.values()):
            table.rows.append((number, {key: values.get(index) for index, key in header.items()}))
    return table


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
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotAnExport(N_("The CSV file is not UTF-8 text; export it again from "
                             "KoboToolbox or ODK."), field="file") from error
    if "\x00" in text:
        raise NotAnExport(field="file")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    for number, values in enumerate(reader, start=1):
        if number - 1 > limits.max_rows:
            raise xlsx.SheetTooLarge(xlsx.SheetTooLarge.rows_message, limit=limits.max_rows,
                                     field="file")
        rows.append((number, dict(enumerate(values))))
    return _table(name, rows)


# --- reading one row ------------------------------------------------------------------------

def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _day(value):
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    match = ISO_DAY.match(_text(value))
    return match.group(1) if match else _text(value) or None


def _flag(value):
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in YES:
        return True
    if text in NO or not text:
        return False
    return value  # the schema's Flag refuses it; the message is replaced by NOT_YES_NO


def _number(value):
    if _text(value) == "":
        return None
    number = parse_integer(value)
    return _text(value) if number is None else number


def _needs(value) -> str | None:
    """A select_multiple's codes ("pangan air_bersih") as words ("pangan, air bersih")."""
    text = _text(value)
    if SELECT_MULTIPLE.match(text) and (" " in text or "_" in text):
        return ", ".join(code.replace("_", " ") for code in text.split())
    return text or None


def submission_id(row: dict) -> str | None:
    for name in ID_COLUMNS:
        text = _text(row.get(name))
        if text:
            return text[5:] if text.lower().startswith("uuid:") else text
    return None


def household_payload(row: dict) -> dict:
    """A submission's cells as HouseholdIn's body (numbers, flags and days read the way the
    tools write them); blank cells left out."""
    payload = {
        "desa_code": _text(row.get("desa_code")),
        "assessed_on": _day(row.get("assessed_on")) or _day(
            row.get("_submission_time") or row.get("submissiondate")),
        "kk_number": _text(row.get("kk_number")), "head_name": _text(row.get("head_name")),
        "head_nik": _text(row.get("head_nik")), "address": _text(row.get("address")),
        "house_damage": DAMAGES.get(_text(row.get("house_damage")).lower(),
                                    _text(row.get("house_damage")).lower()),
        "lost_livelihood": _flag(row.get("lost_livelihood")),
        "deaths": _number(row.get("deaths")), "urgent_needs": _needs(row.get("urgent_needs"))}
    return {key: value for key, value in payload.items() if value not in (None, "")}


def member_payload(row: dict) -> dict:
    payload = {"name": _text(row.get("member_name")), "nik": _text(row.get("member_nik")),
               "sex": SEXES.get(_text(row.get("member_sex")).lower(),
                                _text(row.get("member_sex"))),
               "age": _number(row.get("member_age")),
               "relation": _text(row.get("member_relation")).replace("_", " ")}
    for column in ("member_pregnant", "member_breastfeeding", "member_disabled"):
        payload[MEMBER_COLUMNS[column]] = _flag(row.get(column))
    return {key: value for key, value in payload.items() if value not in (None, "")}


# --- checking and writing -------------------------------------------------------------------

@dataclass
class _Checked:
    number: int
    submission: str
    data: dict
    deprecated: str | None


def check_export(session, export: Export, event, *, today) -> tuple[list[_Checked],
                                                                    list[Problem]]:
    """Every submission loaded and checked, and every problem of every row (none written)."""
    main, problems = export.main, []
    for name in REQUIRED_COLUMNS:
        if name not in main.columns:
            problems.append(Problem(1, main.name, name, N_("Column missing from the header "
                                                           "row.")))
    if not main.columns & set(ID_COLUMNS):
        problems.append(Problem(1, main.name, "_uuid", N_(
            "No submission id column (_uuid, KEY or meta/instanceID): export it again with "
            "the metadata columns.")))
    if problems:
        return [], problems
    members, member_rows = _members_by_parent(export, main, problems)
    checked, seen = [], {}
    schema = HouseholdIn()
    for number, row in main.rows:
        sid = submission_id(row)
        if sid is None:
            problems.append(Problem(number, main.name, "_uuid", N_("This row has no "
                                                                   "submission id.")))
            continue
        if len(sid) > 64:
            problems.append(Problem(number, main.name, "_uuid", N_("A submission id is at "
                                                                   "most 64 characters.")))
            continue
        if sid in seen:
            problems.append(Problem(number, main.name, "_uuid", N_(
                "The same submission as row %(row)s."), {"row": seen[sid]}))
            continue
        seen[sid] = number
        link = _text(row.get("_index")) if "_parent_index" in _link_columns(export) else sid
        payload = household_payload(row)
        parent_rows = members.pop(link, []) if link else []
        payload["members"] = [member for _, member in parent_rows]
        try:
            data = schema.load(payload)
        except ValidationError as error:
            data, rule_input = None, error.valid_data or {}
            problems.extend(_schema_problems(error.messages, number, main.name, parent_rows,
                                             member_rows))
        else:
            rule_input = data
        for rule in assessments.rule_problems(session, event, rule_input, today=today):
            problems.append(Problem(number, main.name, rule.field, rule.message, rule.params))
        if data is not None:
            deprecated = _text(row.get("deprecatedid"))
            checked.append(_Checked(number, sid, data, deprecated[5:] if deprecated.lower()
                                    .startswith("uuid:") else deprecated or None))
    for rows in members.values():  # members whose household is not in the file
        for sheet, number, _ in (member_rows[id(row)] for _, row in rows):
            problems.append(Problem(number, sheet, "_parent_index", N_(
                "No submission in the main sheet is this member's household.")))
    problems.extend(_other_events(session, checked, event, main.name))
    return checked, sorted(problems, key=lambda p: (p.sheet != main.name, p.sheet, p.row))


def _link_columns(export: Export) -> set[str]:
    return set().union(*(t.columns for t in export.repeats)) if export.repeats else set()


def _members_by_parent(export, main, problems):
    """Member rows grouped by the submission they belong to, each with where it was read."""
    members: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    where: dict[int, tuple[str, int, dict]] = {}
    for table in export.repeats:
        link = "_parent_index" if "_parent_index" in table.columns else "parent_key"
        for number, row in table.rows:
            parent = _text(row.get(link))
            if link == "parent_key":  # "uuid:…" or "uuid:…/members[2]" for nested repeats
                parent = parent.split("/", 1)[0]
                parent = parent[5:] if parent.lower().startswith("uuid:") else parent
            member = member_payload(row)
            where[id(member)] = (table.name, number, row)
            members[parent].append((number, member))
    return members, where


def _schema_problems(messages, number, sheet, parent_rows, member_rows) -> list[Problem]:
    found = []
    for name, texts in _flat(messages):
        parts = name.split(".")
        if parts[0] == "members" and len(parts) == 3 and parts[1].isdigit() \
                and int(parts[1]) < len(parent_rows):
            member = parent_rows[int(parts[1])][1]
            member_sheet, member_number, _ = member_rows[id(member)]
            column = next(k for k, v in MEMBER_COLUMNS.items() if v == parts[2])
            found += [Problem(member_number, member_sheet, column, _sheet_message(parts[2], t))
                      for t in texts]
        else:
            found += [Problem(number, sheet, name, _sheet_message(parts[-1], t))
                      for t in texts]
    return found


def _sheet_message(name: str, text: str) -> str:
    if name in ("lost_livelihood", "is_pregnant", "is_breastfeeding", "is_disabled"):
        return NOT_YES_NO
    return text


def _flat(messages, prefix=""):
    if isinstance(messages, dict):
        for key, value in messages.items():
            yield from _flat(value, f"{prefix}.{key}" if prefix else str(key))
    else:
        yield prefix or "_schema", [m for m in messages if isinstance(m, str)] or [str(messages)]


def _other_events(session, checked, event, sheet) -> list[Problem]:
    """A submission already imported into another event is not moved by this one, nor is
    one that an edited submission (``deprecatedID``) points at."""
    ids = [key for c in checked for key in (c.submission, c.deprecated) if key]
    existing = assessments.household_by_submission(session, ids)
    problems = []
    for c in checked:
        for key in (c.submission, c.deprecated):
            if key in existing and existing[key].event_id != event.id:
                problems.append(Problem(c.number, sheet, "_uuid", N_(
                    "This submission was imported into another event (%(number)s)."),
                    {"number": session.get(Event, existing[key].event_id).number}))
                break
    return problems


@all_or_nothing
def import_households(session, *, actor, event_id: int, export: Export, today=None) -> Summary:
    """Write every submission of ``export`` into the event, or none (`ImportInvalid`)."""
    today = today or local_today()
    event = open_event(session, event_id, today, field=None)
    ensure_may_assess_in(session, actor, event)
    checked, problems = check_export(session, export, event, today=today)
    if problems:
        raise ImportInvalid(problems)
    if not checked:
        raise ImportInvalid([Problem(1, export.main.name, "file", N_("The file holds no "
                                                                     "submissions."))])
    existing = assessments.household_by_submission(
        session, [c.submission for c in checked] + [c.deprecated for c in checked])
    summary = Summary(rows=len(checked))
    for row in checked:
        household = existing.get(row.submission) or (
            existing.get(row.deprecated) if row.deprecated else None)
        data = dict(row.data)
        if household is None:
            household = HouseholdAssessment(event_id=event.id, recorded_by_id=actor.id,
                                            submission_id=row.submission)
            session.add(household)
            summary.created += 1
        else:
            household.members = []
            session.flush()  # the old members go before the new ones take their places
            household.submission_id = row.submission
            summary.updated += 1
        assessments.fill_household(household, **data)
        summary.members += len(data["members"])
    session.flush()
    return summary
