"""Each Puskesos role's queue: what waits for them, oldest first, the overdue ones marked.

The front office has the cases in pendaftaran; the back office the cases in penanganan and
the referrals sent that await the agency's answer; the manager the cases awaiting penetapan
and those referred, to follow up; admin and leadership read every open case. Each item carries
the days it has stood in its step (from ``status_since``) and whether that is past the step's
limit (`StepLimit`, else `monitoring.DEFAULT_LIMIT_DAYS`). Cases and referrals are one list,
ordered and paged in SQL by (since, kind, id) without OFFSET.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, case, func, literal, null, select, tuple_, union_all

from logistics.accounts.roles import Role
from logistics.db import UTCDateTime
from logistics.errors import InvalidInput
from logistics.i18n import N_
from logistics.referrals.access import visible_puskesos_ids
from logistics.referrals.case_models import Case, CaseStatus, Programme, Referral
from logistics.referrals.case_models import ReferralStatus as R
from logistics.referrals.flows import OPEN_CASE
from logistics.referrals.models import Household, Membership, Person, Relation
from logistics.referrals.monitoring import (
    DEFAULT_LIMIT_DAYS,
    STEP_ORDER,
    overdue_cutoff,
    step_limits,
)
from logistics.regions.models import Region

AWAITING_ANSWER = (R.SENT, R.ACCEPTED)


@dataclass(frozen=True)
class Queue:
    case_statuses: tuple[str, ...]
    referral_statuses: tuple[str, ...] = ()


ALL_OPEN = Queue(tuple(status for status in STEP_ORDER if status in OPEN_CASE))
QUEUES = {
    Role.PUSKESOS_FRONT: Queue((CaseStatus.REGISTERED,)),
    # New cases wait for the back office to take them: they are its work as much as handling.
    Role.PUSKESOS_BACK: Queue((CaseStatus.REGISTERED, CaseStatus.HANDLING), AWAITING_ANSWER),
    Role.PUSKESOS_MANAGER: Queue((CaseStatus.DECIDING, CaseStatus.REFERRED)),
    Role.ADMIN: ALL_OPEN,
    Role.LEADERSHIP: ALL_OPEN,
}
EMPTY = Queue(())


class BadCursor(InvalidInput):
    message = N_("Not a page of this list; start again from the first page.")


@dataclass
class QueueItem:
    kind: str  # "case" or "referral"
    id: int  # the case's or the referral's
    case_id: int
    case_number: str
    status: str
    since: datetime
    days: int
    limit_days: int
    is_overdue: bool
    programme: str | None
    household_id: int
    kk_number: str
    head_name: str | None
    desa: str


def queue_of(role) -> Queue:
    try:
        return QUEUES.get(Role(role), EMPTY)
    except ValueError:
        return EMPTY


def _rows(session, actor, queue: Queue):
    """The queue's items as one SELECT of (kind, id, case_id, status, since, programme_id)."""
    visible = visible_puskesos_ids(session, actor)
    parts = []
    if queue.case_statuses:
        parts.append(select(literal("case").label("kind"), Case.id.label("id"),
                            Case.id.label("case_id"), Case.status.label("status"),
                            Case.status_since.label("since"),
                            null().label("programme_id"), Case.puskesos_id.label("puskesos_id"))
                     .where(Case.status.in_(queue.case_statuses)))
    if queue.referral_statuses:
        parts.append(select(literal("referral"), Referral.id, Referral.case_id, Referral.status,
                            Referral.status_since, Referral.programme_id, Case.puskesos_id)
                     .join(Case, Case.id == Referral.case_id)
                     .where(Referral.status.in_(queue.referral_statuses)))
    if not parts:
        return None
    if visible is not None:
        parts = [part.where(Case.puskesos_id.in_(sorted(visible))) for part in parts]
    return (union_all(*parts) if len(parts) > 1 else parts[0]).subquery()


