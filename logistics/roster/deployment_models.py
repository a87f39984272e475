"""Equipment, dispatches and deployments: who and what is sent to which posko, and when.

The rule people rely on: a volunteer or a boat is never booked twice for overlapping times. The
dispatch operation checks it under a row lock; on PostgreSQL an exclusion constraint over the
deployment's period (``tstzrange``) is the last guard, so even a writer that skipped the check
cannot commit a clash (migration ``roster``). A cancelled deployment frees its period.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, column, func, text
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from logistics.db import Base, UTCDateTime, one_of, utcnow
from logistics.errors import Conflict
from logistics.i18n import N_


class BookedTwice(Conflict):
    """The database's last word when a clash slipped past the dispatch check (PostgreSQL)."""

    message = N_("Already deployed for an overlapping period.")


def _never_twice(subject: str) -> ExcludeConstraint:
    """No two live deployments of one volunteer (or item) whose periods overlap."""
    period = func.tstzrange(column("starts_at"), column("ends_at"))
    return ExcludeConstraint(
        (column(subject), "="), (period, "&&"), using="gist",
        where=text(f"{subject} IS NOT NULL AND status <> 'cancelled'"),
        name=f"{subject.removesuffix('_id')}_never_twice", info={"violation": BookedTwice},
    ).ddl_if(dialect="postgresql")


class EquipmentKind(StrEnum):
    RUBBER_BOAT = "perahu_karet"
    TRUCK = "truk"
    FIELD_KITCHEN = "mobil_dapur_umum"
    WATER_TANK = "tangki_air"
    TENT = "tenda"
    GENERATOR = "genset"
    RADIO = "radio"
    OTHER = "lainnya"


EQUIPMENT_KIND_LABELS = {
    EquipmentKind.RUBBER_BOAT: N_("Rubber boat (perahu karet)"),
    EquipmentKind.TRUCK: N_("Truck (truk)"),
    EquipmentKind.FIELD_KITCHEN: N_("Field kitchen vehicle (mobil dapur umum lapangan)"),
    EquipmentKind.WATER_TANK: N_("Water tank (tangki air)"),
    EquipmentKind.TENT: N_("Tent (tenda)"),
    EquipmentKind.GENERATOR: N_("Generator (genset)"),
    EquipmentKind.RADIO: N_("Radio"),
    EquipmentKind.OTHER: N_("Other equipment"),
}


class EquipmentStatus(StrEnum):
    READY = "ready"
    MAINTENANCE = "maintenance"
    RETIRED = "retired"


EQUIPMENT_STATUS_LABELS = {
    EquipmentStatus.READY: N_("ready"),
    EquipmentStatus.MAINTENANCE: N_("in maintenance"),
    EquipmentStatus.RETIRED: N_("retired"),
}


class Equipment(Base):
    """A boat, truck, tank, tent, generator or radio of the Dinas Sosial and its Tagana."""

    __tablename__ = "equipment"
    __table_args__ = (
        CheckConstraint(one_of("kind", EquipmentKind), name="kind_known"),
        CheckConstraint(one_of("status", EquipmentStatus), name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)  # inventory or plate number
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    kecamatan_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=EquipmentStatus.READY)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DeploymentStatus(StrEnum):
    DISPATCHED = "dispatched"
    CHECKED_IN = "checked_in"
    ENDED = "ended"
    CANCELLED = "cancelled"


DEPLOYMENT_STATUS_LABELS = {
    DeploymentStatus.DISPATCHED: N_("dispatched"),
    DeploymentStatus.CHECKED_IN: N_("checked in"),
    DeploymentStatus.ENDED: N_("ended"),
    DeploymentStatus.CANCELLED: N_("cancelled"),
}


class Dispatch(Base):
    """One coordinator's decision to send people and equipment to a posko: numbered, and the
    message each person receives is built from it."""

    __tablename__ = "dispatches"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    posko_id: Mapped[int] = mapped_column(ForeignKey("posko.id"), index=True)
    report_to: Mapped[str | None] = mapped_column(String(120))  # whom to report to at the posko
    notes: Mapped[str | None] = mapped_column(Text)
    dispatched_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    deployments: Mapped[list[Deployment]] = relationship(back_populates="dispatch",
                                                         order_by="Deployment.id")


class Deployment(Base):
    """A volunteer or one piece of equipment at a posko for a period, with a role."""

    __tablename__ = "deployments"
    __table_args__ = (
        CheckConstraint(one_of("status", DeploymentStatus), name="status_known"),
        CheckConstraint("(volunteer_id IS NULL) <> (equipment_id IS NULL)",
                        name="one_volunteer_or_one_item"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("checked_out_at IS NULL OR checked_out_at >= checked_in_at",
                        name="out_after_in"),
        CheckConstraint("checked_out_at IS NULL OR checked_in_at IS NOT NULL",
                        name="out_only_after_in"),
        _never_twice("volunteer_id"),
        _never_twice("equipment_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dispatch_id: Mapped[int] = mapped_column(ForeignKey("dispatches.id"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    posko_id: Mapped[int] = mapped_column(ForeignKey("posko.id"), index=True)
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id"), index=True)
    equipment_id: Mapped[int | None] = mapped_column(ForeignKey("equipment.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    role: Mapped[str] = mapped_column(String(60))
    skill_code: Mapped[str | None] = mapped_column(ForeignKey("skills.code"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(12), default=DeploymentStatus.DISPATCHED)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_reason: Mapped[str | None] = mapped_column(String(200))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    dispatch: Mapped[Dispatch] = relationship(back_populates="deployments")

    def __repr__(self) -> str:
        return f"<Deployment {self.id} {self.status}>"


class OutgoingMessage(Base):
    """The message a dispatched person receives; a `Sender` (wa.me link today, a gateway later)
    delivers it and records how."""

    __tablename__ = "outgoing_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployments.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    phone: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
