"""How the SLRT pipeline is doing in a desa, a kecamatan or the whole kabupaten: cases per
step and how many are overdue, median days a step takes, referrals per programme and outcome,
cases per source and per event.

Every figure is one SQL aggregate over the rows the viewer may see (their Puskesos, or all);
nothing loops over cases in Python. Medians come from the `Step` history, not from the status
field: a step's duration runs from the move into it to the move out of it, so only completed
visits count, and a case sent back and forth is measured on every visit. The median itself is
taken in SQL with window functions both SQLite and PostgreSQL have (ROW_NUMBER and COUNT over
each step), so a kabupaten's history never travels to Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, case, distinct, exists, func, literal, or_, select
from sqlalchemy.sql import ColumnElement

from logistics.accounts.roles import Permission
from logistics.db import UTCDateTime
from logistics.emergency.assessment_models import HouseholdAssessment
from logistics.emergency.models import Event
from logistics.referrals import errors
from logistics.referrals.access import ensure_may, visible_puskesos_ids
from logistics.referrals.case_models import (
    Case,
    CaseStatus,
    Need,
    Programme,
    Referral,
    Step,
    StepLimit,
)
from logistics.referrals.flows import OPEN_CASE
from logistics.referrals.models import Puskesos
from logistics.regions.models import Level, Region

# Days a step may take when the Dinas has set no limit for it in `StepLimit`.
DEFAULT_LIMIT_DAYS = 14
STEP_ORDER = [CaseStatus.REGISTERED, CaseStatus.HANDLING, CaseStatus.DECIDING,
              CaseStatus.REFERRED, CaseStatus.CLOSED]
DAY_SECONDS = 86_400


@dataclass(frozen=True)
class Area:
    """Where the figures are taken: ``puskesos_ids`` None means every Puskesos."""

    kecamatan: Region | None = None
    desa: Region | None = None
    puskesos_ids: frozenset[int] | None = None
    is_partial: bool = False  # the viewer sees only some of the area's Puskesos

    def where(self, column) -> ColumnElement | None:
        return None if self.puskesos_ids is None else column.in_(sorted(self.puskesos_ids))


def area_for(session, actor, *, kecamatan: str | None = None, desa: str | None = None) -> Area:
    """The area asked for, cut to the Puskesos the actor may see; a desa outside them is a 403
    (its numbers are someone else's), a kecamatan is shown as far as the actor sees it."""
    visible = visible_puskesos_ids(session, actor)
    if desa:
        puskesos = session.scalar(select(Puskesos).where(Puskesos.desa_code == desa))
        if puskesos is None:
            raise errors.UnknownPuskesos(field="desa")
        ensure_may(session, actor, Permission.VIEW_CASES, puskesos)
        return Area(kecamatan=puskesos.desa.parent, desa=puskesos.desa,
                    puskesos_ids=frozenset({puskesos.id}))
    if kecamatan:
        region = session.get(Region, kecamatan)
        if region is None or region.level != Level.KECAMATAN:
            raise errors.UnknownKecamatan(code=kecamatan, field="kecamatan")
        ids = set(session.scalars(select(Puskesos.id).join(
            Region, Region.code == Puskesos.desa_code).where(Region.parent_code == kecamatan)))
        shown = ids if visible is None else ids & visible
        return Area(kecamatan=region, puskesos_ids=frozenset(shown),
                    is_partial=shown != ids)
    return Area(puskesos_ids=None if visible is None else frozenset(visible),
                is_partial=visible is not None)


def step_limits(session) -> dict[str, int]:
    """Days per status before a case or referral is overdue, as the Dinas set them."""
    return dict(session.execute(select(StepLimit.status, StepLimit.days)).all())


def overdue_cutoff(column, statuses, limits: dict[str, int], now: datetime):
    """A SQL expression: the moment before which an item in ``column``'s status is overdue."""
    return case({status: literal(now - timedelta(days=limits.get(status, DEFAULT_LIMIT_DAYS)),
                                 UTCDateTime) for status in statuses}, value=column, else_=None)


def _scoped(statement, area: Area, column=Case.puskesos_id):
    condition = area.where(column)
    return statement if condition is None else statement.where(condition)


def cases_by_step(session, area: Area, now: datetime) -> list[dict]:
    """Each status with its cases and how many of them are past the step's limit."""
    cutoff = overdue_cutoff(Case.status, OPEN_CASE, step_limits(session), now)
    rows = dict((status, (count, overdue)) for status, count, overdue in session.execute(
        _scoped(select(Case.status, func.count(),
                       func.sum(case((Case.status_since < cutoff, 1), else_=0)))
                .group_by(Case.status), area)))
    return [{"status": str(status), "cases": rows.get(status, (0, 0))[0],
             "overdue": int(rows.get(status, (0, 0))[1] or 0)} for status in STEP_ORDER]


def _seconds_between(session, later, earlier):
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * DAY_SECONDS


def median_days_per_step(session, area: Area) -> dict[str, dict]:
    """For each step, the median days its completed visits took and how many there were.

    A visit is entered by the case's previous move (or its registration when the history
    starts with the move out of pendaftaran) and left by the next one; referral moves are
    not the case's steps and are left out.
    """
    entered = func.coalesce(
        func.lag(Step.at).over(partition_by=Step.case_id, order_by=(Step.at, Step.id)),
        Case.registered_at)
    moves = _scoped(select(Step.from_status.label("status"), Step.at.label("left_at"),
                           entered.label("entered_at"))
                    .join(Case, Case.id == Step.case_id)
                    .where(Step.referral_id.is_(None)), area).subquery()
    durations = (select(moves.c.status, _seconds_between(session, moves.c.left_at,
                                                         moves.c.entered_at).label("seconds"))
                 .where(moves.c.status.is_not(None))).subquery()
    ranked = select(
        durations.c.status, durations.c.seconds,
        func.row_number().over(partition_by=durations.c.status,
                               order_by=durations.c.seconds).label("rank"),
        func.count().over(partition_by=durations.c.status).label("visits")).subquery()
    # The middle row (odd count) or the two middle rows (even count): 2·rank in [n, n+2].
    middle = select(ranked.c.status, func.avg(ranked.c.seconds), func.max(ranked.c.visits)
                    ).where(ranked.c.rank * 2 >= ranked.c.visits,
                            ranked.c.rank * 2 <= ranked.c.visits + 2
                            ).group_by(ranked.c.status)
    return {status: {"median_days": round(float(seconds) / DAY_SECONDS, 1), "visits": visits}
            for status, seconds, visits in session.execute(middle)}


def referrals_by_programme(session, area: Area) -> list[dict]:
    """Per programme: its referrals counted per status, programmes by name."""
    rows = session.execute(_scoped(
        select(Programme.id, Programme.code, Programme.name, Referral.status, func.count())
        .join(Referral, Referral.programme_id == Programme.id)
        .join(Case, Case.id == Referral.case_id)
        .group_by(Programme.id, Programme.code, Programme.name, Referral.status), area))
    programmes: dict[int, dict] = {}
    for programme_id, code, name, status, count in rows:
        line = programmes.setdefault(programme_id, {"code": code, "name": name, "total": 0,
                                                    "by_status": {}})
        line["by_status"][status] = count
        line["total"] += count
    return sorted(programmes.values(), key=lambda line: (-line["total"], line["name"]))


def cases_by_source(session, area: Area) -> dict[str, int]:
    return dict(session.execute(_scoped(
        select(Case.source, func.count()).group_by(Case.source), area)).all())


def cases_by_event(session, area: Area, *, limit: int = 20) -> list[dict]:
    """The events cases came from, most cases first, with how many are still open."""
    still_open = func.sum(case((Case.status != CaseStatus.CLOSED, 1), else_=0))
    rows = session.execute(_scoped(
        select(Event.id, Event.number, Event.name, func.count(), still_open)
        .join(Case, Case.event_id == Event.id)
        .group_by(Event.id, Event.number, Event.name)
        .order_by(func.count().desc(), Event.id.desc()).limit(limit), area))
    return [{"event_id": event_id, "number": number, "name": name, "cases": count,
             "open": int(still_open or 0)} for event_id, number, name, count, still_open in rows]


def cases_for_event(session, event_id: int) -> dict:
    """How many households entered the pipeline from the event, and where their cases stand.

    A case counts when it was opened from the event or took a need from one of the event's
    household assessments (a household already followed gets the need on its open case).
    Numbers only: the emergency page shows them to people who may not see households.
    """
    from_event = or_(Case.event_id == event_id, exists(
        select(Need.id).join(HouseholdAssessment,
                             HouseholdAssessment.id == Need.household_assessment_id)
        .where(Need.case_id == Case.id, HouseholdAssessment.event_id == event_id)))
    by_status = dict(session.execute(
        select(Case.status, func.count(distinct(Case.household_id)))
        .where(from_event).group_by(Case.status)).all())
    households = session.scalar(select(func.count(distinct(Case.household_id)))
                                .where(from_event)) or 0
    return {"households": households,
            "by_status": [{"status": str(status), "households": by_status.get(status, 0)}
                          for status in STEP_ORDER]}


@dataclass
class Monitoring:
    area: Area
    steps: list[dict]
    medians: dict[str, dict]
    programmes: list[dict]
    sources: dict[str, int]
    events: list[dict]
    totals: dict = field(default_factory=dict)


def monitoring(session, actor, *, now: datetime, kecamatan: str | None = None,
               desa: str | None = None) -> Monitoring:
    """Every figure of the monitoring page for the area, as the actor may see it."""
    area = area_for(session, actor, kecamatan=kecamatan, desa=desa)
    steps = cases_by_step(session, area, now)
    open_steps = [line for line in steps if line["status"] != CaseStatus.CLOSED]
    return Monitoring(
        area=area, steps=steps, medians=median_days_per_step(session, area),
        programmes=referrals_by_programme(session, area), sources=cases_by_source(session, area),
        events=cases_by_event(session, area),
        totals={"cases": sum(line["cases"] for line in steps),
                "open": sum(line["cases"] for line in open_steps),
                "overdue": sum(line["overdue"] for line in open_steps)})


def kecamatan_choices(session, actor) -> list[tuple[Region, list[Region]]]:
    """The kecamatan and desa with a Puskesos the actor may see, by name, for the filter."""
    visible = visible_puskesos_ids(session, actor)
    statement = (select(Region).join(Puskesos, Puskesos.desa_code == Region.code)
                 .order_by(Region.name))
    if visible is not None:
        statement = statement.where(Puskesos.id.in_(sorted(visible)))
    desa = list(session.scalars(statement))
    parents = {region.parent_code for region in desa}
    kecamatan = list(session.scalars(select(Region).where(
        and_(Region.code.in_(sorted(parents)), Region.level == Level.KECAMATAN))
        .order_by(Region.name)))
    return [(k, [d for d in desa if d.parent_code == k.code]) for k in kecamatan]