def counts(session, actor, *, now: datetime) -> dict:
    """How many items wait in the actor's queue and how many of them are overdue."""
    queue = queue_of(actor.role)
    rows = _rows(session, actor, queue)
    if rows is None:
        return {"waiting": 0, "overdue": 0}
    cutoff = overdue_cutoff(rows.c.status, queue.case_statuses + queue.referral_statuses,
                            step_limits(session), now)
    waiting, overdue = session.execute(select(
        func.count(), func.sum(case((rows.c.since < cutoff, 1), else_=0)))).one()
    return {"waiting": waiting, "overdue": int(overdue or 0)}


def queue_page(session, actor, *, now: datetime, limit: int = 50, after: str | None = None,
               overdue_only: bool = False) -> dict:
    """One page of the actor's queue, oldest first: ``{"items": [...], "next": cursor}``."""
    queue = queue_of(actor.role)
    rows = _rows(session, actor, queue)
    if rows is None:
        return {"items": [], "next": None}
    limits = step_limits(session)
    statement = select(rows.c.kind, rows.c.id, rows.c.case_id, rows.c.status, rows.c.since,
                       rows.c.programme_id)
    if overdue_only:
        cutoff = overdue_cutoff(rows.c.status, queue.case_statuses + queue.referral_statuses,
                                limits, now)
        statement = statement.where(rows.c.since < cutoff)
    if after:
        since, kind, item_id = parse_cursor(after)
        statement = statement.where(tuple_(rows.c.since, rows.c.kind, rows.c.id) > tuple_(
            bindparam("after_since", since, type_=UTCDateTime), literal(kind), literal(item_id)))
    found = session.execute(statement.order_by(rows.c.since, rows.c.kind, rows.c.id)
                            .limit(limit + 1)).all()
    items = _items(session, found[:limit], limits, now)
    last = items[-1] if items else None
    return {"items": items,
            "next": cursor_of(last) if len(found) > limit and last is not None else None}


def _items(session, rows, limits: dict[str, int], now: datetime) -> list[QueueItem]:
    """The page's rows with their case, household, head and desa, read for the page only."""
    case_ids = sorted({row.case_id for row in rows})
    head = (select(Membership.household_id, Person.name)
            .join(Person, Person.id == Membership.person_id)
            .where(Membership.relation == Relation.HEAD, Membership.ended_on.is_(None))
            .subquery())
    details = {row.id: row for row in session.execute(
        select(Case.id, Case.number, Household.id.label("household_id"), Household.kk_number,
               head.c.name.label("head_name"), Region.name.label("desa"))
        .join(Household, Household.id == Case.household_id)
        .join(Region, Region.code == Household.desa_code)
        .outerjoin(head, head.c.household_id == Household.id)
        .where(Case.id.in_(case_ids)))} if case_ids else {}
    programme_ids = sorted({row.programme_id for row in rows if row.programme_id})
    programmes = dict(session.execute(select(Programme.id, Programme.name).where(
        Programme.id.in_(programme_ids))).all()) if programme_ids else {}
    items = []
    for row in rows:
        detail = details[row.case_id]
        limit_days = limits.get(row.status, DEFAULT_LIMIT_DAYS)
        items.append(QueueItem(
            kind=row.kind, id=row.id, case_id=row.case_id, case_number=detail.number,
            status=row.status, since=row.since, days=max((now - row.since).days, 0),
            limit_days=limit_days, is_overdue=row.since < now - timedelta(days=limit_days),
            programme=programmes.get(row.programme_id), household_id=detail.household_id,
            kk_number=detail.kk_number, head_name=detail.head_name, desa=detail.desa))
    return items


def cursor_of(item: QueueItem) -> str:
    return f"{item.since.isoformat()}~{item.kind}~{item.id}"


def parse_cursor(text: str) -> tuple[datetime, str, int]:
    try:
        since, kind, item_id = text.split("~")
        moment = datetime.fromisoformat(since)
        if moment.tzinfo is None or kind not in ("case", "referral"):
            raise ValueError(text)
        return moment, kind, int(item_id)
    except ValueError as error:
        raise BadCursor(field="after") from error

