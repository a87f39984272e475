"""Register a volunteer, correct the record, set their skills.

Operations take the session and the actor as keyword arguments, add and flush, never commit
(docs/conventions.md). The record's own rules (NIK agrees with sex and birth date, NIA for
Tagana only) are `rules`, the same the schema applies, so a CLI command or an import cannot
store what a form would refuse. A duplicate NIA or NIK is checked first and, when two
coordinators register one person at the same moment, the unique constraint answers with the
same Conflict (`models._nia_taken`). A Tagana recruited outside 18-45 is stored and flagged
(`rules.flags_of`), not refused: the coordinator may know why.
"""

from __future__ import annotations

from sqlalchemy import select

from logistics.accounts.roles import Permission
from logistics.calendar import local_today
from logistics.core import phones, status
from logistics.core.atomic import all_or_nothing, idempotent
from logistics.core.identity import digits_of
from logistics.errors import InvalidInput
from logistics.i18n import N_
from logistics.regions.places import desa_or_fail, point_in_desa
from logistics.roster import errors, rules
from logistics.roster.lookups import ensure_can, skill_or_fail, volunteer_or_fail
from logistics.roster.models import (
    VOLUNTEER_STATUS_LABELS,
    SkillLevel,
    Volunteer,
    VolunteerSkill,
    VolunteerStatus,
    normal_nia,
)

VOLUNTEER_FLOW = status.Flow("roster.volunteer", moves={
    old: frozenset(VolunteerStatus) - {old} for old in VolunteerStatus
}, labels=VOLUNTEER_STATUS_LABELS)
HOME_FIELDS = ("home_lon", "home_lat")
CHANGEABLE = frozenset({"is_legiun", "nia", "name", "nik", "sex", "birth_date", "phone",
                        "home_desa_code", "home_lon", "home_lat", "status", "joined_on", "notes"})
LEVEL_RANGE = N_("A level from 1 (basic) to 3 (expert).")


@idempotent("roster.register_volunteer")
def register_volunteer(session, *, actor, kind, name, nik, home_desa_code, sex=None,
                       birth_date=None, is_legiun=False, nia=None, phone=None, home_lon=None,
                       home_lat=None, status=VolunteerStatus.ACTIVE, joined_on=None, notes=None,
                       today=None) -> Volunteer:
    """Put a Tagana or Sahabat Tagana on the roster; sex and birth date default to the NIK's."""
    ensure_can(actor, Permission.MANAGE_ROSTER)
    today = today or local_today()
    nia = normal_nia(nia) if nia else None
    parsed, found = rules.nik_problems(nik, sex, birth_date, today)
    _refuse(rules.kind_problems(kind, nia, is_legiun) | found)
    birth_date = birth_date or parsed.birth_date
    joined_on = joined_on or today
    _check_joined(joined_on, birth_date, today)
    desa = desa_or_fail(session, home_desa_code, field="home_desa_code")
    point_in_desa(desa, home_lon, home_lat, fields=HOME_FIELDS)
    _check_unique(session, nik=parsed.number, nia=nia)
    volunteer = Volunteer(
        kind=kind, is_legiun=is_legiun, nia=nia, name=name.strip(), nik=parsed.number,
        sex=sex or parsed.sex, birth_date=birth_date, phone=_phone(phone),
        home_desa_code=desa.code, home_lon=home_lon, home_lat=home_lat,
        status=VolunteerStatus(status), joined_on=joined_on, notes=notes)
    session.add(volunteer)
    session.flush()
    return volunteer


