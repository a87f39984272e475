"""Record what assessors found: kaji cepat per desa, households with their members.

Operations take the session and the actor as keyword arguments, add and flush, never commit.
Every rule that needs the database or the date (the event still open, the desa inside its
area, the posko of this event, the day not in the future) is checked at once, so a form or an
API call gets every problem beside its field in one answer (`AssessmentInvalid`).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from logistics.calendar import local_today
from logistics.core.atomic import all_or_nothing, idempotent
from logistics.emergency import errors
from logistics.emergency.access import ensure_may_assess_in
from logistics.emergency.assessment_models import (
    HouseholdAssessment,
    HouseholdMember,
    RapidAssessment,
)
from logistics.emergency.lookups import desa_in_event, event_or_fail, open_event
from logistics.emergency.models import Event, Posko
from logistics.errors import DomainError, InvalidInput, NotFound
from logistics.i18n import N_
from logistics.regions.models import Level, Region

FUTURE_ASSESSMENT = N_("An assessment cannot be dated in the future.")
BEFORE_EVENT = N_("An assessment cannot be dated before the event started.")
RAPID_COUNTS = ("dead", "missing", "injured", "displaced", "houses_light", "houses_moderate",
                "houses_heavy", "facilities_damaged")
HOUSEHOLD_FIELDS = ("kk_number", "head_name", "head_nik", "address", "house_damage",
                    "lost_livelihood", "deaths", "urgent_needs")


class AssessmentInvalid(InvalidInput):
    """Several rules broken at once; ``problems`` holds each, on its field."""

    message = N_("%(count)s problems; nothing was recorded.")

    def __init__(self, problems: list[DomainError]):
        self.problems = problems
        super().__init__(count=len(problems), field=problems[0].field)


class UnknownHousehold(NotFound):
    message = N_("No such household assessment.")


class PoskoOfAnotherEvent(InvalidInput):
    message = N_("Posko %(posko)s belongs to another event.")


def rule_problems(session, event: Event, data: dict, *, today, prefix: str = ""
                  ) -> list[DomainError]:
    """Every rule ``data`` breaks that the schema cannot see (fields named with ``prefix``).

    Only the fields present are checked, so a page can ask this beside the schema's errors.
    """
    problems: list[DomainError] = []
    if data.get("desa_code"):
        try:
            desa_in_event(session, event, data["desa_code"], field=f"{prefix}desa_code")
        except DomainError as error:
            problems.append(error)
    day = data.get("assessed_on")
    if day is not None and day > today:
        problems.append(InvalidInput(FUTURE_ASSESSMENT, field=f"{prefix}assessed_on"))
    elif day is not None and day < event.started_on:
        problems.append(InvalidInput(BEFORE_EVENT, field=f"{prefix}assessed_on"))
    if data.get("posko_id") is not None:
        posko = session.get(Posko, data["posko_id"])
        if posko is None:
            problems.append(errors.UnknownPosko(field=f"{prefix}posko_id"))
        elif posko.event_id != event.id:
            problems.append(PoskoOfAnotherEvent(posko=posko.code, field=f"{prefix}posko_id"))
    return problems


def _checked_event(session, actor, event_id, data, today) -> Event:
    event = open_event(session, event_id, today, field=None)
    ensure_may_assess_in(session, actor, event)
    if problems := rule_problems(session, event, data, today=today):
        raise problems[0] if len(problems) == 1 else AssessmentInvalid(problems)
    return event


@idempotent("emergency.rapid_assessment")
def record_rapid_assessment(session, *, actor, event_id, desa_code, assessed_on,
                            facilities_note=None, access_cut=False, notes=None,
                            submission_id=None, today=None, **counts) -> RapidAssessment:
    """Record one visit's kaji cepat for a desa of the event (a later visit adds another)."""
    today = today or local_today()
    event = _checked_event(session, actor, event_id,
                           {"desa_code": desa_code, "assessed_on": assessed_on}, today)
    unknown = set(counts) - set(RAPID_COUNTS)
    if unknown:
        raise TypeError(f"unknown counts {sorted(unknown)}")
    assessment = RapidAssessment(
        event_id=event.id, desa_code=desa_code, assessed_on=assessed_on,
        facilities_note=facilities_note, access_cut=access_cut, notes=notes,
        submission_id=submission_id, recorded_by_id=actor.id,
        **{name: counts.get(name, 0) for name in RAPID_COUNTS})
    session.add(assessment)
    session.flush()
    return assessment


def _members(rows: list[dict], head_name: str, head_nik: str | None) -> list[HouseholdMember]:
    """Members in form order, except that the head (same NIK, else same name) comes first."""
    rows = list(rows)
    head = next((i for i, row in enumerate(rows) if head_nik and row.get("nik") == head_nik),
                None)
    if head is None:
        head = next((i for i, row in enumerate(rows)
                     if row["name"].strip().casefold() == head_name.strip().casefold()), None)
    if head:
        rows.insert(0, rows.pop(head))
    return [HouseholdMember(
        position=position, name=row["name"], nik=row.get("nik"), sex=row["sex"],
        age=row.get("age"), relation=row.get("relation"),
        is_pregnant=row.get("is_pregnant", False),
        is_breastfeeding=row.get("is_breastfeeding", False),
        is_disabled=row.get("is_disabled", False)) for position, row in enumerate(rows)]


