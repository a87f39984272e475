"""Tagana and Sahabat Tagana: who they are, what they can do, when they cannot come, their regu.

A volunteer's NIK and home point are personal data: the coordinator ranks by distance from home,
but posko staff and maps only ever see names, roles and phones (`logistics.core.masking`).
Promotions from Sahabat Tagana to Tagana are a history, because the Bupati asks how many were
brought up this year, not only who is Tagana today.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import IntEnum, StrEnum

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from logistics.core.identity import digits_of
from logistics.db import Base, UTCDateTime, one_of, utcnow
from logistics.i18n import N_
from logistics.roster import errors


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


def normal_nia(value: str) -> str:
    """The NIA as stored: trimmed, single spaces, upper case, so "tgn 17 0012" is "TGN 17 0012"."""
    return " ".join(value.split()).upper()


# What a unique constraint that fired in a race means, told as the rule the operation checks
# first (`logistics.core.constraints`): the arguments are the operation's.

def _nia_taken(session, arguments) -> errors.DuplicateNia:
    nia = normal_nia(str(arguments.get("nia") or ""))
    holder = session.scalar(select(Volunteer.name).where(Volunteer.nia == nia))
    return errors.DuplicateNia(nia=nia, name=holder or "-", field="nia")


def _nik_taken(session, arguments) -> errors.DuplicateNik:
    nik = digits_of(str(arguments.get("nik") or ""))
    holder = session.scalar(select(Volunteer.name).where(Volunteer.nik == nik))
    return errors.DuplicateNik(name=holder or "-", field="nik")


def _skill_taken(session, arguments) -> errors.DuplicateSkill:
    return errors.DuplicateSkill(skill=arguments.get("name"), field="code")


def _certificate_taken(session, arguments) -> errors.DuplicateCertificate:
    return errors.DuplicateCertificate(number=arguments.get("certificate_no"),
                                       field="certificate_no")


def _team_name_taken(session, arguments) -> errors.DuplicateTeamName:
    return errors.DuplicateTeamName(name=arguments.get("name"), field="name")


def _already_in_team(session, arguments) -> errors.AlreadyInTeam:
    """The first volunteer of the call who is now in a regu (another writer put them there)."""
    if "volunteer_id" in arguments:
        wanted = {arguments["volunteer_id"]: "volunteer_id"}
    else:
        wanted = {arguments.get("leader_id"): "leader_id"}
        for index, volunteer_id in enumerate(arguments.get("member_ids") or ()):
            wanted.setdefault(volunteer_id, f"member_ids.{index}")
    order = list(wanted)
    rows = session.execute(select(TeamMember.volunteer_id, Volunteer.name, Team.name)
                           .join(Volunteer, Volunteer.id == TeamMember.volunteer_id)
                           .join(Team, Team.id == TeamMember.team_id)
                           .where(TeamMember.volunteer_id.in_(order))).all()
    if not rows:
        return errors.AlreadyInTeam(name="-", team="-", field=wanted[order[0]])
    volunteer_id, name, team = min(rows, key=lambda row: order.index(row[0]))
    return errors.AlreadyInTeam(name=name, team=team, field=wanted[volunteer_id])


class Skill(Base):
    """A line of the skills catalogue (dapur umum, water rescue, LDP ...): data, not code."""

    __tablename__ = "skills"
    __table_args__ = (
        PrimaryKeyConstraint("code", info={"violation": _skill_taken}),
        UniqueConstraint("name", info={"violation": _skill_taken}),
    )

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
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
        UniqueConstraint("nia", info={"violation": _nia_taken}),
        UniqueConstraint("nik", info={"violation": _nik_taken}),
        # Dispatch suggestions search homes in a box around the posko (`roster.nearby`);
        # with the status in it the search reads the index alone.
        Index(None, "home_lat", "home_lon", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    is_legiun: Mapped[bool] = mapped_column(default=False)
    nia: Mapped[str | None] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(120))
    nik: Mapped[str] = mapped_column(String(16))
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
    promotions: Mapped[list[Promotion]] = relationship(order_by="Promotion.promoted_on")

    def __repr__(self) -> str:
        return f"<Volunteer {self.id} {self.kind}>"


class VolunteerSkill(Base):
    __tablename__ = "volunteer_skills"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 3", name="level_known"),
        # Suggestions read skill and level of each home in the box from the index alone.
        Index(None, "volunteer_id", "skill_code", "level"),
    )

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
        UniqueConstraint("volunteer_id", "certificate_no", name="certificate_once",
                         info={"violation": _certificate_taken}),
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
    __table_args__ = (
        UniqueConstraint("name", info={"violation": _team_name_taken}),
        # "Regu Melati" and "regu melati" are one regu: the operation compares names folded,
        # and this index referees two coordinators creating them at the same moment.
        Index("uq_teams_name_folded", func.lower(text("name")), unique=True,
              info={"violation": _team_name_taken}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    kecamatan_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TeamMember(Base):
    """One regu per volunteer at a time: the primary key is the volunteer."""

    __tablename__ = "team_members"
    __table_args__ = (PrimaryKeyConstraint("volunteer_id", info={"violation": _already_in_team}),)

    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
