"""The skills catalogue: data, not code, so a Dinas adds its own without a release.

`DEFAULT_SKILLS` are the Tagana specialisations Kemensos trains and the field works with; their
names are written as the field says them (Indonesian, the English meaning in brackets where the
field uses the English word). `seed_defaults` adds those missing and touches nothing else, so it
can run on every deploy; a name a coordinator changed stays changed.
"""

from __future__ import annotations

from sqlalchemy import func, or_, select

from logistics.accounts.roles import Permission
from logistics.core.atomic import all_or_nothing
from logistics.errors import InvalidInput
from logistics.roster import errors
from logistics.roster.lookups import ensure_can, skill_or_fail, volunteer_or_fail
from logistics.roster.models import Skill, SkillLevel, VolunteerSkill
from logistics.roster.volunteers import LEVEL_RANGE

# (code, name): the order is the catalogue's order on pages and in suggestions.
DEFAULT_SKILLS = (
    ("dapur_umum", "Dapur umum (public kitchen)"),
    ("shelter", "Shelter (hunian darurat)"),
    ("water_rescue", "Water rescue (penyelamatan di air)"),
    ("ldp", "Layanan dukungan psikososial (LDP)"),
    ("logistik", "Logistik"),
    ("kaji_cepat", "Kaji cepat (rapid assessment)"),
    ("evakuasi", "Evakuasi"),
    ("pertolongan_pertama", "Pertolongan pertama (first aid)"),
    ("komunikasi_radio", "Komunikasi radio"),
    ("pengemudi", "Pengemudi (driver)"),
    ("operator_perahu", "Operator perahu karet (boat operator)"),
    ("manajemen_posko", "Manajemen posko"),
    ("pendataan", "Pendataan dan pelaporan (data and reporting)"),
    ("air_bersih_sanitasi", "Air bersih dan sanitasi (water and sanitation)"),
    ("perlindungan_anak", "Perlindungan anak dan kelompok rentan (child protection)"),
    ("operator_genset", "Operator genset (generator)"),
)


def seed_defaults(session) -> int:
    """Add the default skills whose code and name are both still free; returns how many."""
    taken = session.execute(select(Skill.code, Skill.name)).all()
    codes = {code for code, _ in taken}
    names = {name.casefold() for _, name in taken}
    added = 0
    for position, (code, name) in enumerate(DEFAULT_SKILLS, start=1):
        if code in codes or name.casefold() in names:
            continue
        session.add(Skill(code=code, name=name, position=position))
        added += 1
    session.flush()
    return added


@all_or_nothing
def add_skill(session, *, actor, code, name) -> Skill:
    """Add a line to the catalogue (a local specialisation). Keyed by its code, so a retry
    that sends the same code and name gets the skill back (`idempotent` needs an integer id,
    which a catalogue line does not have); another skill with that code or name is refused."""
    ensure_can(actor, Permission.MANAGE_ROSTER)
    code, name = code.strip().lower(), " ".join(name.split())
    clash = session.scalar(select(Skill).where(or_(Skill.code == code,
                                                   func.lower(Skill.name) == name.lower())))
    if clash is not None and clash.code == code and clash.name == name:
        return clash
    if clash is not None:
        field = "code" if clash.code == code else "name"
        raise errors.DuplicateSkill(skill=clash.name, field=field)
    last = session.scalar(select(func.max(Skill.position))) or 0
    skill = Skill(code=code, name=name, position=last + 1)
    session.add(skill)
    session.flush()
    return skill


def catalogue(session) -> list[Skill]:
    """Every skill, in the catalogue's order."""
    return list(session.scalars(select(Skill).order_by(Skill.position, Skill.code)))


@all_or_nothing
def rename_skill(session, *, actor, code, name) -> Skill:
    """Give a catalogue line another name; its code (what volunteers and deployments point
    at) stays, so nothing recorded against it changes meaning."""
    ensure_can(actor, Permission.MANAGE_ROSTER)
    skill = session.get(Skill, code)
    if skill is None:
        raise errors.SkillNotFound(code=code)
    name = " ".join(name.split())
    clash = session.scalar(select(Skill).where(func.lower(Skill.name) == name.lower(),
                                               Skill.code != skill.code))
    if clash is not None:
        raise errors.DuplicateSkill(skill=clash.name, field="name")
    skill.name = name
    session.flush()
    return skill


@all_or_nothing
def set_volunteer_skill(session, *, actor, volunteer_id, skill_code, level) -> VolunteerSkill:
    """Add one skill to a volunteer at ``level``, or change the level of one they have; the
    rest of their skills stay as they are (the profile edits one line at a time)."""
    ensure_can(actor, Permission.MANAGE_ROSTER)
    volunteer = volunteer_or_fail(session, volunteer_id, field="volunteer_id", lock=True)
    skill_or_fail(session, skill_code)
    if level not in set(SkillLevel):
        raise InvalidInput(LEVEL_RANGE, field="level")
    line = session.get(VolunteerSkill, (volunteer.id, skill_code))
    if line is None:
        line = VolunteerSkill(skill_code=skill_code, level=int(level))
        volunteer.skills.append(line)
    else:
        line.level = int(level)
    session.flush()
    return line


@all_or_nothing
def remove_volunteer_skill(session, *, actor, volunteer_id, skill_code) -> None:
    """Take one skill off a volunteer; one they do not have is already off."""
    ensure_can(actor, Permission.MANAGE_ROSTER)
    volunteer = volunteer_or_fail(session, volunteer_id, field="volunteer_id", lock=True)
    line = session.get(VolunteerSkill, (volunteer.id, skill_code))
    if line is not None:
        volunteer.skills.remove(line)
        session.flush()
