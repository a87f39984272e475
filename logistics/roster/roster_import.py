"""A roster sheet (XLSX or CSV) onto the roster: every row checked, all or nothing.

Each row is one person. A row whose NIK or NIA (the latter for Tagana) is already on the roster
updates that volunteer; any other row registers one. So importing the Dinas's sheet again after
correcting it updates people and never adds anyone twice. Every row is checked before anything
is written, and every problem of every row is listed (`ImportInvalid`); then the rows are written
through the volunteer operations, which check their rules again, and a refusal there (a rule
not checked beforehand, or another coordinator's change meanwhile) still refuses the whole file.

Decisions a coordinator relies on:
- The kind only goes up. A row saying Tagana with an NIA for someone on the roster as Sahabat
  Tagana promotes them through `promotions.promote` (dated the day of the import; the history
  keeps it); a row saying Sahabat Tagana for a Tagana is refused: Tagana status is not lost by
  a stale sheet.
- A blank cell, or a column the sheet does not have, changes nothing on an update: a sheet kept
  by another office without phones does not erase the phones on the roster. The skills cell, when
  filled, is the volunteer's whole set of skills.
- One person, one row: a NIK or NIA twice in the file is a problem on the later row.
- Two imports at once queue (a transaction lock on PostgreSQL; SQLite writes one at a time), so
  the second updates what the first created.
"""

from __future__ import annotations

from dataclasses import dataclass

from marshmallow import ValidationError
from shapely.geometry import Point
from sqlalchemy import select, text

from logistics.accounts.roles import Permission
from logistics.calendar import local_today
from logistics.core import identity
from logistics.core.atomic import all_or_nothing
from logistics.core.sheet_import import ImportInvalid, Problem, Table, flat_messages
from logistics.errors import DomainError
from logistics.i18n import N_
from logistics.regions.errors import PointOutsideDesa, RegionNotDesa
from logistics.regions.models import Level, Region
from logistics.roster import errors, promotions, volunteers
from logistics.roster.lookups import ensure_can
from logistics.roster.models import Skill, SkillLevel, Volunteer, VolunteerKind
from logistics.roster.roster_read import FIELD_OF, HEADER_OF, IGNORED, REQUIRED, read_row
from logistics.roster.volunteer_schemas import VolunteerIn

IMPORT_LOCK = 0x524F5354  # "ROST": one roster import at a time on PostgreSQL
CHUNK = 500  # ids per IN list, short on both databases
COLUMN_MISSING = N_("Column missing from the header row.")
UNKNOWN_COLUMN = N_("This column is not read. The columns read are: %(columns)s.")
NO_ROWS = N_("The file holds no volunteers.")
SAME_NIK = N_("The same NIK as row %(row)s: one person, one row.")
SAME_NIA = N_("The same NIA as row %(row)s: one person, one row.")
NO_DEMOTION = N_("%(name)s is Tagana (NIA %(nia)s) on the roster: an import does not make a "
                 "Tagana a Sahabat Tagana again. Write Tagana and the NIA.")
TWO_PEOPLE = N_("This NIK is %(nik_name)s's on the roster but NIA %(nia)s is %(nia_name)s's.")


@dataclass
class Summary:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    promoted: int = 0


@dataclass
class _Checked:
    number: int
    given: set[str]  # the fields the row filled in
    data: dict
    skills: list[dict] | None
    existing: Volunteer | None = None


class _Columns:
    """The headers as this file writes them, for problems a person can find in their sheet."""

    def __init__(self, table: Table):
        self.sheet = table.name
        self.written = {FIELD_OF[key]: table.headers.get(key, key)
                        for key in table.columns if key in FIELD_OF}

    def of(self, field: str | None) -> str:
        name = (field or "file").split(".", 1)[0]
        return self.written.get(name) or HEADER_OF.get(name, name)


def check_roster(session, table: Table, *, today) -> tuple[list[_Checked], list[Problem]]:
    """Every row read and checked against the roster, and every problem found (none written)."""
    columns, problems = _Columns(table), []
    for name in REQUIRED:
        if name not in columns.written:
            problems.append(Problem(1, table.name, HEADER_OF[name], COLUMN_MISSING))
    for key in sorted(table.columns - set(FIELD_OF) - IGNORED):
        problems.append(Problem(1, table.name, table.headers.get(key, key), UNKNOWN_COLUMN,
                                {"columns": ", ".join(HEADER_OF.values())}))
    if problems:
        return [], problems

    def problem(number, field, message, params=None):
        problems.append(Problem(number, table.name, columns.of(field), message, params or {}))

    catalogue = dict(session.execute(select(Skill.code, Skill.name)).all())
    checked, first_nik, first_nia = [], {}, {}
    schema = VolunteerIn()
    for number, row in table.rows:
        read = read_row(row)
        for field, message in read.problems.items():
            problem(number, field, message)
        try:
            data = schema.load(read.payload)
        except ValidationError as error:
            data = None
            for field, texts in flat_messages(error.messages):
                if field.split(".")[0] not in read.problems:
                    for message in texts:
                        problem(number, field, message)
        _check_skills(read.skills, catalogue, lambda *a, n=number: problem(n, "skills", *a))
        if data is None or read.problems:
            continue
        if (earlier := first_nik.setdefault(data["nik"], number)) != number:
            problem(number, "nik", SAME_NIK, {"row": earlier})
            continue
        if data.get("nia") and (earlier := first_nia.setdefault(data["nia"], number)) != number:
            problem(number, "nia", SAME_NIA, {"row": earlier})
            continue
        checked.append(_Checked(number, set(read.payload), data, read.skills))
    _against_roster(session, checked, problem, today)
    return checked, sorted(problems, key=lambda p: p.row)


