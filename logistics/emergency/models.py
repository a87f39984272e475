"""Disaster events, their emergency status history, posko and each posko's evacuee census.

An event is the frame every emergency record hangs from: its posko, desa assessments and
requests. Its emergency status (SK Bupati) is a history, because a flood goes from siaga to
tanggap darurat to transisi and the decree in force on a day is what a release cites.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from shapely.geometry.base import BaseGeometry
from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from logistics.db import Base, Geometry, UTCDateTime, one_of, utcnow
from logistics.i18n import N_


class Hazard(StrEnum):
    """BNPB's hazard names, as the kabupaten's BPBD reports them."""

    FLOOD = "banjir"
    FLASH_FLOOD = "banjir_bandang"
    LANDSLIDE = "tanah_longsor"
    EARTHQUAKE = "gempa_bumi"
    TSUNAMI = "tsunami"
    SETTLEMENT_FIRE = "kebakaran_permukiman"
    FOREST_FIRE = "kebakaran_hutan_lahan"
    WHIRLWIND = "angin_puting_beliung"
    DROUGHT = "kekeringan"
    ABRASION = "abrasi"
    TIDAL_WAVE = "gelombang_pasang"
    VOLCANO = "letusan_gunung_api"
    OTHER = "lainnya"


HAZARD_LABELS = {
    Hazard.FLOOD: N_("Flood (banjir)"),
    Hazard.FLASH_FLOOD: N_("Flash flood (banjir bandang)"),
    Hazard.LANDSLIDE: N_("Landslide (tanah longsor)"),
    Hazard.EARTHQUAKE: N_("Earthquake (gempa bumi)"),
    Hazard.TSUNAMI: N_("Tsunami"),
    Hazard.SETTLEMENT_FIRE: N_("Settlement fire (kebakaran permukiman)"),
    Hazard.FOREST_FIRE: N_("Forest and land fire (karhutla)"),
    Hazard.WHIRLWIND: N_("Whirlwind (angin puting beliung)"),
    Hazard.DROUGHT: N_("Drought (kekeringan)"),
    Hazard.ABRASION: N_("Coastal abrasion (abrasi)"),
    Hazard.TIDAL_WAVE: N_("Tidal wave (gelombang pasang)"),
    Hazard.VOLCANO: N_("Volcanic eruption (letusan gunung api)"),
    Hazard.OTHER: N_("Other hazard"),
}


class EmergencyPhase(StrEnum):
    ALERT = "siaga_darurat"
    RESPONSE = "tanggap_darurat"
    TRANSITION = "transisi_darurat"


PHASE_LABELS = {
    EmergencyPhase.ALERT: N_("Siaga darurat (emergency alert)"),
    EmergencyPhase.RESPONSE: N_("Tanggap darurat (emergency response)"),
    EmergencyPhase.TRANSITION: N_("Transisi darurat ke pemulihan (transition to recovery)"),
}
# A status may follow only a phase at or before it in this order (a flood may be declared
# tanggap darurat again after a second wave, but never back to siaga from transisi).
PHASE_ORDER = (EmergencyPhase.ALERT, EmergencyPhase.RESPONSE, EmergencyPhase.TRANSITION)


class PoskoKind(StrEnum):
    MAIN = "posko_utama"
    FIELD = "posko_lapangan"
    PUBLIC_KITCHEN = "dapur_umum"
    SHELTER = "tempat_pengungsian"
    HEALTH = "pos_kesehatan"


POSKO_KIND_LABELS = {
    PoskoKind.MAIN: N_("Posko utama (main post)"),
    PoskoKind.FIELD: N_("Posko lapangan (field post)"),
    PoskoKind.PUBLIC_KITCHEN: N_("Dapur umum (public kitchen)"),
    PoskoKind.SHELTER: N_("Tempat pengungsian (evacuation shelter)"),
    PoskoKind.HEALTH: N_("Pos kesehatan (health post)"),
}

event_regions = Table(
    "event_regions",
    Base.metadata,
    Column("event_id", ForeignKey("events.id"), primary_key=True),
    Column("region_code", ForeignKey("regions.code"), primary_key=True, index=True),
)

posko_staff = Table(
    "posko_staff",
    Base.metadata,
    Column("posko_id", ForeignKey("posko.id"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True, index=True),
)


class Event(Base):
    """A disaster the Dinas responds to; its area is the union of the kecamatan and desa named."""

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint(one_of("hazard", Hazard), name="hazard_known"),
        CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    hazard: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(160))
    started_on: Mapped[date] = mapped_column(index=True)
    ended_on: Mapped[date | None]
    description: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    regions = relationship("Region", secondary=event_regions, order_by="Region.code")
    statuses: Mapped[list[EmergencyStatus]] = relationship(
        back_populates="event", order_by="EmergencyStatus.starts_on, EmergencyStatus.id")

    def __repr__(self) -> str:
        return f"<Event {self.number}>"


class EmergencyStatus(Base):
    """One decree (SK Bupati) setting the event's emergency phase from ``starts_on``."""

    __tablename__ = "emergency_statuses"
    __table_args__ = (
        CheckConstraint(one_of("phase", EmergencyPhase), name="phase_known"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    phase: Mapped[str] = mapped_column(String(20))
    decree_number: Mapped[str] = mapped_column(String(120))
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship(back_populates="statuses")

    def is_active_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)

    def __repr__(self) -> str:
        return f"<EmergencyStatus {self.phase} {self.decree_number}>"


class Posko(Base):
    """A disaster post of one event, standing at a point inside its desa."""

    __tablename__ = "posko"
    __table_args__ = (
        CheckConstraint(one_of("kind", PoskoKind), name="kind_known"),
        CheckConstraint("covered_m2 IS NULL OR covered_m2 >= 0", name="covered_nonneg"),
        CheckConstraint("closed_on IS NULL OR closed_on >= opened_on", name="closes_after_open"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    desa_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    point: Mapped[BaseGeometry | None] = mapped_column(Geometry)
    covered_m2: Mapped[int | None]
    contact_name: Mapped[str | None] = mapped_column(String(120))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    opened_on: Mapped[date]
    closed_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship()
    desa = relationship("Region")
    staff = relationship("User", secondary=posko_staff, order_by="User.username")

    def is_open_on(self, day: date) -> bool:
        return self.opened_on <= day and (self.closed_on is None or day <= self.closed_on)

    def __repr__(self) -> str:
        return f"<Posko {self.code}>"


class Census(Base):
    """A head count of the evacuees at a posko at one moment; the latest one counts.

    The checks keep the figures coherent: no group larger than the people counted, mothers
    among the women, and at least one person per household.
    """

    __tablename__ = "posko_censuses"
    __table_args__ = (
        CheckConstraint("households >= 0 AND male >= 0 AND female >= 0 AND under_five >= 0 "
                        "AND pregnant >= 0 AND breastfeeding >= 0 AND elderly >= 0 "
                        "AND disabled >= 0", name="counts_nonneg"),
        CheckConstraint("households <= male + female", name="households_le_persons"),
        CheckConstraint("under_five <= male + female AND elderly <= male + female "
                        "AND disabled <= male + female", name="groups_le_persons"),
        CheckConstraint("pregnant <= female AND breastfeeding <= female",
                        name="mothers_le_female"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    posko_id: Mapped[int] = mapped_column(ForeignKey("posko.id"), index=True)
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    households: Mapped[int]
    male: Mapped[int]
    female: Mapped[int]
    under_five: Mapped[int]
    pregnant: Mapped[int]
    breastfeeding: Mapped[int]
    elderly: Mapped[int]
    disabled: Mapped[int]
    notes: Mapped[str | None] = mapped_column(String(500))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    posko: Mapped[Posko] = relationship()

    @property
    def persons(self) -> int:
        return self.male + self.female

    def __repr__(self) -> str:
        return f"<Census posko {self.posko_id} at {self.counted_at}>"
