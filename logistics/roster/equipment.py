"""Boats, trucks, field kitchens, water tanks, tents, generators and radios of the Dinas Sosial
and its Tagana: registered once by their code (inventory or plate number), then ready, in
maintenance, or retired. Dispatching them is `dispatch`'s business.

The code is stored as people read it off the hull or the plate, upper case with single spaces
("BD 8012 AC"), so the same boat typed twice is one code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from logistics.accounts.roles import Permission
from logistics.core import status
from logistics.core.atomic import all_or_nothing, idempotent
from logistics.core.constraints import constraint_of
from logistics.emergency.models import Event, Posko
from logistics.roster import errors
from logistics.roster.deployment_models import (
    EQUIPMENT_STATUS_LABELS,
    Deployment,
    DeploymentStatus,
    Equipment,
    EquipmentKind,
    EquipmentStatus,
)
from logistics.roster.lookups import ensure_can, equipment_or_fail, kecamatan_or_fail

EQUIPMENT_FLOW = status.Flow("roster.equipment", moves={
    EquipmentStatus.READY: frozenset({EquipmentStatus.MAINTENANCE, EquipmentStatus.RETIRED}),
    EquipmentStatus.MAINTENANCE: frozenset({EquipmentStatus.READY, EquipmentStatus.RETIRED}),
}, labels=EQUIPMENT_STATUS_LABELS)  # retired is for good: a returned boat is registered anew
CHANGEABLE = frozenset({"code", "kind", "name", "kecamatan_code", "notes", "status"})


def normal_code(code: str) -> str:
    return " ".join(code.split()).upper()


@idempotent("roster.register_equipment")
def register_equipment(session, *, actor, code, kind, name, kecamatan_code=None,
                       notes=None) -> Equipment:
    """Register an item under a code no other item has; it starts ready."""
    ensure_can(actor, Permission.MANAGE_ROSTER)
    code = _free_code(session, code)
    item = Equipment(code=code, kind=EquipmentKind(kind), name=" ".join(name.split()),
                     kecamatan_code=kecamatan_or_fail(session, kecamatan_code), notes=notes)
    session.add(item)
    _flush(session, code)
    return item


@all_or_nothing
def change_equipment(session, *, actor, equipment_id, **changes) -> Equipment:
    """Correct the record or move its status (ready, maintenance, retired)."""
    ensure_can(actor, Permission.MANAGE_ROSTER)
    unknown = set(changes) - CHANGEABLE
    if unknown:
        raise TypeError(f"cannot change {sorted(unknown)}")
    item = equipment_or_fail(session, equipment_id)
    new_status = changes.pop("status", None)
    if new_status is not None and new_status != item.status:
        status.move(session, Equipment, item.id, EQUIPMENT_FLOW, to=EquipmentStatus(new_status),
                    from_=item.status)
    if "code" in changes and normal_code(changes["code"]) != item.code:
        item.code = _free_code(session, changes["code"])
    if "kind" in changes:
        item.kind = EquipmentKind(changes["kind"])
    if "name" in changes:
        item.name = " ".join(changes["name"].split())
    if "kecamatan_code" in changes:
        item.kecamatan_code = kecamatan_or_fail(session, changes["kecamatan_code"])
    if "notes" in changes:
        item.notes = changes["notes"]
    _flush(session, item.code)
    return item


def equipment_list(session, *, kind: str | None = None, with_status: str | None = None,
                   kecamatan_code: str | None = None) -> list[Equipment]:
    """The register, by kind then code; retired items only when asked for by status."""
    query = select(Equipment).order_by(Equipment.kind, Equipment.code)
    if kind is not None:
        query = query.where(Equipment.kind == kind)
    if with_status is not None:
        query = query.where(Equipment.status == with_status)
    else:
        query = query.where(Equipment.status != EquipmentStatus.RETIRED)
    if kecamatan_code is not None:
        query = query.where(Equipment.kecamatan_code == kecamatan_code)
    return list(session.scalars(query))


def _free_code(session, code: str) -> str:
    code = normal_code(code)
    if session.scalar(select(Equipment.id).where(func.upper(Equipment.code) == code)):
        raise errors.DuplicateEquipmentCode(code=code, field="code")
    return code


def _flush(session, code: str) -> None:
    """Flush; the code's unique constraint firing (another writer took it meanwhile) is the
    same refusal as the check. Declared here rather than on the model, which dispatch owns."""
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as error:
        constraint = constraint_of(error)
        if constraint is not None and str(constraint.name) == "uq_equipment_code":
            raise errors.DuplicateEquipmentCode(code=code, field="code") from error
        raise


@dataclass(frozen=True)
class Booking:
    """Where an item is (or is next going): its deployment with the posko and event names."""

    deployment: Deployment
    posko_name: str
    event_name: str

    def is_under_way(self, now: datetime) -> bool:
        return self.deployment.starts_at <= now


def bookings(session, equipment_ids, now: datetime) -> dict[int, Booking]:
    """Each item's deployment under way at ``now``, or else its next one booked, in one
    query: what the register shows beside the item so nobody promises a boat already out."""
    if not equipment_ids:
        return {}
    rows = session.execute(
        select(Deployment, Posko.name, Event.name)
        .join(Posko, Posko.id == Deployment.posko_id).join(Event, Event.id == Deployment.event_id)
        .where(Deployment.equipment_id.in_(list(equipment_ids)), Deployment.ends_at > now,
               Deployment.status.in_([DeploymentStatus.DISPATCHED, DeploymentStatus.CHECKED_IN]))
        .order_by(Deployment.starts_at.desc(), Deployment.id.desc()))
    return {deployment.equipment_id: Booking(deployment, posko, event)
            for deployment, posko, event in rows}  # the earliest wins: it is written last
