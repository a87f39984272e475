"""Register a household at its Puskesos, keep its members right, record its register status.

Front office (REGISTER_CASES) registers and keeps the members; the register status (DTKS /
DTSEN, decile) is checked by the back office (HANDLE_CASES) and may also be noted by the front
office at registration, so either may change it. Every operation checks the Puskesos scope
before it writes, flushes and never commits, and leaves a CHANGE row in the audit trail.

A person lives in one household at a time: a NIK living elsewhere is refused (record a move),
and when two clerks put one NIK in two households at the same moment the unique NIK and the
one-open-membership index answer the loser with the same 409 (`models._person_elsewhere`).
A No. KK may carry any real kecamatan code, not only the desa's: families move, and the card
keeps the kecamatan where it was issued. Refusals never carry a full NIK or No. KK: they reach
logs and readers who may not see them.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from logistics.accounts.roles import Permission
from logistics.calendar import local_today
from logistics.core.atomic import all_or_nothing, idempotent
from logistics.core.identity import IdentityError, parse_kk, parse_nik
from logistics.core.masking import mask_number
from logistics.errors import InvalidInput, PermissionDenied
from logistics.i18n import N_
from logistics.referrals import access, audit, errors
from logistics.referrals.household_queries import household_for, member_of, open_membership
from logistics.referrals.household_schemas import nik_problems
from logistics.referrals.models import (
    AuditAction,
    Household,
    Membership,
    Person,
    Register,
    Relation,
)
from logistics.referrals.puskesos import puskesos_of_desa

DECILE_NEEDS_REGISTER = N_("A welfare decile comes with the register it was read from.")
CHECKED_IN_FUTURE = N_("A register check cannot be dated in the future.")
START_IN_FUTURE = N_("Cannot start in the future.")
END_IN_FUTURE = N_("Cannot end in the future.")
END_BEFORE_START = N_("Cannot end before the member joined this household (%(day)s).")
SAME_HOUSEHOLD = N_("The member already lives in this household.")
NEW_HEAD_NEEDED = N_("The head leaves: choose who heads the household now.")
PERSON_FIELDS = ("name", "sex", "birth_date", "is_disabled", "disability")
REGISTER_KEEPERS = (Permission.HANDLE_CASES, Permission.REGISTER_CASES)


def _refuse_problems(found: dict[str, str], prefix: str = "") -> None:
    for field, message in found.items():
        raise InvalidInput(message, field=prefix + field)


def _person_facts(row: dict, prefix: str = "") -> dict:
    """A member as typed, checked against its NIK, the birth date taken from it if not given."""
    nik = row.get("nik") or None
    _refuse_problems(nik_problems(nik, row.get("sex"), row.get("birth_date")), prefix)
    facts = {name: row.get(name) for name in PERSON_FIELDS}
    facts["name"] = row["name"].strip()
    facts["nik"] = parse_nik(nik).number if nik else None
    facts["birth_date"] = row.get("birth_date") or (parse_nik(nik).birth_date if nik else None)
    facts["is_disabled"] = bool(row.get("is_disabled") or row.get("disability"))
    return facts


def _check_day(day: date, today: date, message: str, field: str) -> date:
    if day > today:
        raise InvalidInput(message, field=field)
    return day


def _check_register(register, decile, checked_on, today, prefix="") -> None:
    if decile is not None and register is None:
        raise InvalidInput(DECILE_NEEDS_REGISTER, field="welfare_decile")
    if checked_on is not None:
        _check_day(checked_on, today, CHECKED_IN_FUTURE, prefix + "checked_on")


def _person_for(session, facts: dict, field: str) -> Person:
    """The person with this NIK if known and living nowhere now (brought up to date with the
    card), else a new one; a NIK living in a household is refused."""
    person = session.scalar(select(Person).where(Person.nik == facts["nik"])) \
        if facts["nik"] else None
    if person is None:
        return Person(**{name: facts[name] for name in ("nik", *PERSON_FIELDS)})
    if open_membership(session, person.id) is not None:
        raise errors.PersonInAnotherHousehold(nik=mask_number(person.nik), field=field)
    for name in PERSON_FIELDS:
        setattr(person, name, facts[name])
    return person


def _changed(session, actor, household_ids, what: str) -> None:
    audit.record_access(session, actor=actor, household_ids=household_ids,
                        action=AuditAction.CHANGE, what=what)


@idempotent("slrt.register_household")
def register_household(session, *, actor, kk_number, desa_code, address, members, rt=None,
                       rw=None, phone=None, register=None, welfare_decile=None,
                       register_checked_on=None, today=None) -> Household:
    """Register a family as on its Kartu Keluarga, with everyone on it."""
    puskesos = puskesos_of_desa(session, desa_code)
    access.ensure_may(session, actor, Permission.REGISTER_CASES, puskesos)
    today = today or local_today()
    try:
        kk = parse_kk(kk_number)
    except IdentityError as error:
        raise InvalidInput(error.message, field="kk_number") from None
    _check_register(register, welfare_decile, register_checked_on, today, "register_")
    rows = [_person_facts(row, f"members.{i}.") for i, row in enumerate(members)]
    if [row.get("relation") for row in members].count(Relation.HEAD) != 1:
        raise errors.OneHeadOnly(field="members")
    niks = [row["nik"] for row in rows if row["nik"]]
    if len(niks) != len(set(niks)):
        raise errors.SameNikTwice(field="members")
    holder = session.scalar(select(Household).where(Household.kk_number == kk))
    if holder is not None:
        raise errors.KkTaken(kk=mask_number(kk), desa=holder.desa.name if holder.desa else "-",
                             field="kk_number")
    people = [_person_for(session, row, f"members.{i}.nik") for i, row in enumerate(rows)]
    household = Household(
        kk_number=kk, puskesos_id=puskesos.id, desa_code=puskesos.desa_code,
        address=address.strip(), rt=rt, rw=rw, phone=phone,
        register=Register(register).value if register else None, welfare_decile=welfare_decile,
        register_checked_on=register_checked_on or (today if register else None),
        registered_by_id=actor.id)
    session.add(household)
    for person, row in zip(people, members, strict=True):
        session.add(Membership(person=person, household=household, relation=row["relation"],
                               started_on=today))
    session.flush()
    _changed(session, actor, [household.id], "household registered")
    return household


@all_or_nothing
def add_member(session, *, actor, household_id, name, sex, relation, nik=None,
               birth_date=None, is_disabled=False, disability=None, started_on=None,
               today=None) -> Membership:
    """Someone joins the household (a birth, a marriage, a relative taken in)."""
    household = household_for(session, actor, household_id, Permission.REGISTER_CASES,
                              lock=True)
    today = today or local_today()
    started_on = _check_day(started_on or today, today, START_IN_FUTURE, "started_on")
    facts = _person_facts({"nik": nik, "name": name, "sex": sex, "birth_date": birth_date,
                           "is_disabled": is_disabled, "disability": disability})
    if relation == Relation.HEAD and household.head is not None:
        raise errors.OneHeadOnly(field="relation")
    membership = Membership(person=_person_for(session, facts, "nik"), household=household,
                            relation=relation, started_on=started_on)
    session.add(membership)
    session.flush()
    _changed(session, actor, [household.id], "member added")
    return membership


@all_or_nothing
def edit_member(session, *, actor, household_id, person_id, **changes) -> Membership:
    """Correct a member: name, sex, birth date, disability, relation, or a mistyped NIK."""
    household = household_for(session, actor, household_id, Permission.REGISTER_CASES,
                              lock=True)
    membership = member_of(session, household, person_id)
    person = membership.person
    unknown = set(changes) - {"nik", "relation", *PERSON_FIELDS}
    if unknown:
        raise TypeError(f"cannot change {sorted(unknown)}")
    after = {name: changes.get(name, getattr(person, name)) for name in ("nik", *PERSON_FIELDS)}
    if "nik" in changes and "birth_date" not in changes and after["nik"]:
        after["birth_date"] = None  # a corrected NIK brings its own birth date
    facts = _person_facts(after)
    if facts["nik"] and facts["nik"] != person.nik:
        other = session.scalar(select(Person.id).where(Person.nik == facts["nik"],
                                                       Person.id != person.id))
        if other is not None:
            raise errors.PersonInAnotherHousehold(nik=mask_number(facts["nik"]), field="nik")
    relation = changes.get("relation", membership.relation)
    if relation != membership.relation and Relation.HEAD in (relation, membership.relation):
        raise errors.OneHeadOnly(field="relation")  # the head changes by naming a new one
    for name in ("nik", *PERSON_FIELDS):
        setattr(person, name, facts[name])
    membership.relation = relation
    session.flush()
    _changed(session, actor, [household.id], "member corrected: " + ", ".join(sorted(changes)))
    return membership


def _leave(session, household: Household, membership: Membership, *, on, reason,
           new_head_id, today) -> None:
    """End the membership on ``on``; a head leaving others behind names the new head."""
    _check_day(on, today, END_IN_FUTURE, "on")
    if on < membership.started_on:
        raise InvalidInput(END_BEFORE_START, field="on", day=membership.started_on.isoformat())
    if membership.relation == Relation.HEAD:
        staying = [m for m in household.members if m.person_id != membership.person_id]
        if staying:
            heir = next((m for m in staying if m.person_id == new_head_id), None)
            if heir is None:
                raise InvalidInput(NEW_HEAD_NEEDED, field="new_head_id")
            heir.relation = Relation.HEAD
    membership.ended_on, membership.end_reason = on, reason.strip()
    session.flush()


@all_or_nothing
def move_member(session, *, actor, household_id, person_id, to_household_id, reason,
                on=None, relation=Relation.OTHER, new_head_id=None, today=None) -> Membership:
    """The member moves to another registered household: both Puskesos must be the actor's
    (a move takes a person out of one Puskesos's care into another's)."""
    household = household_for(session, actor, household_id, Permission.REGISTER_CASES,
                              lock=True)
    target = household_for(session, actor, to_household_id, Permission.REGISTER_CASES,
                           lock=True)
    membership = member_of(session, household, person_id)
    if target.id == household.id:
        raise InvalidInput(SAME_HOUSEHOLD, field="to_household_id")
    if relation == Relation.HEAD and target.head is not None:
        raise errors.OneHeadOnly(field="relation")
    today = today or local_today()
    on = on or today
    _leave(session, household, membership, on=on, reason=reason, new_head_id=new_head_id,
           today=today)
    moved = Membership(person_id=person_id, household=target, relation=relation, started_on=on)
    session.add(moved)
    session.flush()
    _changed(session, actor, [household.id, target.id], "member moved")
    return moved


@all_or_nothing
def end_membership(session, *, actor, household_id, person_id, reason, on=None,
                   new_head_id=None, today=None) -> Membership:
    """The member died or left for somewhere not registered here."""
    household = household_for(session, actor, household_id, Permission.REGISTER_CASES,
                              lock=True)
    membership = member_of(session, household, person_id)
    today = today or local_today()
    _leave(session, household, membership, on=on or today, reason=reason,
           new_head_id=new_head_id, today=today)
    _changed(session, actor, [household.id], "membership ended")
    return membership


def _ensure_any(session, actor, household: Household, permissions) -> None:
    """Pass if the actor holds one of ``permissions`` within the household's Puskesos."""
    refusal: PermissionDenied = PermissionDenied()
    for permission in permissions:
        if actor is not None and actor.can(permission):
            try:
                access.ensure_may(session, actor, permission, household.puskesos)
                return
            except PermissionDenied as error:
                refusal = error
    raise refusal


def may_update_register(session, actor, household: Household) -> bool:
    try:
        _ensure_any(session, actor, household, REGISTER_KEEPERS)
    except PermissionDenied:
        return False
    return True


@all_or_nothing
def update_register_status(session, *, actor, household_id, register, checked_on,
                           welfare_decile=None, today=None) -> Household:
    """Record the result of checking the household in DTKS / DTSEN (None: not listed)."""
    household = household_for(session, actor, household_id, Permission.VIEW_CASES, lock=True)
    _ensure_any(session, actor, household, REGISTER_KEEPERS)
    _check_register(register, welfare_decile, checked_on, today or local_today())
    household.register = Register(register).value if register else None
    household.welfare_decile = welfare_decile
    household.register_checked_on = checked_on
    session.flush()
    _changed(session, actor, [household.id], "register status")
    return household
