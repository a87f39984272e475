"""Opening SLRT cases and adding needs: the one door for a household's complaints.

A household has at most one open case (a partial unique index on the table). Opening a case
for a household that already has one adds the new needs to that case instead, so a walk-in,
an outreach visit and a disaster assessment of the same family all land in one file. Two
clerks (or two imports) opening at once meet at the index: the loser's savepoint rolls back
(its number with it, so numbering stays gap-free) and its needs go to the winner's case.

Called from the front office's pages and API and from the disaster-assessment intake:

    open_case(session, *, actor, household_id, source, needs, event_id=None,
              idempotency_key=None) -> Case
    add_need(session, *, actor, case_id, category, description,
             household_assessment_id=None) -> Need

``needs`` is a list of ``{"category": Category, "description": str}`` (may be empty only
when the household already has an open case). Both flush and never commit.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from logistics.accounts.roles import Permission
from logistics.calendar import local_today
from logistics.core import status
from logistics.core.atomic import all_or_nothing, idempotent
from logistics.core.numbering import next_number
from logistics.db import utcnow
from logistics.emergency.models import Event
from logistics.errors import PermissionDenied
from logistics.referrals import errors
from logistics.referrals.access import ensure_may, visible_puskesos_ids
from logistics.referrals.case_models import Case, CaseStatus, Need, Referral, Source, Step
from logistics.referrals.errors import CaseClosed
from logistics.referrals.flows import REFERRAL_FLOW
from logistics.referrals.models import Household

CASE_PREFIX = "SLRT"


def case_or_fail(session, case_id: int, *, fresh: bool = False) -> Case:
    case = session.get(Case, case_id, populate_existing=fresh)
    if case is None:
        raise errors.UnknownCase()
    return case


def referral_or_fail(session, referral_id: int, *, fresh: bool = False) -> Referral:
    referral = session.get(Referral, referral_id, populate_existing=fresh)
    if referral is None:
        raise errors.UnknownReferral()
    return referral


def ensure_any(session, actor, permissions, puskesos) -> None:
    """Let the actor through if one of ``permissions`` holds in this Puskesos (back office or
    manager may both record an agency's answer); otherwise the first refusal that applies."""
    refusal = None
    for permission in permissions:
        try:
            ensure_may(session, actor, permission, puskesos)
            return
        except PermissionDenied as error:
            if refusal is None or (actor is not None and actor.can(permission)):
                refusal = error
    raise refusal or PermissionDenied()


def write_step(session, *, actor, case_id: int, to: str, from_: str | None = None,
               referral_id: int | None = None, reason: str | None = None) -> Step:
    """The history row every move leaves: when, who, from, to and why."""
    step = Step(case_id=case_id, referral_id=referral_id, from_status=from_, to_status=to,
                reason=reason, actor_id=actor.id)
    session.add(step)
    session.flush()
    return step


def move_referral(session, *, actor, referral: Referral, to: str, from_: str | None,
                  reason: str | None = None, note_reason: bool = False, **values) -> str:
    """Move a referral through `REFERRAL_FLOW` and write its step (``note_reason``: keep the
    reason on the referral too, as the answer the household is told)."""
    if note_reason:
        values["reason"] = reason
    old = status.move(session, Referral, referral.id, REFERRAL_FLOW, to=to, from_=from_,
                      status_since=utcnow(), **values)
    write_step(session, actor=actor, case_id=referral.case_id, referral_id=referral.id,
               from_=old, to=to, reason=reason)
    session.refresh(referral)
    return old


def reason_given(reason: str | None, *, field: str = "reason") -> str:
    if not (reason or "").strip():
        raise errors.ReasonRequired(field=field)
    return reason.strip()


def _may_register(session, actor, household: Household, source: str) -> None:
    """The front office registers; a disaster assessment's intake is run by whoever records
    the assessments (posko staff, coordinator), so it may open cases from them too."""
    if source == Source.DISASTER and actor is not None \
            and actor.can(Permission.RECORD_ASSESSMENTS):
        return
    ensure_may(session, actor, Permission.REGISTER_CASES, household.puskesos)


def _open_case_of(session, household_id: int) -> Case | None:
    return session.scalar(select(Case).where(Case.household_id == household_id,
                                             Case.status != CaseStatus.CLOSED)
                          .execution_options(populate_existing=True))


@idempotent("slrt.open_case")
def open_case(session, *, actor, household_id, source, needs, event_id=None) -> Case:
    """Open the household's case in pendaftaran, numbered SLRT-<desa>-<year>-NNNNN, with its
    needs; if the household has an open case, the needs are added to that one instead."""
    household = session.get(Household, household_id)
    if household is None:
        raise errors.UnknownHousehold(field="household_id")
    _may_register(session, actor, household, source)
    if event_id is not None and session.get(Event, event_id) is None:
        raise errors.UnknownEvent(field="event_id")
    case = _open_case_of(session, household.id)
    if case is None:
        case = _new_case(session, actor=actor, household=household, source=source,
                         event_id=event_id)
    elif event_id is not None and case.event_id is None:
        case.event_id = event_id  # a walk-in case later hit by the disaster
    for need in needs:
        _add(session, actor=actor, case=case, category=need["category"],
             description=need["description"],
             household_assessment_id=need.get("household_assessment_id"))
    session.flush()
    return case


def _new_case(session, *, actor, household: Household, source, event_id) -> Case:
    """Insert the case in a savepoint; losing the race to another open gives theirs."""
    try:
        with session.begin_nested():
            case = Case(number=next_number(session, CASE_PREFIX,
                                           household.desa_code.replace(".", ""),
                                           local_today().year),
                        household_id=household.id, puskesos_id=household.puskesos_id,
                        source=source, event_id=event_id, status=CaseStatus.REGISTERED,
                        registered_by_id=actor.id)
            session.add(case)
            session.flush()
            write_step(session, actor=actor, case_id=case.id, to=CaseStatus.REGISTERED)
            return case
    except IntegrityError:
        case = _open_case_of(session, household.id)
        if case is None:
            raise
        return case


@all_or_nothing
def add_need(session, *, actor, case_id, category, description,
             household_assessment_id=None) -> Need:
    """Add a need to an open case (front office, back office, or the assessment intake); the
    same assessment's need added again returns the one already there."""
    case = case_or_fail(session, case_id)
    if household_assessment_id is not None and actor is not None \
            and actor.can(Permission.RECORD_ASSESSMENTS):
        pass  # the intake of a disaster assessment
    else:
        ensure_any(session, actor, (Permission.REGISTER_CASES, Permission.HANDLE_CASES),
                   case.puskesos)
    return _add(session, actor=actor, case=case, category=category, description=description,
                household_assessment_id=household_assessment_id)


def _add(session, *, actor, case: Case, category, description,
         household_assessment_id=None) -> Need:
    if case.status == CaseStatus.CLOSED:
        raise CaseClosed(number=case.number)
    if household_assessment_id is not None:
        earlier = session.scalar(select(Need).where(
            Need.case_id == case.id, Need.category == category,
            Need.household_assessment_id == household_assessment_id))
        if earlier is not None:
            return earlier
    need = Need(case_id=case.id, category=str(category), description=description.strip(),
                household_assessment_id=household_assessment_id, added_by_id=actor.id)
    session.add(need)
    session.flush()
    session.refresh(case, ["needs"])
    return need


def list_cases(session, actor, *, status=None, puskesos_id=None, household_id=None,
               after: int | None = None, limit: int = 50) -> list[Case]:
    """Cases the actor may see, newest first (keyset on id)."""
    query = select(Case).order_by(Case.id.desc()).limit(limit)
    allowed = visible_puskesos_ids(session, actor)
    if allowed is not None:
        query = query.where(Case.puskesos_id.in_(allowed or {0}))
    if status:
        query = query.where(Case.status == status)
    if puskesos_id:
        query = query.where(Case.puskesos_id == puskesos_id)
    if household_id:
        query = query.where(Case.household_id == household_id)
    if after:
        query = query.where(Case.id < after)
    return list(session.scalars(query))


def steps_of(session, case_id: int) -> list[Step]:
    return list(session.scalars(select(Step).where(Step.case_id == case_id)
                                .order_by(Step.at, Step.id)))


def visible_case(session, actor, case_id: int) -> Case:
    """The case, if the actor may see its Puskesos (404 / 403 otherwise)."""
    case = case_or_fail(session, case_id)
    ensure_may(session, actor, Permission.VIEW_CASES, case.puskesos)
    return case
