"""SLRT cases, their needs, the referrals they lead to, the programmes referred to, and the
step history: what the Puskesos pipeline records from pendaftaran to a closed case.

Every move of a case or a referral writes one `Step` row (when, who, from, to, why), so the
monitoring page can measure days per step from the rows themselves rather than from a status
field that forgets its past.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from logistics.db import Base, UTCDateTime, one_of, utcnow
from logistics.i18n import N_


class CaseStatus(StrEnum):
    REGISTERED = "pendaftaran"
    HANDLING = "penanganan"
    DECIDING = "penetapan"
    REFERRED = "rujukan"
    CLOSED = "selesai"


OPEN = "status <> 'selesai'"


class ReferralStatus(StrEnum):
    PROPOSED = "diusulkan"
    APPROVED = "ditetapkan"
    NOT_APPROVED = "tidak_ditetapkan"
    SENT = "dikirim"
    ACCEPTED = "diterima"
    SERVED = "dilayani"
    REJECTED = "ditolak"


class Source(StrEnum):
    WALK_IN = "datang_langsung"
    OUTREACH = "penjangkauan"
    DISASTER = "kaji_bencana"


SOURCE_LABELS = {
    Source.WALK_IN: N_("Walk-in at the Puskesos"),
    Source.OUTREACH: N_("Outreach"),
    Source.DISASTER: N_("Disaster assessment"),
}


class Category(StrEnum):
    FOOD = "pangan"
    HEALTH = "kesehatan"
    EDUCATION = "pendidikan"
    HOUSING = "perumahan"
    DISABILITY = "disabilitas"
    ELDERLY = "lansia"
    CHILD = "anak"
    PSYCHOSOCIAL = "psikososial"
    LIVELIHOOD = "mata_pencaharian"
    CIVIL_REGISTRY = "adminduk"
    BEREAVEMENT = "ahli_waris"
    OTHER = "lainnya"


CATEGORY_LABELS = {
    Category.FOOD: N_("Food aid (bantuan pangan)"),
    Category.HEALTH: N_("Health (kesehatan)"),
    Category.EDUCATION: N_("Education (pendidikan)"),
    Category.HOUSING: N_("Housing / RTLH (perumahan)"),
    Category.DISABILITY: N_("Disability (disabilitas)"),
    Category.ELDERLY: N_("Elderly (lansia)"),
    Category.CHILD: N_("Children (anak)"),
    Category.PSYCHOSOCIAL: N_("Psychosocial support (psikososial)"),
    Category.LIVELIHOOD: N_("Lost livelihood (kehilangan mata pencaharian)"),
    Category.CIVIL_REGISTRY: N_("Civil registration (administrasi kependudukan)"),
    Category.BEREAVEMENT: N_("Death in the family (santunan ahli waris)"),
    Category.OTHER: N_("Other"),
}


class Outcome(StrEnum):
    RESOLVED = "tertangani"
    UNRESOLVED = "tidak_tertangani"


class Programme(Base):
    """A programme households can be referred to, with the agency that receives the letter and
    who is eligible, as data: advice for the back office, never an automatic refusal."""

    __tablename__ = "slrt_programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    agency: Mapped[str] = mapped_column(String(200))  # who receives the surat rujukan
    agency_address: Mapped[str | None] = mapped_column(String(250))
    kind: Mapped[str] = mapped_column(String(20))  # nasional, daerah, mitra, bencana
    categories: Mapped[str] = mapped_column(String(250), default="")  # comma-separated Category
    max_decile: Mapped[int | None]  # eligible up to this welfare decile (None: any)
    needs_register: Mapped[bool] = mapped_column(default=False)  # listed in DTKS/DTSEN
    eligibility_note: Mapped[str | None] = mapped_column(String(500))
    is_active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<Programme {self.code}>"


class Case(Base):
    """One household's complaint or need, followed from the front office to its close."""

    __tablename__ = "slrt_cases"
    __table_args__ = (
        CheckConstraint(one_of("status", CaseStatus), name="status_known"),
        CheckConstraint(one_of("source", Source), name="source_known"),
        CheckConstraint(f"outcome IS NULL OR {one_of('outcome', Outcome)}",
                        name="outcome_known"),
        # One open case per household: a new need is added to it, not a second case opened;
        # the index makes two racing imports of one No. KK meet here.
        Index("ix_slrt_cases_one_open_per_household", "household_id", unique=True,
              sqlite_where=text(OPEN), postgresql_where=text(OPEN)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("slrt_households.id"), index=True)
    puskesos_id: Mapped[int] = mapped_column(ForeignKey("slrt_puskesos.id"), index=True)
    source: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=CaseStatus.REGISTERED, index=True)
    status_since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    findings: Mapped[str | None] = mapped_column(Text)  # the back office's verification
    outcome: Mapped[str | None] = mapped_column(String(20))
    close_reason: Mapped[str | None] = mapped_column(String(500))
    closed_on: Mapped[date | None]
    registered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    household = relationship("Household")
    puskesos = relationship("Puskesos")
    needs: Mapped[list[Need]] = relationship(back_populates="case", order_by="Need.id")
    referrals: Mapped[list[Referral]] = relationship(back_populates="case",
                                                     order_by="Referral.id")

    def __repr__(self) -> str:
        return f"<Case {self.number} {self.status}>"


