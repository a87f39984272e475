"""Tagana and Sahabat Tagana: who they are, what they can do, when they cannot come, their regu.

A volunteer's NIK and home point are personal data: the coordinator ranks by distance from home,
but posko staff and maps only ever see names, roles and phones (`logistics.core.masking`).
Promotions from Sahabat Tagana to Tagana are a history, because the Bupati asks how many were
brought up this year, not only who is Tagana today.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import IntEnum, StrEnum

from sqlalchemy import CheckConstraint, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from logistics.db import Base, UTCDateTime, one_of, utcnow
from logistics.i18n import N_


class VolunteerKind(StrEnum):
    TAGANA = "tagana"
    SAHABAT = "sahabat_tagana"


VOLUNTEER_KIND_LABELS = {
    VolunteerKind.TAGANA: N_("Tagana"),
    VolunteerKind.SAHABAT: N_("Sahabat Tagana"),
}


class VolunteerStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    SUSPENDED = "suspended"


VOLUNTEER_STATUS_LABELS = {
    VolunteerStatus.ACTIVE: N_("active"),
    VolunteerStatus.INACTIVE: N_("inactive"),
    VolunteerStatus.SUSPENDED: N_("suspended"),
}


class Sex(StrEnum):
    FEMALE = "F"
    MALE = "M"


class SkillLevel(IntEnum):
    BASIC = 1
    SKILLED = 2
    EXPERT = 3


SKILL_LEVEL_LABELS = {
    SkillLevel.BASIC: N_("basic"),
    SkillLevel.SKILLED: N_("skilled"),
    SkillLevel.EXPERT: N_("expert"),
}


class TrainingKind(StrEnum):
    """Kemensos's Tagana training ladder: diklat dasar, lanjutan, then specialisations."""

    BASIC = "dasar"
    ADVANCED = "lanjutan"
    SPECIALIST = "spesialisasi"


TRAINING_KIND_LABELS = {
    TrainingKind.BASIC: N_("Diklat dasar (basic training)"),
    TrainingKind.ADVANCED: N_("Diklat lanjutan (advanced training)"),
    TrainingKind.SPECIALIST: N_("Diklat spesialisasi (specialist training)"),
}


class Skill(Base):
    """A line of the skills catalogue (dapur umum, water rescue, LDP ...): data, not code."""

    __tablename__ = "skills"

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    position: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<Skill {self.code}>"


class Volunteer(Base):
    """A Tagana (with a Nomor Induk Anggota) or a Sahabat Tagana (without one yet)."""

    __tablename__ = "volunteers"
    __table_args__ = (
        CheckConstraint(one_of("kind", VolunteerKind), name="kind_known"),
        CheckConstraint(one_of("status", VolunteerStatus), name="status_known"),
        CheckConstraint(one_of("sex", Sex), name="sex_known"),
        # A Tagana has an NIA and a Sahabat Tagana has none: promotion assigns it.
        CheckConstraint("(kind = 'tagana') = (nia IS NOT NULL)", name="nia_iff_tagana"),
        CheckConstraint("is_legiun = false OR kind = 'tagana'", name="legiun_is_tagana"),
        CheckConstraint("(home_lon IS NULL) = (home_lat IS NULL)", name="home_point_whole"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    is_legiun: Mapped[bool] = mapped_column(default=False)
    nia: Mapped[str | None] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    nik: Mapped[str] = mapped_column(String(16), unique=True)
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date]
    phone: Mapped[str | None] = mapped_column(String(16))  # +62..., as wa.me wants it
    home_desa_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    home_lon: Mapped[float | None] = mapped_column(Float)
    home_lat: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(10), default=VolunteerStatus.ACTIVE)
    joined_on: Mapped[date]
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    skills: Mapped[list[VolunteerSkill]] = relationship(
        back_populates="volunteer", cascade="all, delete-orphan",
        order_by="VolunteerSkill.skill_code")
    home_desa = relationship("Region")

    def __repr__(self) -> str:
        return f"<Volunteer {self.id} {self.kind}>"


class VolunteerSkill(Base):
    __tablename__ = "volunteer_skills"
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 3", name="level_known"),)

    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), primary_key=True)
    skill_code: Mapped[str] = mapped_column(ForeignKey("skills.code"), primary_key=True,
                                            index=True)
    level: Mapped[int] = mapped_column(Integer, default=SkillLevel.BASIC)

    volunteer: Mapped[Volunteer] = relationship(back_populates="skills")


class Training(Base):
    """A training completed, with its certificate; a specialisation names the skill it certifies."""

    __tablename__ = "trainings"
    __table_args__ = (
        CheckConstraint(one_of("kind", TrainingKind), name="kind_known"),
        CheckConstraint("ended_on >= started_on", name="ends_after_start"),
        CheckConstraint("expires_on IS NULL OR expires_on >= ended_on", name="expires_after_end"),
        UniqueConstraint("volunteer_id", "certificate_no", name="certificate_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    skill_code: Mapped[str | None] = mapped_column(ForeignKey("skills.code"))
    certificate_no: Mapped[str] = mapped_column(String(60))
    started_on: Mapped[date]
    ended_on: Mapped[date]
    expires_on: Mapped[date | None] = mapped_column(index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Promotion(Base):
    """A Sahabat Tagana made Tagana: the day, the NIA given, and who recorded it."""

    __tablename__ = "volunteer_promotions"

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    promoted_on: Mapped[date]
    nia: Mapped[str] = mapped_column(String(30))
    decree_ref: Mapped[str | None] = mapped_column(String(80))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Unavailability(Base):
    """A period a volunteer said they cannot be sent (work, illness, family), both days included."""

    __tablename__ = "volunteer_unavailability"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    reason: Mapped[str | None] = mapped_column(String(200))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Team(Base):
    """A regu: volunteers sent together under their leader."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    kecamatan_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TeamMember(Base):
    """One regu per volunteer at a time: the primary key is the volunteer."""

    __tablename__ = "team_members"

    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
