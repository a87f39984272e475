"""Programmes, intake conditions and step limits as data the Dinas Sosial edits, and the
eligibility advice a programme gives for a household.

Advice, never a refusal: the register and its deciles change (DTKS gives way to DTSEN) faster
than any rule written in code, and the back office knows things the register does not. Each
piece of advice is an ``N_`` text with its params, so it reads in the viewer's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from logistics.accounts.roles import Permission
from logistics.core.atomic import all_or_nothing
from logistics.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from logistics.i18n import N_
from logistics.referrals import intake
from logistics.referrals.case_models import (
    CaseStatus,
    Category,
    IntakeCondition,
    Programme,
    StepLimit,
)
from logistics.referrals.models import REGISTER_LABELS, Register

EDITABLE = ("name", "agency", "agency_address", "kind", "categories", "max_decile",
            "needs_register", "eligibility_note", "is_active")
LIMITED_STEPS = (CaseStatus.REGISTERED, CaseStatus.HANDLING, CaseStatus.DECIDING,
                 CaseStatus.REFERRED)


class ProgrammeCodeTaken(Conflict):
    message = N_("A programme with code %(code)s already exists.")


class UnknownProgramme(NotFound):
    message = N_("No such programme.")


@dataclass(frozen=True)
class Advice:
    """One line of advice: ``fits`` False marks a doubt the back office should weigh."""

    text: str
    params: dict = field(default_factory=dict)
    fits: bool = True


def active_programmes(session) -> list[Programme]:
    return list(session.scalars(select(Programme).where(Programme.is_active)
                                .order_by(Programme.kind, Programme.name)))


def all_programmes(session) -> list[Programme]:
    return list(session.scalars(select(Programme).order_by(Programme.is_active.desc(),
                                                           Programme.name)))


def programme_or_fail(session, programme_id: int) -> Programme:
    programme = session.get(Programme, programme_id)
    if programme is None:
        raise UnknownProgramme()
    return programme


def categories_of(programme: Programme) -> list[str]:
    return [c for c in (programme.categories or "").split(",") if c]


def advice(programme: Programme, household, case_categories) -> list[Advice]:
    """What the programme's data says about this household and these needs."""
    notes = []
    decile = household.welfare_decile
    if programme.max_decile is not None:
        if decile is None:
            notes.append(Advice(N_("Welfare decile unknown; the programme takes deciles 1-"
                                   "%(max)s."), {"max": programme.max_decile}, fits=False))
        elif decile > programme.max_decile:
            notes.append(Advice(N_("Decile %(decile)s is above the programme's limit "
                                   "(1-%(max)s)."),
                                {"decile": decile, "max": programme.max_decile}, fits=False))
        else:
            notes.append(Advice(N_("Decile %(decile)s is within the programme's limit "
                                   "(1-%(max)s)."),
                                {"decile": decile, "max": programme.max_decile}))
    if programme.needs_register:
        if household.register in tuple(Register):
            notes.append(Advice(N_("Listed in %(register)s, as the programme requires."),
                                {"register": REGISTER_LABELS[Register(household.register)]}))
        elif household.register_checked_on is None:
            notes.append(Advice(N_("The programme requires a listing in DTKS/DTSEN; the "
                                   "register has not been checked."), fits=False))
        else:
            notes.append(Advice(N_("Not listed in DTKS/DTSEN, which the programme requires."),
                                fits=False))
    covered = [c for c in dict.fromkeys(case_categories) if c in categories_of(programme)]
    if covered:
        notes.append(Advice(N_("Covers the need: %(needs)s."),
                            {"needs": covered}))
    else:
        notes.append(Advice(N_("The programme does not list any of the case's needs."),
                            fits=False))
    return notes


def _ensure_admin(actor) -> None:
    if actor is None or not actor.can(Permission.MANAGE_PROGRAMMES):
        raise PermissionDenied()


def _categories(values) -> str:
    values = list(dict.fromkeys(str(v) for v in values or ()))
    for value in values:
        if value not in tuple(Category):
            raise InvalidInput(N_("Unknown category %(category)s."), field="categories",
                               category=value)
    return ",".join(values)


@all_or_nothing
def create_programme(session, *, actor, code, name, agency, kind, categories=(),
                     agency_address=None, max_decile=None, needs_register=False,
                     eligibility_note=None, is_active=True) -> Programme:
    """A new programme households can be referred to (admin)."""
    _ensure_admin(actor)
    code = code.strip().upper()
    if session.scalar(select(Programme.id).where(Programme.code == code)):
        raise ProgrammeCodeTaken(code=code, field="code")
    programme = Programme(code=code, name=name.strip(), agency=agency.strip(), kind=kind,
                          categories=_categories(categories), agency_address=agency_address,
                          max_decile=max_decile, needs_register=needs_register,
                          eligibility_note=eligibility_note, is_active=is_active)
    session.add(programme)
    session.flush()
    return programme


@all_or_nothing
def update_programme(session, *, actor, programme_id, **changes) -> Programme:
    """Change what is given (deactivate with ``is_active=False``); the code stays, as letters
    and reports name it."""
    _ensure_admin(actor)
    programme = programme_or_fail(session, programme_id)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unexpected arguments {sorted(unknown)}")
    if "categories" in changes:
        changes["categories"] = _categories(changes["categories"])
    for name, value in changes.items():
        setattr(programme, name, value.strip() if isinstance(value, str) else value)
    session.flush()
    return programme


def step_limits(session) -> dict[str, int]:
    return dict(session.execute(select(StepLimit.status, StepLimit.days)).all())


@all_or_nothing
def set_step_limit(session, *, actor, status, days) -> StepLimit:
    """Days a case may stay in a step before the queues call it overdue (admin)."""
    _ensure_admin(actor)
    if status not in tuple(LIMITED_STEPS):
        raise InvalidInput(N_("Only open steps have a limit."), field="status")
    limit = session.get(StepLimit, str(status))
    if limit is None:
        limit = StepLimit(status=str(status), days=days)
        session.add(limit)
    limit.days = days
    session.flush()
    return limit


def intake_conditions(session) -> list[IntakeCondition]:
    return list(session.scalars(select(IntakeCondition).order_by(IntakeCondition.id)))


@all_or_nothing
def update_intake_condition(session, *, actor, condition_id, is_active=None,
                            value=None) -> IntakeCondition:
    """Switch a condition on or off, or change its threshold (admin)."""
    _ensure_admin(actor)
    condition = session.get(IntakeCondition, condition_id)
    if condition is None:
        raise NotFound(N_("No such intake condition."))
    if is_active is not None:
        condition.is_active = is_active
    if value is not None:
        condition.value = intake.check_value(condition.finding, value)
    session.flush()
    return condition
