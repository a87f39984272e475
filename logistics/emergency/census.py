"""Record a posko's evacuee census, and read the latest one of each posko.

A census is never updated: a correction is a new census, so the history shows what was known
when. Event totals use each posko's latest census (by ``counted_at``, then id), taken from
posko still open today: a posko closed before today shelters nobody any more, whatever its
last count said.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from logistics.calendar import field_timezone, local_time, local_today
from logistics.core.atomic import idempotent
from logistics.emergency import errors
from logistics.emergency.access import ensure_may_record_at
from logistics.emergency.lookups import posko_or_fail
from logistics.emergency.models import Census, Event, Posko
from logistics.emergency.needs import ZERO, Population, Standard, capacity
from logistics.emergency.standards import standards_in_force
from logistics.errors import InvalidInput
from logistics.i18n import N_

GROUPS = ("under_five", "elderly", "disabled")
MOTHERS = ("pregnant", "breastfeeding")
COUNTS = ("households", "male", "female", *GROUPS, *MOTHERS)
COVERED_SPACE = "covered_space"


class CensusBeforeOpening(InvalidInput):
    message = N_("Posko %(posko)s opened on %(opened_on)s; a census cannot be dated earlier.")


class CensusRefused(InvalidInput):
    """Every rule a census broke, each on its own field, so one answer lists them all.

    Reads as its first problem where only one message fits (a log line, a flash)."""

    def __init__(self, problems: list[InvalidInput]):
        first = problems[0]
        super().__init__(first.message, field=first.field, **first.params)
        self.problems = problems


def as_utc(moment: datetime) -> datetime:
    """A moment typed without a zone is the field's local time (WIB, WITA or WIT)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=field_timezone())
    return moment.astimezone(UTC)


def coherence_problems(counts: dict) -> list[InvalidInput]:
    """The figures that do not add up, each on its field; a count not given is skipped (a
    form whose other fields failed is still checked as far as it can be)."""
    problems: list[InvalidInput] = []
    male, female = counts.get("male"), counts.get("female")
    if male is None or female is None:
        return problems
    persons = male + female
    if (counts.get("households") or 0) > persons:
        problems.append(errors.HouseholdsLargerThanPersons(persons=persons, field="households"))
    problems += [errors.GroupLargerThanPersons(persons=persons, field=name)
                 for name in GROUPS if (counts.get(name) or 0) > persons]
    young, old = counts.get("under_five") or 0, counts.get("elderly") or 0
    if young <= persons and old <= persons and young + old > persons:
        problems.append(errors.AgeGroupsLargerThanPersons(persons=persons, field="elderly"))
    problems += [errors.MothersLargerThanFemale(female=female, field=name)
                 for name in MOTHERS if (counts.get(name) or 0) > female]
    return problems


@idempotent("emergency.census")
def record_census(session, *, actor, posko_id, counted_at: datetime, households, male, female,
                  under_five=0, pregnant=0, breastfeeding=0, elderly=0, disabled=0, notes=None,
                  today=None) -> Census:
    """Add a census to the posko's history (staff only at their posko); every figure that
    does not add up, and a moment in the future, is refused in one answer."""
    posko = posko_or_fail(session, posko_id)
    ensure_may_record_at(session, actor, posko)
    counted_at = as_utc(counted_at)
    day = local_time(counted_at).date()
    today = today or local_today()
    event = session.get(Event, posko.event_id)
    if event.ended_on is not None and event.ended_on < day:
        raise errors.EventEnded(number=event.number, ended_on=event.ended_on)
    if posko.closed_on is not None and posko.closed_on < day:
        raise errors.PoskoClosed(posko=posko.code, closed_on=posko.closed_on)
    counts = dict(households=households, male=male, female=female, under_five=under_five,
                  pregnant=pregnant, breastfeeding=breastfeeding, elderly=elderly,
                  disabled=disabled)
    problems = coherence_problems(counts)
    if counted_at > datetime.now(UTC) or day > today:
        problems.insert(0, errors.CensusInFuture(field="counted_at"))
    elif day < posko.opened_on:
        problems.insert(0, CensusBeforeOpening(posko=posko.code, opened_on=posko.opened_on,
                                               field="counted_at"))
    if problems:
        raise CensusRefused(problems)
    census = Census(posko_id=posko.id, counted_at=counted_at, notes=notes,
                    recorded_by_id=actor.id, **counts)
    session.add(census)
    session.flush()
    return census


def latest_censuses(session, event_id: int | None = None,
                    posko_ids=None) -> dict[int, Census]:
    """Per posko, its latest census (latest ``counted_at``, the later record on a tie), in
    one query: a window over the censuses, which SQLite and PostgreSQL both run."""
    rank = func.row_number().over(partition_by=Census.posko_id,
                                  order_by=(Census.counted_at.desc(), Census.id.desc()))
    ranked = select(Census.id.label("id"), rank.label("rank"))
    if event_id is not None:
        ranked = ranked.join(Posko, Posko.id == Census.posko_id).where(Posko.event_id == event_id)
    if posko_ids is not None:
        ranked = ranked.where(Census.posko_id.in_(list(posko_ids)))
    ranked = ranked.subquery()
    rows = session.scalars(select(Census).join(ranked, ranked.c.id == Census.id)
                           .where(ranked.c.rank == 1))
    return {census.posko_id: census for census in rows}


def population_of(census: Census | None) -> Population:
    if census is None:
        return ZERO
    return Population(persons=census.persons, households=census.households,
                      under_five=census.under_five, pregnant=census.pregnant,
                      breastfeeding=census.breastfeeding, elderly=census.elderly,
                      disabled=census.disabled)


def event_population(session, event_id: int, today: date | None = None) -> Population:
    """The people an event shelters: the latest census of each of its posko still open
    ``today`` (a posko closed before today is left out), summed."""
    today = today or local_today()
    open_ids = session.scalars(select(Posko.id).where(
        Posko.event_id == event_id,
        (Posko.closed_on.is_(None)) | (Posko.closed_on >= today)))
    total = ZERO
    for census in latest_censuses(session, event_id=event_id, posko_ids=list(open_ids)).values():
        total = total + population_of(census)
    return total


def census_history(session, posko_id: int, *, after: int | None = None,
                   limit: int = 50) -> list[Census]:
    """A posko's censuses, latest first; ``after`` (a census id, the last of the previous
    page) pages by key on (counted_at, id)."""
    query = select(Census).where(Census.posko_id == posko_id)
    anchor = session.get(Census, after) if after is not None else None
    if anchor is not None:
        query = query.where((Census.counted_at < anchor.counted_at)
                            | ((Census.counted_at == anchor.counted_at)
                               & (Census.id < anchor.id)))
    return list(session.scalars(query.order_by(Census.counted_at.desc(), Census.id.desc())
                                .limit(limit)))


def covered_space(session) -> Standard | None:
    """The covered-space standard in force (Sphere: 3.5 m² per person), if one is."""
    return next((standard for standard in standards_in_force(session)
                 if standard.code == COVERED_SPACE), None)


def capacity_of(covered_m2: int | None, standard: Standard | None) -> int | None:
    """Persons a posko's covered area shelters; None when its area is not known."""
    if covered_m2 is None:
        return None
    return capacity(covered_m2, standard)
