"""Puskesos, households and the people in them: who the SLRT pipeline serves.

A person is in one household at a time: `Membership` rows keep the history (moving is ending
one and starting another), and a partial unique index on the open ones lets the database refuse
a second household even when two clerks register the same person at once. The social-register
status (DTKS / DTSEN, welfare decile, the day it was checked) is data on the household, never a
rule in code: programmes read it as advice (`logistics.referrals.programmes`).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    UniqueConstraint,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from logistics.core.identity import digits_of
from logistics.core.masking import mask_number
from logistics.db import Base, UTCDateTime, one_of, utcnow
from logistics.i18n import N_
from logistics.referrals import errors


class Register(StrEnum):
    """Which national social register the household was checked against."""

    DTKS = "dtks"
    DTSEN = "dtsen"


REGISTER_LABELS = {Register.DTKS: "DTKS", Register.DTSEN: "DTSEN"}


class Sex(StrEnum):
    MALE = "L"
    FEMALE = "P"


class Relation(StrEnum):
    """Hubungan dalam keluarga, as on the Kartu Keluarga."""

    HEAD = "kepala"
    SPOUSE = "istri_suami"
    CHILD = "anak"
    CHILD_IN_LAW = "menantu"
    GRANDCHILD = "cucu"
    PARENT = "orang_tua"
    PARENT_IN_LAW = "mertua"
    OTHER_FAMILY = "famili_lain"
    OTHER = "lainnya"


RELATION_LABELS = {
    Relation.HEAD: N_("Head of household"),
    Relation.SPOUSE: N_("Wife / husband"),
    Relation.CHILD: N_("Child"),
    Relation.CHILD_IN_LAW: N_("Son- or daughter-in-law"),
    Relation.GRANDCHILD: N_("Grandchild"),
    Relation.PARENT: N_("Parent"),
    Relation.PARENT_IN_LAW: N_("Parent-in-law"),
    Relation.OTHER_FAMILY: N_("Other family"),
    Relation.OTHER: N_("Other"),
}

puskesos_staff = Table(
    "slrt_puskesos_staff", Base.metadata,
    Column("puskesos_id", ForeignKey("slrt_puskesos.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


def _kk_taken(session, arguments) -> errors.KkTaken:
    """Two clerks registered one No. KK at once: the loser reads whose it became."""
    kk = digits_of(str(arguments.get("kk_number") or ""))
    holder = session.scalar(select(Household).where(Household.kk_number == kk))
    desa = holder.desa.name if holder is not None and holder.desa is not None else "-"
    return errors.KkTaken(kk=mask_number(kk), desa=desa, field="kk_number")


def _person_elsewhere(session, arguments) -> errors.PersonInAnotherHousehold:
    """Two clerks put one NIK in two households at once: name the member (row) that lost.
    The number is masked: the message reaches logs and viewers who may not see it."""
    rows = arguments.get("members")
    typed = ([(f"members.{i}.nik", row.get("nik")) for i, row in enumerate(rows)]
             if rows is not None else [("nik", arguments.get("nik"))])
    typed = [(field, digits_of(str(nik))) for field, nik in typed if nik]
    lives = set(session.scalars(
        select(Person.nik).join(Membership, Membership.person_id == Person.id)
        .where(Person.nik.in_([nik for _, nik in typed]), Membership.ended_on.is_(None))))
    field, nik = next(((f, n) for f, n in typed if n in lives), typed[0] if typed else (None, ""))
    return errors.PersonInAnotherHousehold(nik=mask_number(nik) or "-", field=field)


class Puskesos(Base):
    """Pusat Kesejahteraan Sosial: the one door of a desa or kelurahan for SLRT."""

    __tablename__ = "slrt_puskesos"

    id: Mapped[int] = mapped_column(primary_key=True)
    desa_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str | None] = mapped_column(String(250))
    is_active: Mapped[bool] = mapped_column(default=True)

    desa = relationship("Region")

    def __repr__(self) -> str:
        return f"<Puskesos {self.desa_code} {self.name}>"


class Household(Base):
    """A family as on its Kartu Keluarga, with where it lives and its register status."""

    __tablename__ = "slrt_households"
    __table_args__ = (
        CheckConstraint(f"register IS NULL OR {one_of('register', Register)}",
                        name="register_known"),
        CheckConstraint("welfare_decile IS NULL OR welfare_decile BETWEEN 1 AND 10",
                        name="decile_range"),
        CheckConstraint("length(kk_number) = 16", name="kk_sixteen"),
        UniqueConstraint("kk_number", info={"violation": _kk_taken}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kk_number: Mapped[str] = mapped_column(String(16))
    puskesos_id: Mapped[int] = mapped_column(ForeignKey("slrt_puskesos.id"), index=True)
    desa_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    address: Mapped[str] = mapped_column(String(250))
    rt: Mapped[str | None] = mapped_column(String(3))
    rw: Mapped[str | None] = mapped_column(String(3))
    phone: Mapped[str | None] = mapped_column(String(20))
    # The register status as last checked: listed in which register (None: not listed), with
    # its welfare decile and the day of the check (None: never checked).
    register: Mapped[str | None] = mapped_column(String(10))
    welfare_decile: Mapped[int | None]
    register_checked_on: Mapped[date | None]
    registered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    puskesos: Mapped[Puskesos] = relationship()
    desa = relationship("Region")
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="household", order_by="Membership.id")

    @property
    def members(self) -> list[Membership]:
        """Who lives here now, the head first."""
        current = [m for m in self.memberships if m.ended_on is None]
        return sorted(current, key=lambda m: (m.relation != Relation.HEAD, m.id))

    @property
    def head(self) -> Person | None:
        return next((m.person for m in self.members if m.relation == Relation.HEAD), None)

    def __repr__(self) -> str:
        return f"<Household {self.id}>"


class Person(Base):
    """One person, known by NIK when they have one (papers are often lost in a disaster)."""

    __tablename__ = "slrt_people"
    __table_args__ = (
        CheckConstraint(one_of("sex", Sex), name="sex_known"),
        CheckConstraint("nik IS NULL OR length(nik) = 16", name="nik_sixteen"),
        UniqueConstraint("nik", info={"violation": _person_elsewhere}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nik: Mapped[str | None] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(120))
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date | None]
    is_disabled: Mapped[bool] = mapped_column(default=False)
    disability: Mapped[str | None] = mapped_column(String(120))

    def __repr__(self) -> str:
        return f"<Person {self.id}>"


class Membership(Base):
    """A person's time in a household; the open one (no end) is where they live now."""

    __tablename__ = "slrt_memberships"
    __table_args__ = (
        CheckConstraint(one_of("relation", Relation), name="relation_known"),
        CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="ends_after_start"),
        Index("ix_slrt_memberships_one_open_per_person", "person_id", unique=True,
              sqlite_where=text("ended_on IS NULL"), postgresql_where=text("ended_on IS NULL"),
              info={"violation": _person_elsewhere}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("slrt_people.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("slrt_households.id"), index=True)
    relation: Mapped[str] = mapped_column(String(20))
    started_on: Mapped[date]
    ended_on: Mapped[date | None]
    end_reason: Mapped[str | None] = mapped_column(String(250))

    person: Mapped[Person] = relationship(lazy="joined")
    household: Mapped[Household] = relationship(back_populates="memberships")

    def __repr__(self) -> str:
        return f"<Membership {self.person_id} in {self.household_id}>"


class AuditAction(StrEnum):
    VIEW = "view"
    CHANGE = "change"
    EXPORT = "export"


class PersonalDataAccess(Base):
    """Who viewed, changed or exported a household's personal data, and when: the manager
    reads this to answer a citizen's "who looked at my family's data?"."""

    __tablename__ = "slrt_personal_data_access"
    __table_args__ = (CheckConstraint(one_of("action", AuditAction), name="action_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("slrt_households.id"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(10))
    what: Mapped[str] = mapped_column(String(250))  # never a NIK or No. KK
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    actor = relationship("User")