class Need(Base):
    """A complaint or need of the case; a disaster assessment adds one, linked to it."""

    __tablename__ = "slrt_needs"
    __table_args__ = (
        CheckConstraint(one_of("category", Category), name="category_known"),
        # An assessment adds its need to a case once, however often it is imported.
        UniqueConstraint("case_id", "household_assessment_id", "category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("slrt_cases.id"), index=True)
    category: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    household_assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("household_assessments.id"), index=True)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="needs")


class Referral(Base):
    """A recommended programme for a case, then the manager's decision, the letter and what
    the receiving agency did with it."""

    __tablename__ = "slrt_referrals"
    __table_args__ = (
        CheckConstraint(one_of("status", ReferralStatus), name="status_known"),
        UniqueConstraint("case_id", "programme_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("slrt_cases.id"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("slrt_programmes.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=ReferralStatus.PROPOSED, index=True)
    status_since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recommendation: Mapped[str | None] = mapped_column(Text)
    letter_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    letter_date: Mapped[date | None]
    signer_name: Mapped[str | None] = mapped_column(String(120))
    signer_position: Mapped[str | None] = mapped_column(String(120))
    reason: Mapped[str | None] = mapped_column(String(500))  # why not approved / rejected
    recommended_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship(back_populates="referrals")
    programme: Mapped[Programme] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<Referral {self.case_id}:{self.programme_id} {self.status}>"


class Step(Base):
    """One move of a case (referral_id empty) or of one of its referrals."""

    __tablename__ = "slrt_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("slrt_cases.id"), index=True)
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("slrt_referrals.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(500))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    actor = relationship("User")


class IntakeCondition(Base):
    """Which household-assessment findings open an SLRT case, and as what need: data, so the
    Dinas Sosial can add or switch off a condition without a release."""

    __tablename__ = "slrt_intake_conditions"
    __table_args__ = (CheckConstraint(one_of("category", Category), name="category_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    # What is tested, one of `logistics.referrals.intake.TESTS`: "house_damage", "deaths", ...
    finding: Mapped[str] = mapped_column(String(30))
    value: Mapped[str] = mapped_column(String(30))  # the threshold or value, as text
    category: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(String(250))  # the need's text, Indonesian
    is_active: Mapped[bool] = mapped_column(default=True)


class StepLimit(Base):
    """Days a case may stay in a step before the queues highlight it as overdue."""

    __tablename__ = "slrt_step_limits"

    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    days: Mapped[int]
