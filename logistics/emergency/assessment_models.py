"""What assessors found: a rapid assessment (kaji cepat) per desa and one record per household.

Household records carry No. KK and NIK (personal data: masked for roles without
VIEW_PERSONAL_DATA) and are kept whole, so the SLRT pipeline can later turn them into cases.
``submission_id`` is the KoboToolbox ``_uuid`` / ODK ``meta/instanceID`` of an imported form,
unique so that importing the same export again updates rather than duplicates.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from logistics.db import Base, UTCDateTime, one_of, utcnow
from logistics.emergency.errors import SubmissionImportedAtOnce
from logistics.i18n import N_


class HouseDamage(StrEnum):
    NONE = "tidak_rusak"
    LIGHT = "rusak_ringan"
    MODERATE = "rusak_sedang"
    HEAVY = "rusak_berat"


HOUSE_DAMAGE_LABELS = {
    HouseDamage.NONE: N_("Not damaged"),
    HouseDamage.LIGHT: N_("Lightly damaged (rusak ringan)"),
    HouseDamage.MODERATE: N_("Moderately damaged (rusak sedang)"),
    HouseDamage.HEAVY: N_("Heavily damaged (rusak berat)"),
}


class Sex(StrEnum):
    MALE = "L"
    FEMALE = "P"


class RapidAssessment(Base):
    """Kaji cepat: the first picture of one desa's losses, from one visit."""

    __tablename__ = "rapid_assessments"
    __table_args__ = (
        CheckConstraint("dead >= 0 AND missing >= 0 AND injured >= 0 AND displaced >= 0 "
                        "AND houses_light >= 0 AND houses_moderate >= 0 AND houses_heavy >= 0 "
                        "AND facilities_damaged >= 0", name="counts_nonneg"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    desa_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    assessed_on: Mapped[date]
    dead: Mapped[int] = mapped_column(default=0)
    missing: Mapped[int] = mapped_column(default=0)
    injured: Mapped[int] = mapped_column(default=0)
    displaced: Mapped[int] = mapped_column(default=0)
    houses_light: Mapped[int] = mapped_column(default=0)
    houses_moderate: Mapped[int] = mapped_column(default=0)
    houses_heavy: Mapped[int] = mapped_column(default=0)
    facilities_damaged: Mapped[int] = mapped_column(default=0)
    facilities_note: Mapped[str | None] = mapped_column(String(500))
    access_cut: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str | None] = mapped_column(Text)
    submission_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event = relationship("Event")
    desa = relationship("Region")


class HouseholdAssessment(Base):
    """One household's losses and urgent needs after the event."""

    __tablename__ = "household_assessments"
    __table_args__ = (
        CheckConstraint(one_of("house_damage", HouseDamage), name="house_damage_known"),
        CheckConstraint("deaths >= 0", name="deaths_nonneg"),
        # Imports into one event queue on its row; two into different events can still race
        # for one submission: the loser is told to import again, which names the winner.
        UniqueConstraint("submission_id", info={"violation": SubmissionImportedAtOnce}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    desa_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    posko_id: Mapped[int | None] = mapped_column(ForeignKey("posko.id"), index=True)
    assessed_on: Mapped[date]
    kk_number: Mapped[str | None] = mapped_column(String(16), index=True)
    head_name: Mapped[str] = mapped_column(String(120))
    head_nik: Mapped[str | None] = mapped_column(String(16))
    address: Mapped[str | None] = mapped_column(String(250))
    house_damage: Mapped[str] = mapped_column(String(20))
    lost_livelihood: Mapped[bool] = mapped_column(default=False)
    deaths: Mapped[int] = mapped_column(default=0)
    urgent_needs: Mapped[str | None] = mapped_column(String(500))
    submission_id: Mapped[str | None] = mapped_column(String(64))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    members: Mapped[list[HouseholdMember]] = relationship(
        back_populates="household", order_by="HouseholdMember.position",
        cascade="all, delete-orphan")
    desa = relationship("Region")


class HouseholdMember(Base):
    """A person of an assessed household; NIK may come later (papers are often lost)."""

    __tablename__ = "household_members"
    __table_args__ = (
        CheckConstraint(one_of("sex", Sex), name="sex_known"),
        CheckConstraint("age IS NULL OR (age >= 0 AND age <= 130)", name="age_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household_assessments.id"),
                                              index=True)
    position: Mapped[int]  # order on the form, the head first
    name: Mapped[str] = mapped_column(String(120))
    nik: Mapped[str | None] = mapped_column(String(16))
    sex: Mapped[str] = mapped_column(String(1))
    age: Mapped[int | None]
    relation: Mapped[str | None] = mapped_column(String(40))
    is_pregnant: Mapped[bool] = mapped_column(default=False)
    is_breastfeeding: Mapped[bool] = mapped_column(default=False)
    is_disabled: Mapped[bool] = mapped_column(default=False)

    household: Mapped[HouseholdAssessment] = relationship(back_populates="members")