@all_or_nothing
def change_volunteer(session, *, actor, volunteer_id, today=None, **changes) -> Volunteer:
    """Correct what was recorded; only what is named changes. A new NIK brings its own sex and
    birth date unless they are given too. The kind changes only by promotion."""
    ensure_can(actor, Permission.MANAGE_ROSTER)
    unknown = set(changes) - CHANGEABLE
    if unknown:
        raise TypeError(f"cannot change {sorted(unknown)}")
    today = today or local_today()
    volunteer = volunteer_or_fail(session, volunteer_id, lock=True)
    if changes.get("nia"):
        changes["nia"] = normal_nia(changes["nia"])
    if changes.get("name"):
        changes["name"] = changes["name"].strip()
    if "nik" in changes:
        changes["nik"] = digits_of(changes["nik"])
    after = {name: changes.get(name, getattr(volunteer, name)) for name in CHANGEABLE}
    found = {}
    if "nik" in changes:
        parsed, found = rules.nik_problems(after["nik"], changes.get("sex"),
                                           changes.get("birth_date"), today)
        if parsed is not None:
            after["sex"] = changes.get("sex") or parsed.sex
            after["birth_date"] = changes.get("birth_date") or parsed.birth_date
    elif {"sex", "birth_date"} & set(changes):  # corrected alone: against the NIK on record
        found = rules.nik_problems(after["nik"], after["sex"], after["birth_date"], today)[1]
    _refuse(rules.kind_problems(volunteer.kind, after["nia"], after["is_legiun"]) | found)
    if {"joined_on", "birth_date", "nik"} & set(changes):
        _check_joined(after["joined_on"], after["birth_date"], today)
    if {"home_desa_code", *HOME_FIELDS} & set(changes):
        desa = desa_or_fail(session, after["home_desa_code"], field="home_desa_code")
        point_in_desa(desa, after["home_lon"], after["home_lat"], fields=HOME_FIELDS)
    _check_unique(session, nik=after["nik"] if "nik" in changes else None,
                  nia=after["nia"] if "nia" in changes else None, besides=volunteer.id)
    if "phone" in changes:
        after["phone"] = _phone(changes["phone"])
    new_status = after.pop("status")
    if new_status != volunteer.status:
        status.move(session, Volunteer, volunteer.id, VOLUNTEER_FLOW, to=new_status,
                    from_=volunteer.status)
    for name in changes.keys() | ({"sex", "birth_date"} if "nik" in changes else set()):
        if name != "status":
            setattr(volunteer, name, after[name])
    session.flush()
    return volunteer


@all_or_nothing
def set_skills(session, *, actor, volunteer_id, skills) -> Volunteer:
    """Make ``skills`` (``[{"skill_code", "level"}]``) the volunteer's whole set of skills."""
    ensure_can(actor, Permission.MANAGE_ROSTER)
    volunteer = volunteer_or_fail(session, volunteer_id, lock=True)
    wanted: dict[str, int] = {}
    for index, line in enumerate(skills):
        code, level = line["skill_code"], line.get("level", SkillLevel.BASIC)
        skill = skill_or_fail(session, code, field=f"skills.{index}.skill_code")
        if code in wanted:
            raise errors.SkillTwice(skill=skill.name, field=f"skills.{index}.skill_code")
        if level not in set(SkillLevel):
            raise InvalidInput(LEVEL_RANGE, field=f"skills.{index}.level")
        wanted[code] = int(level)
    held = {line.skill_code: line for line in volunteer.skills}
    for code, line in held.items():
        if code not in wanted:
            volunteer.skills.remove(line)
        else:
            line.level = wanted[code]
    for code, level in wanted.items():
        if code not in held:
            volunteer.skills.append(VolunteerSkill(skill_code=code, level=level))
    session.flush()
    return volunteer


def _refuse(found: dict[str, str]) -> None:
    """The first problem as a domain error on its field (the schema reports them all)."""
    for field, message in found.items():
        raise InvalidInput(message, field=field)


def _check_joined(joined_on, birth_date, today) -> None:
    if joined_on > today:
        raise InvalidInput(errors.JOINED_IN_FUTURE, field="joined_on")
    if joined_on < birth_date:
        raise InvalidInput(errors.JOINED_BEFORE_BIRTH, field="joined_on")


def _phone(phone: str | None) -> str | None:
    if phone is None or not phone.strip():
        return None
    number = phones.mobile_number(phone)
    if number is None:
        raise InvalidInput(phones.NOT_A_MOBILE, field="phone")
    return number


def _check_unique(session, *, nik: str | None, nia: str | None, besides: int | None = None):
    """No second volunteer with this NIK or NIA (the constraints referee a race)."""
    for column, value, error, field in ((Volunteer.nik, nik, errors.DuplicateNik, "nik"),
                                        (Volunteer.nia, nia, errors.DuplicateNia, "nia")):
        if value is None:
            continue
        query = select(Volunteer.name).where(column == value)
        if besides is not None:
            query = query.where(Volunteer.id != besides)
        holder = session.scalar(query)
        if holder is not None:
            # The NIK is personal data: it stays out of the error's parameters (and logs).
            raise error(name=holder, field=field, **({"nia": value} if field == "nia" else {}))
