"""Bring a Sahabat Tagana up to Tagana, and see who is on the way, kecamatan by kecamatan.

A promotion is history, not only a changed kind: the Bupati asks how many were brought up this
year. The kind changes by a guarded update (`status.move` on the ``kind`` column, with the NIA
in the same statement), so two coordinators promoting one person at once make one Tagana and
one 409; the NIA's unique constraint referees two people given one NIA.

"Lacking" in the pipeline means: a training the promotion ladder asks for
(`REQUIRED_FOR_PROMOTION`, today the diklat dasar) without a certificate valid today. A
Sahabat Tagana lacking nothing is ready to be promoted. The ladder is data here, so a Dinas
asking for more (e.g. a first-aid specialisation) changes one line.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from logistics.accounts.roles import Permission
from logistics.calendar import local_today
from logistics.core import status
from logistics.core.atomic import idempotent
from logistics.errors import InvalidInput
from logistics.regions.models import Region
from logistics.roster import errors
from logistics.roster.lookups import active_or_fail, ensure_can, volunteer_or_fail
from logistics.roster.models import (
    VOLUNTEER_KIND_LABELS,
    Promotion,
    Training,
    TrainingKind,
    Volunteer,
    VolunteerKind,
    VolunteerStatus,
    normal_nia,
)

KIND_FLOW = status.Flow("roster.kind", moves={
    VolunteerKind.SAHABAT: frozenset({VolunteerKind.TAGANA}),
}, labels=VOLUNTEER_KIND_LABELS)
REQUIRED_FOR_PROMOTION: tuple[TrainingKind, ...] = (TrainingKind.BASIC,)


@idempotent("roster.promote")
def promote(session, *, actor, volunteer_id, nia, promoted_on=None, decree_ref=None,
            today=None) -> Promotion:
    """Make an active Sahabat Tagana a Tagana with the NIA given; the history keeps the day,
    the NIA and the decree."""
    ensure_can(actor, Permission.MANAGE_ROSTER)
    today = today or local_today()
    promoted_on = promoted_on or today
    volunteer = volunteer_or_fail(session, volunteer_id, field="volunteer_id")
    if volunteer.kind == VolunteerKind.TAGANA:
        raise errors.AlreadyTagana(name=volunteer.name, field="volunteer_id")
    active_or_fail(volunteer, field="volunteer_id")
    if promoted_on > today:
        raise InvalidInput(errors.PROMOTED_IN_FUTURE, field="promoted_on")
    if promoted_on < volunteer.joined_on:
        raise InvalidInput(errors.PROMOTED_BEFORE_JOINING, field="promoted_on")
    nia = normal_nia(nia or "")
    if not nia:
        raise errors.NiaRequired(field="nia")
    holder = session.scalar(select(Volunteer.name).where(Volunteer.nia == nia))
    if holder is not None:
        raise errors.DuplicateNia(nia=nia, name=holder, field="nia")
    status.move(session, Volunteer, volunteer.id, KIND_FLOW, to=VolunteerKind.TAGANA,
                from_=VolunteerKind.SAHABAT, column="kind", nia=nia)
    promotion = Promotion(volunteer_id=volunteer.id, promoted_on=promoted_on, nia=nia,
                          decree_ref=" ".join(decree_ref.split()) if decree_ref else None,
                          recorded_by_id=actor.id)
    volunteer.promotions.append(promotion)
    session.flush()
    return promotion


def promotions_between(session, starts_on: date, ends_on: date) -> list[Promotion]:
    """Promotions dated in the period, both days included (how many were brought up)."""
    return list(session.scalars(select(Promotion).where(
        Promotion.promoted_on >= starts_on, Promotion.promoted_on <= ends_on)
        .order_by(Promotion.promoted_on, Promotion.id)))


@dataclass(frozen=True)
class OnTheWay:
    volunteer_id: int
    name: str
    desa_code: str
    desa_name: str
    joined_on: date
    held: tuple[str, ...]  # training kinds with a certificate valid today
    lacking: tuple[str, ...]  # kinds of REQUIRED_FOR_PROMOTION still missing

    @property
    def is_ready(self) -> bool:
        return not self.lacking


@dataclass
class KecamatanPipeline:
    kecamatan_code: str
    kecamatan_name: str
    volunteers: list[OnTheWay] = field(default_factory=list)

    @property
    def ready(self) -> int:
        return sum(person.is_ready for person in self.volunteers)

    @property
    def lacking(self) -> int:
        return len(self.volunteers) - self.ready


def pipeline(session, *, today: date | None = None,
             kecamatan_code: str | None = None) -> list[KecamatanPipeline]:
    """Active Sahabat Tagana by the kecamatan of their home desa, each with the trainings
    they hold and those they still lack; kecamatan in code order, people by name."""
    today = today or local_today()
    desa, kecamatan = aliased(Region), aliased(Region)
    query = (select(Volunteer.id, Volunteer.name, Volunteer.joined_on, desa.code, desa.name,
                    kecamatan.code, kecamatan.name)
             .join(desa, desa.code == Volunteer.home_desa_code)
             .join(kecamatan, kecamatan.code == desa.parent_code)
             .where(Volunteer.kind == VolunteerKind.SAHABAT,
                    Volunteer.status == VolunteerStatus.ACTIVE)
             .order_by(kecamatan.code, Volunteer.name, Volunteer.id))
    if kecamatan_code is not None:
        query = query.where(kecamatan.code == kecamatan_code)
    rows = session.execute(query).all()
    held = _valid_kinds(session, [row[0] for row in rows], today)
    by_kecamatan: dict[str, KecamatanPipeline] = {}
    for volunteer_id, name, joined_on, desa_code, desa_name, code, kecamatan_name in rows:
        kinds = held.get(volunteer_id, set())
        group = by_kecamatan.setdefault(code, KecamatanPipeline(code, kecamatan_name))
        group.volunteers.append(OnTheWay(
            volunteer_id, name, desa_code, desa_name, joined_on,
            held=tuple(kind.value for kind in TrainingKind if kind in kinds),
            lacking=tuple(kind.value for kind in REQUIRED_FOR_PROMOTION if kind not in kinds)))
    return list(by_kecamatan.values())


def _valid_kinds(session, volunteer_ids: list[int], today: date) -> dict[int, set[str]]:
    kinds: dict[int, set[str]] = defaultdict(set)
    for start in range(0, len(volunteer_ids), 500):  # keep IN lists short on both databases
        chunk = volunteer_ids[start:start + 500]
        for volunteer_id, kind in session.execute(
                select(Training.volunteer_id, Training.kind).distinct()
                .where(Training.volunteer_id.in_(chunk),
                       or_(Training.expires_on.is_(None), Training.expires_on >= today))):
            kinds[volunteer_id].add(kind)
    return kinds
