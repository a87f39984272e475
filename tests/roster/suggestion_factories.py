"""Suggestion factories: volunteers at known places around a posko, with skills at levels,
certificates, declared absences and past deployments, inserted as rows (registration and
dispatch are other modules'). Listed in the root conftest's ``pytest_plugins``.

Distances are real: the posko stands at (102.05, -3.45) and a home ``km`` kilometres east of
it is placed by the degree of longitude at that latitude, so ranking sees those kilometres.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import count

import pytest

from app.extensions import db
from logistics.accounts import queries as account_queries
from logistics.emergency.models import Posko
from logistics.roster import suggestions
from logistics.roster.deployment_models import Deployment, Dispatch, Equipment
from logistics.roster.models import (
    Skill,
    Training,
    Unavailability,
    Volunteer,
    VolunteerSkill,
)
from logistics.roster.ranking import EARTH_RADIUS_KM

POSKO_POINT = (102.05, -3.45)
KM_PER_DEGREE_LON = math.pi * EARTH_RADIUS_KM / 180 * math.cos(math.radians(3.45))
SKILLS = (("dapur_umum", "Dapur umum"), ("ldp", "Layanan dukungan psikososial"),
          ("logistik", "Logistik"), ("operator_perahu", "Operator perahu karet"))


def east_of_posko(km: float) -> tuple[float, float]:
    return POSKO_POINT[0] + km / KM_PER_DEGREE_LON, POSKO_POINT[1]


def next_day_period(days: int = 2) -> tuple[datetime, datetime]:
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    return start, start + timedelta(days=days)


@dataclass
class SuggestionWorld:
    app: object
    dispatching: object  # tests.roster.dispatch_factories.DispatchWorld
    counter: count = field(default_factory=lambda: count(1))

    def skills(self) -> None:
        with self.app.app_context():
            for position, (code, name) in enumerate(SKILLS):
                if db.session.get(Skill, code) is None:
                    db.session.add(Skill(code=code, name=name, position=position))
            db.session.commit()

    def posko(self, **fields) -> int:
        self.skills()
        return self.dispatching.posko(**fields)

    def volunteer(self, skills: dict[str, int], *, km: float | None = 5.0,
                  status: str = "active", name: str | None = None,
                  phone: str | None = "+6281230000000", desa: str | None = None) -> int:
        """A volunteer living ``km`` east of the posko (None: no home point) with ``skills``
        as code -> level."""
        self.skills()
        number = next(self.counter)
        self.dispatching.emergency.ensure_regions()
        point = east_of_posko(km) if km is not None else (None, None)
        with self.app.app_context():
            row = Volunteer(kind="sahabat_tagana", name=name or f"Relawan {number}",
                            nik=f"170302{number:010d}", sex="F", birth_date=date(1994, 2, 3),
                            phone=phone and f"{phone[:-4]}{number:04d}",
                            home_desa_code=desa or self.dispatching.emergency.DESA,
                            home_lon=point[0], home_lat=point[1], status=status,
                            joined_on=date(2024, 1, 1))
            db.session.add(row)
            db.session.flush()
            db.session.add_all([VolunteerSkill(volunteer_id=row.id, skill_code=code, level=level)
                                for code, level in skills.items()])
            db.session.commit()
            return row.id

    def certificate(self, volunteer_id: int, skill: str, expires_on: date | None,
                    number: str | None = None) -> None:
        with self.app.app_context():
            db.session.add(Training(
                volunteer_id=volunteer_id, kind="spesialisasi", skill_code=skill,
                certificate_no=number or f"SERT-{next(self.counter)}",
                started_on=date(2023, 1, 2), ended_on=date(2023, 1, 9), expires_on=expires_on))
            db.session.commit()

    def away(self, volunteer_id: int, starts_on: date, ends_on: date) -> None:
        with self.app.app_context():
            db.session.add(Unavailability(volunteer_id=volunteer_id, starts_on=starts_on,
                                          ends_on=ends_on))
            db.session.commit()

    def served(self, volunteer_id: int, *, ended_days_ago: float, hours: float,
               status: str = "ended") -> None:
        """A past deployment, checked in and out, ``hours`` long, ending that long ago."""
        posko_id = self.posko()
        ends = datetime.now(UTC) - timedelta(days=ended_days_ago)
        starts = ends - timedelta(hours=hours)
        with self.app.app_context():
            posko = db.session.get(Posko, posko_id)
            record = Dispatch(number=f"DSP-PAST-{next(self.counter)}", event_id=posko.event_id,
                              posko_id=posko_id)
            db.session.add(record)
            db.session.flush()
            checked = status != "cancelled"
            db.session.add(Deployment(
                dispatch_id=record.id, event_id=posko.event_id, posko_id=posko_id,
                volunteer_id=volunteer_id, role="dapur umum", starts_at=starts, ends_at=ends,
                status=status, checked_in_at=starts if checked else None,
                checked_out_at=ends if checked else None))
            db.session.commit()

    def boat(self, *, kecamatan_code: str | None = None, status: str = "ready") -> int:
        number = next(self.counter)
        self.dispatching.emergency.ensure_regions()
        with self.app.app_context():
            item = Equipment(code=f"PK-S{number}", kind="perahu_karet", name=f"Perahu {number}",
                             kecamatan_code=kecamatan_code, status=status)
            db.session.add(item)
            db.session.commit()
            return item.id

    def suggest(self, skills=None, equipment=None, *, period=None, posko_id=None,
                actor=None):
        starts_at, ends_at = period or next_day_period()
        actor = actor or self.dispatching.coordinator()
        posko_id = posko_id or self.posko()
        with self.app.app_context():
            user = account_queries.get_user_by_username(db.session, actor)
            result = suggestions.suggest(
                db.session, actor=user, posko_id=posko_id,
                starts_at=starts_at, ends_at=ends_at, skills=skills, equipment=equipment)
            db.session.rollback()
            return result


@pytest.fixture
def suggesting(app, dispatching) -> SuggestionWorld:
    return SuggestionWorld(app, dispatching)
