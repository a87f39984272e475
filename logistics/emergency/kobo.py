"""Household assessments from KoboToolbox and ODK exports: every row checked, all or nothing.

`logistics.emergency.kobo_read` reads the file (its names are importable from here too); this
module checks every row and writes them. A submission's own id (``_uuid``, else ``KEY``, else
``meta/instanceID``, without its ``uuid:``) is kept, so importing an export again updates each
household (its members replaced) instead of adding it twice. No database is touched until every
row of the file has been checked; one bad row and nothing is written. Imports into one event
queue on the event's row, so two assessors uploading one export at once both succeed: the
second updates what the first created.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from marshmallow import ValidationError

from logistics.calendar import local_today
from logistics.core.atomic import all_or_nothing
from logistics.core.sheet_import import ImportInvalid, Problem, flat_messages
from logistics.emergency import assessments
from logistics.emergency.access import ensure_may_assess_in
from logistics.emergency.assessment_models import HouseholdAssessment
from logistics.emergency.assessment_schemas import HouseholdIn
from logistics.emergency.events import lock_event
from logistics.emergency.kobo_read import (
    HOUSEHOLD_COLUMNS,
    ID_COLUMNS,
    MEMBER_COLUMNS,
    Export,
    NotAnExport,
    Table,
    cell_text,
    column_key,
    household_payload,
    member_payload,
    read_export,
    submission_id,
)
from logistics.emergency.lookups import open_event
from logistics.emergency.models import Event
from logistics.i18n import N_

__all__ = ["HOUSEHOLD_COLUMNS", "ID_COLUMNS", "MEMBER_COLUMNS", "Export", "ImportInvalid",
           "NotAnExport", "Problem", "Summary", "Table", "check_export", "column_key",
           "household_payload", "import_households", "member_payload", "read_export",
           "submission_id"]

REQUIRED_COLUMNS = ("desa_code", "head_name", "house_damage")
NOT_YES_NO = N_("Write ya or tidak (yes or no).")


@dataclass
class Summary:
    rows: int = 0
    created: int = 0
    updated: int = 0
    members: int = 0
    household_ids: list[int] = field(default_factory=list)  # created or updated, for SLRT
    # Filled in by the web layer after the SLRT intake has read the households.
    slrt_cases_opened: int = 0
    slrt_needs_added: int = 0
    slrt_without_kk: int = 0


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
        link = cell_text(row.get("_index")) if "_parent_index" in _link_columns(export) else sid
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
            deprecated = cell_text(row.get("deprecatedid"))
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
            parent = cell_text(row.get(link))
            if link == "parent_key":  # "uuid:…" or "uuid:…/members[2]" for nested repeats
                parent = parent.split("/", 1)[0]
                parent = parent[5:] if parent.lower().startswith("uuid:") else parent
            member = member_payload(row)
            where[id(member)] = (table.name, number, row)
            members[parent].append((number, member))
    return members, where


def _schema_problems(messages, number, sheet, parent_rows, member_rows) -> list[Problem]:
    found = []
    for name, texts in flat_messages(messages):
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
    # Checked and written under the event's lock: a second import of the same export waits,
    # then finds the first one's households and updates them (one household per submission).
    lock_event(session, event_id)
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
    touched = []
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
        touched.append(household)
        summary.members += len(data["members"])
    session.flush()
    summary.household_ids = [household.id for household in touched]
    return summary
