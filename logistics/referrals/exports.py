"""XLSX lists of an area's cases and households, numbers in full only for who may export them.

Back office and manager (`EXPORT_PERSONAL_DATA`, in their Puskesos) get NIK and No. KK in
full, and every household on the sheet gets an audit row saying who exported it and when, so
the manager can answer "who took my family's data?". Everyone else who may see cases (admin,
leadership, the front office) gets the same sheet with the numbers masked, and no audit row:
nothing personal left the building. The area is the monitoring page's (`monitoring.area_for`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from logistics.accounts.roles import Permission
from logistics.calendar import local_time
from logistics.core.masking import mask_in_text, mask_number
from logistics.core.xlsx_write import workbook
from logistics.emergency.models import Event
from logistics.referrals.audit import record_access
from logistics.referrals.case_models import Case
from logistics.referrals.models import AuditAction, Household, Membership, Person, Relation
from logistics.referrals.monitoring import (
    DEFAULT_LIMIT_DAYS,
    Area,
    area_for,
    step_limits,
)
from logistics.regions.models import Region

# A sheet past this is cut; the title says so. A kabupaten has some tens of thousands.
MAX_ROWS = 50_000


@dataclass(frozen=True)
class Labels:
    """The sheet's words in the reader's language, from the web layer."""

    title: str
    header: list[str]
    status: Callable[[str], str] = str
    source: Callable[[str], str] = str
    yes: str = "ya"
    no: str = "tidak"
    cut: str = "first %(count)s rows"


def may_export_in_full(actor) -> bool:
    return actor is not None and actor.can(Permission.EXPORT_PERSONAL_DATA)


def _head():
    return (select(Membership.household_id, Person.name, Person.nik)
            .join(Person, Person.id == Membership.person_id)
            .where(Membership.relation == Relation.HEAD, Membership.ended_on.is_(None))
            .subquery())


def _scoped(statement, area: Area, column=Household.puskesos_id):
    condition = area.where(column)
    return statement if condition is None else statement.where(condition)


def _title(labels: Labels, area: Area, exported_at: str, rows: int) -> list[str]:
    where = area.desa.name if area.desa else area.kecamatan.name if area.kecamatan else ""
    cut = [labels.cut % {"count": MAX_ROWS}] if rows >= MAX_ROWS else []
    return [labels.title, where, exported_at, *cut]


def export_cases(session, actor, *, labels: Labels, now: datetime, exported_at: str,
                 kecamatan: str | None = None, desa: str | None = None) -> bytes:
    """The area's cases, each with its step, days in it, overdue, source, event and family."""
    area = area_for(session, actor, kecamatan=kecamatan, desa=desa)
    head = _head()
    rows = session.execute(_scoped(
        select(Case.number, Case.status, Case.status_since, Case.source, Event.number,
               Region.name, Household.id, Household.kk_number, head.c.name, head.c.nik,
               Case.registered_at)
        .join(Household, Household.id == Case.household_id)
        .join(Region, Region.code == Household.desa_code)
        .outerjoin(Event, Event.id == Case.event_id)
        .outerjoin(head, head.c.household_id == Household.id)
        .order_by(Case.registered_at, Case.id).limit(MAX_ROWS), area, Case.puskesos_id)).all()
    full = may_export_in_full(actor)
    limits = step_limits(session)
    lines = []
    for (number, status, since, source, event, desa_name, _, kk, head_name, nik,
         registered_at) in rows:
        is_open = status != "selesai"
        limit = limits.get(status, DEFAULT_LIMIT_DAYS)
        overdue = is_open and since < now - timedelta(days=limit)
        lines.append([number, labels.status(status), local_time(since),
                      (now - since).days if is_open else None,
                      (labels.yes if overdue else labels.no) if is_open else None,
                      labels.source(source), event, desa_name, _shown(kk, full), head_name,
                      _shown(nik, full), local_time(registered_at)])
    if full:
        record_access(session, actor=actor, household_ids=[row[6] for row in rows],
                      action=AuditAction.EXPORT, what="Ekspor XLSX daftar kasus SLRT")
    return workbook(_title(labels, area, exported_at, len(rows)), labels.header, lines)


def export_households(session, actor, *, labels: Labels, exported_at: str,
                      kecamatan: str | None = None, desa: str | None = None) -> bytes:
    """The area's households with their head, register status and how many live there."""
    area = area_for(session, actor, kecamatan=kecamatan, desa=desa)
    head = _head()
    members = (select(Membership.household_id, func.count().label("members"))
               .where(Membership.ended_on.is_(None))
               .group_by(Membership.household_id).subquery())
    rows = session.execute(_scoped(
        select(Household.id, Household.kk_number, Region.name, Household.address, Household.rt,
               Household.rw, Household.register, Household.welfare_decile,
               Household.register_checked_on, head.c.name, head.c.nik,
               func.coalesce(members.c.members, 0))
        .join(Region, Region.code == Household.desa_code)
        .outerjoin(head, head.c.household_id == Household.id)
        .outerjoin(members, members.c.household_id == Household.id)
        .order_by(Region.name, Household.id).limit(MAX_ROWS), area)).all()
    full = may_export_in_full(actor)
    lines = [[_shown(kk, full), desa_name, address if full else mask_in_text(address), rt, rw,
              (register or "").upper() or None, decile, checked_on, head_name,
              _shown(nik, full), count]
             for (_, kk, desa_name, address, rt, rw, register, decile, checked_on, head_name,
                  nik, count) in rows]
    if full:
        record_access(session, actor=actor, household_ids=[row[0] for row in rows],
                      action=AuditAction.EXPORT, what="Ekspor XLSX daftar keluarga SLRT")
    return workbook(_title(labels, area, exported_at, len(rows)), labels.header, lines)


def _shown(number: str | None, full: bool) -> str | None:
    return number if full else mask_number(number)
