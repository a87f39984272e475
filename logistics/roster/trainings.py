"""Record a training a volunteer completed, and find the certificates about to run out.

The ladder is Kemensos's: diklat dasar, lanjutan, then specialisations, each of which certifies
one skill of the catalogue. A certificate that expires is renewed by a later training of the
same kind (and skill): only the latest one of each counts for alerts, so a renewed certificate
stops warning and an old one already replaced never shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import aliased

from logistics.accounts.roles import Permission
from logistics.calendar import local_today
from logistics.core.atomic import idempotent
from logistics.errors import InvalidInput
from logistics.roster import errors
from logistics.roster.lookups import ensure_can, skill_or_fail, volunteer_or_fail
from logistics.roster.models import Training, TrainingKind, Volunteer, VolunteerStatus


@idempotent("roster.record_training")
def record_training(session, *, actor, volunteer_id, kind, certificate_no, started_on,
                    ended_on, expires_on=None, skill_code=None, today=None) -> Training:
    """Record a completed diklat with its certificate; a spesialisasi names its skill."""
    ensure_can(actor, Permission.MANAGE_ROSTER)
    today = today or local_today()
    volunteer = volunteer_or_fail(session, volunteer_id, field="volunteer_id")
    kind = TrainingKind(kind)
    if kind == TrainingKind.SPECIALIST and not skill_code:
        raise errors.SpecialistNeedsSkill(field="skill_code")
    if kind != TrainingKind.SPECIALIST and skill_code:
        raise errors.SkillOnlyForSpecialist(field="skill_code")
    if skill_code:
        skill_or_fail(session, skill_code)
    if ended_on < started_on:
        raise InvalidInput(errors.ENDS_BEFORE_START, field="ended_on")
    if ended_on > today:
        raise InvalidInput(errors.ENDED_IN_FUTURE, field="ended_on")
    if expires_on is not None and expires_on < ended_on:
        raise InvalidInput(errors.EXPIRES_BEFORE_END, field="expires_on")
    certificate_no = " ".join(certificate_no.split())
    if session.scalar(select(Training.id).where(Training.volunteer_id == volunteer.id,
                                                Training.certificate_no == certificate_no)):
        raise errors.DuplicateCertificate(number=certificate_no, field="certificate_no")
    training = Training(volunteer_id=volunteer.id, kind=kind, skill_code=skill_code or None,
                        certificate_no=certificate_no, started_on=started_on, ended_on=ended_on,
                        expires_on=expires_on, recorded_by_id=actor.id)
    session.add(training)
    session.flush()
    return training


def is_valid(training: Training, today: date) -> bool:
    """Whether the certificate still holds on ``today`` (one without expiry always does)."""
    return training.expires_on is None or training.expires_on >= today


def trainings_of(session, volunteer_id: int) -> list[Training]:
    """A volunteer's trainings, latest first."""
    return list(session.scalars(select(Training).where(Training.volunteer_id == volunteer_id)
                                .order_by(Training.ended_on.desc(), Training.id.desc())))


@dataclass(frozen=True)
class ExpiringCertificate:
    training: Training
    volunteer: Volunteer
    days_left: int  # negative once expired


def latest_of_each():
    """SQL condition: the training is the latest of its volunteer, kind and skill (no later
    one renewed it)."""
    later = aliased(Training)
    return ~exists().where(
        later.volunteer_id == Training.volunteer_id, later.kind == Training.kind,
        later.skill_code.is_not_distinct_from(Training.skill_code),
        or_(later.ended_on > Training.ended_on,
            and_(later.ended_on == Training.ended_on, later.id > Training.id)))


def expiring_certificates(session, *, within_days: int, today: date | None = None,
                          include_expired: bool = False) -> list[ExpiringCertificate]:
    """Active volunteers' latest certificates expiring within ``within_days`` of ``today``
    (and those already expired with ``include_expired``), soonest first."""
    today = today or local_today()
    horizon = today + timedelta(days=within_days)
    query = (select(Training, Volunteer).join(Volunteer, Volunteer.id == Training.volunteer_id)
             .where(Volunteer.status == VolunteerStatus.ACTIVE,
                    Training.expires_on.is_not(None), Training.expires_on <= horizon,
                    latest_of_each())
             .order_by(Training.expires_on, Volunteer.name, Training.id))
    if not include_expired:
        query = query.where(Training.expires_on >= today)
    return [ExpiringCertificate(training, volunteer, (training.expires_on - today).days)
            for training, volunteer in session.execute(query)]
