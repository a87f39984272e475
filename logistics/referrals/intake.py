"""From disaster to SLRT: household assessments that meet an intake condition enter the desa's
Puskesos queue as cases, linked to the event, one household per No. KK.

The conditions are rows (`IntakeCondition`): which finding of the assessment is tested and
against what. A household already registered (same No. KK) is reused; an open case gets the new
need added instead of a second case; the same assessment imported again adds nothing (a need
is unique per case, assessment and category). Two imports racing for one No. KK meet at the
unique No. KK and the one-open-case index: the loser's savepoint rolls back and it reads the
winner's rows, so the end state is the same whichever came first.

Assessments without a No. KK are counted and left to the Puskesos: no household is invented.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from logistics.calendar import local_today
from logistics.core.identity import IdentityError, parse_kk, parse_nik
from logistics.errors import InvalidInput
from logistics.i18n import N_
from logistics.referrals import cases
from logistics.referrals.case_models import Case, CaseStatus, IntakeCondition, Need, Source
from logistics.referrals.errors import UnknownPuskesos
from logistics.referrals.models import Household, Membership, Person, Relation
from logistics.referrals.puskesos import puskesos_of_desa

DAMAGE_ORDER = ("tidak_rusak", "rusak_ringan", "rusak_sedang", "rusak_berat")


YES, NO = frozenset({"true", "1", "ya", "yes"}), frozenset({"false", "0", "tidak", "no"})


def _damage_at_least(assessment, value: str) -> bool:
    return DAMAGE_ORDER.index(assessment.house_damage) >= DAMAGE_ORDER.index(value)


def _flag(name: str):
    return lambda assessment, value: bool(getattr(assessment, name)) == (value in YES)


def _any_member(name: str):
    return lambda assessment, value: any(getattr(m, name) for m in assessment.members) == (
        value in YES)


def _is_damage(value: str) -> bool:
    return value in DAMAGE_ORDER


def _is_flag(value: str) -> bool:
    return value in YES | NO


def _is_count(value: str) -> bool:
    return value.isascii() and value.isdigit() and int(value) >= 1


# What a condition's ``finding`` may name: a test of the assessment against the row's value,
# and what a value must look like for that test to read it (checked when the row is saved).
TESTS: dict[str, tuple[Callable, Callable[[str], bool]]] = {
    "house_damage": (_damage_at_least, _is_damage),
    "lost_livelihood": (_flag("lost_livelihood"), _is_flag),
    "deaths": (lambda a, value: (a.deaths or 0) >= int(value), _is_count),
    "disabled_member": (_any_member("is_disabled"), _is_flag),
    "pregnant_member": (_any_member("is_pregnant"), _is_flag),
}
VALUE_UNREADABLE = N_("The condition %(finding)s cannot read this value: %(expected)s.")
EXPECTED = {_is_damage: ", ".join(DAMAGE_ORDER), _is_flag: "true / false",
            _is_count: "1, 2, 3 …"}


def check_value(finding: str, value: str) -> str:
    """The value as stored, or InvalidInput on ``value`` when the finding's test cannot read
    it (a threshold of "dua" deaths would silently never match, "-1" would always)."""
    value = (value or "").strip().lower()
    test = TESTS.get(finding)
    if test is None or not test[1](value):
        expected = EXPECTED[test[1]] if test else ", ".join(TESTS)
        raise InvalidInput(VALUE_UNREADABLE, field="value", finding=finding, expected=expected)
    return value


@dataclass
class Intake:
    """What an intake did, for the import summary and the event page."""

    cases_opened: list[int] = field(default_factory=list)
    needs_added: int = 0
    households_registered: int = 0
    without_kk: int = 0  # met a condition but carry no No. KK: the Puskesos follows up
    without_puskesos: int = 0  # in a desa whose Puskesos is closed
    living_elsewhere: int = 0  # a new No. KK whose people all live in other households


def conditions_met(conditions: Iterable[IntakeCondition], assessment) -> list[IntakeCondition]:
    """The active conditions the assessment meets; a finding or value no test reads (a row
    written around `check_value`) never matches."""
    met = []
    for condition in conditions:
        test, readable = TESTS.get(condition.finding, (None, None))
        value = (condition.value or "").strip().lower()
        if condition.is_active and test is not None and readable(value) \
                and test(assessment, value):
            met.append(condition)
    return met


def active_conditions(session) -> list[IntakeCondition]:
    return list(session.scalars(select(IntakeCondition).where(IntakeCondition.is_active)
                                .order_by(IntakeCondition.id)))


def household_for(session, *, actor, assessment, intake: Intake) -> Household:
    """The registered household with the assessment's No. KK, registered from it if new."""
    kk = assessment.kk_number
    household = session.scalar(select(Household).where(Household.kk_number == kk))
    if household is not None:
        return household
    try:
        with session.begin_nested():
            household = _register_from(session, actor=actor, assessment=assessment)
    except IntegrityError:  # another import registered this No. KK first: use theirs
        household = session.scalar(select(Household).where(Household.kk_number == kk)
                                   .execution_options(populate_existing=True))
        if household is None:
            raise
        return household
    intake.households_registered += 1
    return household


class NobodyToRegister(Exception):
    """Everyone the assessment lists already lives in another household."""


