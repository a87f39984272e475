"""Dispatch factories: volunteers, equipment, regu and unavailable days as plain rows, an event
with a posko, and a coordinator who dispatches.

Volunteers and equipment are inserted as model rows (the registration operations are another
module's); each factory commits in its own app context, so the test's session and threads see
the rows at once. Listed in the root conftest's ``pytest_plugins``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import count

import pytest
from sqlalchemy import func, select

from app.extensions import db
from logistics.accounts import queries as account_queries
from logistics.accounts.models import User
from logistics.calendar import local_time
from logistics.roster import dispatch as dispatch_module
from logistics.roster.deployment_models import Deployment, Dispatch, Equipment, OutgoingMessage
from logistics.roster.models import Skill, Team, TeamMember, Unavailability, Volunteer

COORDINATOR = "koordinator-tagana"


def hours_from_now(start: float, length: float) -> tuple[datetime, datetime]:
    """A period starting ``start`` hours from a whole hour in the near future."""
    base = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return base + timedelta(hours=start), base + timedelta(hours=start + length)


def local_days(period: tuple[datetime, datetime]) -> tuple[date, date]:
    """The first and last day a period touches in the kabupaten's zone; its end is exclusive,
    so a period ending at local midnight does not touch the next day.

    Tests that compute the days from UTC dates pass or fail by the hour they run at."""
    starts_at, ends_at = period
    return (local_time(starts_at).date(),
            local_time(ends_at - timedelta(microseconds=1)).date())


@dataclass
class DispatchWorld:
    app: object
    emergency: object  # tests.emergency.factories.EmergencyWorld
    make_user: object
    counter: count = field(default_factory=lambda: count(1))
    _posko: int | None = None

    def _add(self, row) -> int:
        with self.app.app_context():
            db.session.add(row)
            db.session.commit()
            return row.id

    def coordinator(self, username: str = COORDINATOR, role: str = "coordinator") -> str:
        with self.app.app_context():
            exists = db.session.scalar(select(User.id).where(User.username == username))
        if not exists:
            self.make_user(role=role, username=username)
        return username

    def posko(self, **fields) -> int:
        """The default posko (made once), or a new one in a new event with ``fields``."""
        if self._posko is not None and not fields:
            return self._posko
        event_id = self.emergency.event(status="tanggap_darurat")
        posko_id = self.emergency.posko(event_id, **fields)
        if not fields:
            self._posko = posko_id
        return posko_id

    def volunteer(self, name: str | None = None, *, status: str = "active",
                  phone: str | None = "+6281234500000", kind: str = "sahabat_tagana") -> int:
        number = next(self.counter)
        self.emergency.ensure_regions()
        return self._add(Volunteer(
            kind=kind, nia=f"NIA-{number}" if kind == "tagana" else None,
            name=name or f"Relawan {number}", nik=f"170301{number:010d}", sex="M",
            birth_date=date(1995, 5, 17), phone=phone and f"{phone[:-4]}{number:04d}",
            home_desa_code=self.emergency.DESA, status=status, joined_on=date(2024, 1, 1)))

    def volunteers(self, how_many: int) -> list[int]:
        return [self.volunteer() for _ in range(how_many)]

    def equipment(self, name: str | None = None, *, kind: str = "perahu_karet",
                  status: str = "ready") -> int:
        number = next(self.counter)
        return self._add(Equipment(code=f"EQ-{number}", kind=kind, status=status,
                                   name=name or f"Perahu karet {number}"))

    def skill(self, code: str = "dapur_umum", name: str = "Dapur umum") -> str:
        with self.app.app_context():
            if db.session.get(Skill, code) is None:
                db.session.add(Skill(code=code, name=name))
                db.session.commit()
        return code

    def team(self, name: str, members: list[int], *, leader: int | None = None) -> int:
        team_id = self._add(Team(name=name, leader_id=leader))
        with self.app.app_context():
            db.session.add_all([TeamMember(volunteer_id=member, team_id=team_id)
                                for member in members])
            db.session.commit()
        return team_id

    def unavailable(self, volunteer_id: int, starts_on: date, ends_on: date) -> int:
        return self._add(Unavailability(volunteer_id=volunteer_id, starts_on=starts_on,
                                        ends_on=ends_on, reason="Kerja di kebun"))

    def send(self, *, period=None, actor: str | None = None, posko_id: int | None = None,
             **arguments) -> int:
        """Dispatch through the real operation and commit; returns the dispatch id."""
        starts_at, ends_at = period or hours_from_now(0, 24)
        actor, posko_id = actor or self.coordinator(), posko_id or self.posko()
        with self.app.app_context():
            user = account_queries.get_user_by_username(db.session, actor)
            record = dispatch_module.dispatch(
                db.session, actor=user, posko_id=posko_id,
                starts_at=starts_at, ends_at=ends_at, **arguments)
            db.session.commit()
            return record.id

    def number(self, dispatch_id: int) -> str:
        with self.app.app_context():
            return db.session.get(Dispatch, dispatch_id).number

    def deployment_ids(self, dispatch_id: int) -> list[int]:
        with self.app.app_context():
            return list(db.session.scalars(select(Deployment.id).where(
                Deployment.dispatch_id == dispatch_id).order_by(Deployment.id)))

    def deployment(self, deployment_id: int) -> Deployment:
        with self.app.app_context():
            row = db.session.get(Deployment, deployment_id)
            db.session.expunge(row)
            return row

    def counts(self) -> tuple[int, int, int]:
        """(dispatches, deployments, messages) in the database."""
        with self.app.app_context():
            return tuple(db.session.scalar(select(func.count()).select_from(model))
                         for model in (Dispatch, Deployment, OutgoingMessage))


@pytest.fixture
def dispatching(app, emergency, make_user) -> DispatchWorld:
    return DispatchWorld(app, emergency, make_user)