@idempotent("emergency.household_assessment")
def record_household_assessment(session, *, actor, event_id, desa_code, assessed_on,
                                 head_name, house_damage, members=(), posko_id=None,
                                 submission_id=None, today=None, **details
                                 ) -> HouseholdAssessment:
    """Record one household's losses and needs, with its members (the head first)."""
    today = today or local_today()
    event = _checked_event(session, actor, event_id, {
        "desa_code": desa_code, "assessed_on": assessed_on, "posko_id": posko_id}, today)
    household = HouseholdAssessment(event_id=event.id, recorded_by_id=actor.id,
                                    submission_id=submission_id)
    fill_household(household, desa_code=desa_code, assessed_on=assessed_on, posko_id=posko_id,
                   head_name=head_name, house_damage=house_damage, members=members,
                   **details)
    session.add(household)
    session.flush()
    return household


def fill_household(household: HouseholdAssessment, *, members, **values) -> None:
    """Set every field: a value not given is cleared, as a correction states the whole record."""
    household.desa_code = values["desa_code"]
    household.assessed_on = values["assessed_on"]
    household.posko_id = values.get("posko_id")
    for name in HOUSEHOLD_FIELDS:
        default = False if name == "lost_livelihood" else 0 if name == "deaths" else None
        setattr(household, name, values.get(name, default))
    household.members = _members(members, values["head_name"], values.get("head_nik"))


@all_or_nothing
def correct_household_assessment(session, *, actor, household_id, desa_code, assessed_on,
                                 head_name, house_damage, members=(), posko_id=None,
                                 today=None, **details) -> HouseholdAssessment:
    """Replace a household record whole (members too) with what the assessor now states."""
    today = today or local_today()
    household = household_or_fail(session, household_id)
    _checked_event(session, actor, household.event_id, {
        "desa_code": desa_code, "assessed_on": assessed_on, "posko_id": posko_id}, today)
    household.members = []
    session.flush()  # the old members go before the new ones take their places
    fill_household(household, desa_code=desa_code, assessed_on=assessed_on, posko_id=posko_id,
                   head_name=head_name, house_damage=house_damage, members=members,
                   **details)
    session.flush()
    return household


def household_or_fail(session, household_id: int) -> HouseholdAssessment:
    household = session.get(HouseholdAssessment, household_id)
    if household is None:
        raise UnknownHousehold()
    return household


def household_by_submission(session, submission_ids) -> dict[str, HouseholdAssessment]:
    ids = [value for value in submission_ids if value]
    if not ids:
        return {}
    return {household.submission_id: household for household in session.scalars(
        select(HouseholdAssessment).options(selectinload(HouseholdAssessment.members))
        .where(HouseholdAssessment.submission_id.in_(ids)))}


# --- queries -----------------------------------------------------------------------------

def latest_rapid_assessments(session, event_id: int) -> list[RapidAssessment]:
    """The newest kaji cepat of each desa of the event (by day, then by when recorded)."""
    ranked = (select(RapidAssessment.id, func.row_number().over(
        partition_by=RapidAssessment.desa_code,
        order_by=(RapidAssessment.assessed_on.desc(), RapidAssessment.id.desc())).label("rank"))
        .where(RapidAssessment.event_id == event_id).subquery())
    return list(session.scalars(
        select(RapidAssessment).join(ranked, ranked.c.id == RapidAssessment.id)
        .where(ranked.c.rank == 1).options(selectinload(RapidAssessment.desa))
        .order_by(RapidAssessment.desa_code)))


def rapid_totals(assessments: list[RapidAssessment]) -> dict[str, int]:
    return {name: sum(getattr(a, name) for a in assessments) for name in RAPID_COUNTS} | {
        "access_cut": sum(1 for a in assessments if a.access_cut)}


def list_households(session, event_id: int, *, desa_code: str | None = None, limit: int = 50,
                    after: int | None = None) -> list[HouseholdAssessment]:
    """Up to ``limit + 1`` households of the event, newest first (keyset on the id)."""
    query = (select(HouseholdAssessment).where(HouseholdAssessment.event_id == event_id)
             .options(selectinload(HouseholdAssessment.members),
                      selectinload(HouseholdAssessment.desa))
             .order_by(HouseholdAssessment.id.desc()).limit(limit + 1))
    if desa_code:
        query = query.where(HouseholdAssessment.desa_code == desa_code)
    if after is not None:
        query = query.where(HouseholdAssessment.id < after)
    return list(session.scalars(query))


def event_desa(session, event_id: int) -> list[Region]:
    """The desa of the event's area: those it names and those of the kecamatan it names."""
    event = event_or_fail(session, event_id)
    named = {region.code for region in event.regions}
    return list(session.scalars(
        select(Region).where(Region.level == Level.DESA,
                             Region.code.in_(named) | Region.parent_code.in_(named))
        .order_by(Region.name, Region.code)))