def _register_from(session, *, actor, assessment) -> Household:
    """A household prefilled from the assessment: the Puskesos completes it at its first
    visit (birth dates, register status). The assessed head heads it, also when the form
    lists only the others; a member whose NIK lives in another household keeps that place
    and is left out (the Puskesos records a move if the family moved), and the first one
    kept heads the household when the head is among those left out."""
    rows = _people_of(assessment)
    known = _people_by_nik(session, [row["nik"] for row in rows if row["nik"]])
    kept = []
    for row in rows:
        person = known.get(row["nik"]) if row["nik"] else None
        if person is not None and _lives_somewhere(session, person):
            continue
        if person is None:
            person = Person(**row)
            if row["nik"]:
                known[row["nik"]] = person
        if person not in kept:
            kept.append(person)
    if not kept:
        raise NobodyToRegister()
    puskesos = puskesos_of_desa(session, assessment.desa_code)
    household = Household(kk_number=assessment.kk_number, puskesos_id=puskesos.id,
                          desa_code=assessment.desa_code,
                          address=assessment.address or "-", registered_by_id=actor.id)
    session.add(household)
    for position, person in enumerate(kept):
        session.add(Membership(person=person, household=household,
                               relation=Relation.HEAD if position == 0 else Relation.OTHER,
                               started_on=assessment.assessed_on))
    session.flush()
    return household


def _people_of(assessment) -> list[dict]:
    """The assessment's people, the head first (added from the head's fields if the member
    rows leave them out), with what a NIK says of sex and birth date."""
    head_nik = _valid_nik(assessment.head_nik)
    rows = [_person_row(_valid_nik(m.nik), m.name, m.sex, m.is_disabled)
            for m in assessment.members]
    head_name = (assessment.head_name or "").strip().casefold()
    head = next((i for i, row in enumerate(rows) if _is_head(row, head_nik, head_name)), None)
    if head is None:
        return [_person_row(head_nik, assessment.head_name, None, False), *rows]
    return [rows[head], *rows[:head], *rows[head + 1:]]


def _is_head(row: dict, head_nik: str | None, head_name: str) -> bool:
    """The row is the head's: by NIK when both have one, else by name."""
    if head_nik and row["nik"]:
        return row["nik"] == head_nik
    return row["name"].strip().casefold() == head_name


def _person_row(nik: str | None, name: str, sex: str | None, is_disabled: bool) -> dict:
    facts = parse_nik(nik) if nik else None
    if facts is not None:
        sex = "P" if facts.sex == "F" else "L"
    return {"nik": nik, "name": name, "sex": sex or "L", "is_disabled": bool(is_disabled),
            "birth_date": facts.birth_date if facts else None}


def _people_by_nik(session, niks: list[str]) -> dict[str, Person]:
    if not niks:
        return {}
    return {person.nik: person for person in session.scalars(
        select(Person).where(Person.nik.in_(niks)))}


def _lives_somewhere(session, person: Person) -> bool:
    return person.id is not None and session.scalar(
        select(Membership.id).where(Membership.person_id == person.id,
                                    Membership.ended_on.is_(None))) is not None


def _valid_nik(nik: str | None) -> str | None:
    if not nik:
        return None
    try:
        parse_nik(nik, today=local_today())
    except IdentityError:
        return None
    return nik


def has_valid_kk(assessment) -> bool:
    if not assessment.kk_number:
        return False
    try:
        parse_kk(assessment.kk_number)
    except IdentityError:
        return False
    return True


def take_assessments(session, *, actor, assessments: Iterable) -> Intake:
    """Feed recorded household assessments into the pipeline, in the caller's transaction:
    each that meets a condition gets its household (by No. KK) and its needs on the
    household's open case, or a new case in pendaftaran linked to the event."""
    conditions = active_conditions(session)
    result = Intake()
    for assessment in assessments:
        met = conditions_met(conditions, assessment)
        if not met:
            continue
        if not has_valid_kk(assessment):
            result.without_kk += 1
            continue
        new = _needs_not_taken(session, assessment, met)
        if not new:
            continue  # imported again: every need is already in a case, open or closed
        try:
            household = household_for(session, actor=actor, assessment=assessment,
                                      intake=result)
        except UnknownPuskesos:
            result.without_puskesos += 1
            continue
        except NobodyToRegister:
            result.living_elsewhere += 1
            continue
        before = _open_case_id(session, household.id)
        case = cases.open_case(
            session, actor=actor, household_id=household.id, source=Source.DISASTER,
            event_id=assessment.event_id,
            needs=[{"category": c.category, "description": c.description,
                    "household_assessment_id": assessment.id} for c in new])
        if case.id != before:
            result.cases_opened.append(case.id)
        result.needs_added += len(new)
    return result


def _needs_not_taken(session, assessment, met: list[IntakeCondition]) -> list[IntakeCondition]:
    taken = set(session.scalars(select(Need.category)
                                .where(Need.household_assessment_id == assessment.id)))
    return [condition for condition in met if condition.category not in taken]


def _open_case_id(session, household_id: int) -> int | None:
    return session.scalar(select(Case.id).where(Case.household_id == household_id,
                                                Case.status != CaseStatus.CLOSED))