def _check_skills(skills, catalogue, problem) -> None:
    seen = set()
    for line in skills or ():
        code = line["skill_code"]
        if code not in catalogue:
            problem(errors.UnknownSkill.message, {"code": code})
        elif code in seen:
            problem(errors.SkillTwice.message, {"skill": catalogue[code]})
        elif line.get("level", SkillLevel.BASIC) not in set(SkillLevel):
            problem(volunteers.LEVEL_RANGE)
        seen.add(code)


def _by(session, column, values) -> dict:
    values, found = sorted(values), {}
    for start in range(0, len(values), CHUNK):
        for volunteer in session.scalars(select(Volunteer).where(
                column.in_(values[start:start + CHUNK]))):
            found[getattr(volunteer, column.key)] = volunteer
    return found


def _against_roster(session, checked: list[_Checked], problem, today) -> None:
    """Match each row to who is on the roster, and check what needs the database: the desa
    and the home point, the kind not going down, the NIK and NIA not someone else's, dates."""
    by_nik = _by(session, Volunteer.nik, {row.data["nik"] for row in checked})
    by_nia = _by(session, Volunteer.nia, {row.data["nia"] for row in checked if row.data["nia"]})
    desa = {region.code: region for start in range(0, len(checked), CHUNK)
            for region in session.scalars(select(Region).where(Region.code.in_(
                {row.data["home_desa_code"] for row in checked[start:start + CHUNK]})))}
    for row in checked:
        data = row.data
        nik_holder, nia_holder = by_nik.get(data["nik"]), by_nia.get(data["nia"])
        if nik_holder and nia_holder and nik_holder.id != nia_holder.id:
            problem(row.number, "nia", TWO_PEOPLE, {"nik_name": nik_holder.name,
                                                    "nia": data["nia"],
                                                    "nia_name": nia_holder.name})
            continue
        row.existing = existing = nik_holder or nia_holder
        if existing is not None and existing.kind == VolunteerKind.TAGANA \
                and data["kind"] == VolunteerKind.SAHABAT:
            problem(row.number, "kind", NO_DEMOTION, {"name": existing.name, "nia": existing.nia})
        home = desa.get(data["home_desa_code"])
        if home is None or home.level != Level.DESA:
            problem(row.number, "home_desa_code", RegionNotDesa.message,
                    {"code": data["home_desa_code"]})
        elif data["home_lon"] is not None and home.boundary is not None \
                and not home.boundary.covers(Point(data["home_lon"], data["home_lat"])):
            problem(row.number, "home_lat", PointOutsideDesa.message, {"desa": home.name})
        birth = data["birth_date"] or identity.parse_nik(data["nik"], today=today).birth_date
        joined = data["joined_on"] or (existing.joined_on if existing else today)
        if joined > today:
            problem(row.number, "joined_on", errors.JOINED_IN_FUTURE)
        elif joined < birth:
            problem(row.number, "joined_on", errors.JOINED_BEFORE_BIRTH)


@all_or_nothing
def import_roster(session, *, actor, table: Table, today=None) -> Summary:
    """Write every row of ``table`` onto the roster, or none (`ImportInvalid`)."""
    ensure_can(actor, Permission.MANAGE_ROSTER)
    today = today or local_today()
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": IMPORT_LOCK})
    checked, problems = check_roster(session, table, today=today)
    if not problems and not checked:
        problems = [Problem(1, table.name, "file", NO_ROWS)]
    if problems:
        raise ImportInvalid(problems)
    columns, summary = _Columns(table), Summary(rows=len(checked))
    for row in checked:
        try:
            with session.begin_nested():
                _write(session, actor, row, summary, today)
        except DomainError as error:
            problems.append(Problem(row.number, table.name, columns.of(error.field),
                                    error.message, error.params))
    if problems:
        raise ImportInvalid(problems)
    return summary


def _write(session, actor, row: _Checked, summary: Summary, today) -> None:
    data, volunteer = row.data, row.existing
    if volunteer is None:
        volunteer = volunteers.register_volunteer(session, actor=actor, today=today, **data)
        summary.created += 1
        if row.skills:
            volunteers.set_skills(session, actor=actor, volunteer_id=volunteer.id,
                                  skills=row.skills)
        return
    changed = False
    if volunteer.kind == VolunteerKind.SAHABAT and data["kind"] == VolunteerKind.TAGANA:
        promotions.promote(session, actor=actor, volunteer_id=volunteer.id, nia=data["nia"],
                           today=today)
        summary.promoted += 1
        changed = True
    changes = {name: data[name] for name in row.given & volunteers.CHANGEABLE
               if data[name] != getattr(volunteer, name)}
    if changes:
        volunteers.change_volunteer(session, actor=actor, volunteer_id=volunteer.id,
                                    today=today, **changes)
        changed = True
    if row.skills is not None and {(line["skill_code"], line.get("level", SkillLevel.BASIC))
                                   for line in row.skills} != {
            (skill.skill_code, skill.level) for skill in volunteer.skills}:
        volunteers.set_skills(session, actor=actor, volunteer_id=volunteer.id,
                              skills=row.skills)
        changed = True
    if changed:
        summary.updated += 1
    else:
        summary.unchanged += 1
