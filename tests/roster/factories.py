"""Roster factories: a coordinator, the skills catalogue, and volunteers living in the
emergency factories' desa (squares with real boundaries), with NIKs made from real kecamatan
codes so the shared NIK check takes them.

Each factory commits in its own app context, like `tests.emergency.factories`, so the test's
client and session see the rows at once. Listed in the root conftest's ``pytest_plugins``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import count

import pytest
from sqlalchemy import select

from app.extensions import db
from logistics.accounts import queries as account_queries
from logistics.accounts.models import User
from logistics.calendar import local_today
from logistics.core.identity import make_nik
from logistics.roster import skills, volunteers

COORDINATOR = "roster-coordinator"


@dataclass
class RosterWorld:
    """Volunteers for roster tests; ``emergency`` brings the kecamatan and its desa."""

    app: object
    emergency: object
    make_user: object
    serials: object = field(default_factory=lambda: count(1))

    KECAMATAN = "17.03.01"  # Enggano: a real code, so NIKs made from it are valid
    DESA = "17.03.01.2001"  # lon 102.0-102.1, lat -3.5 to -3.4
    OTHER_DESA = "17.03.01.2002"  # lon 102.1-102.2
    OTHER_KECAMATAN = "17.03.02"
    FAR_DESA = "17.03.02.2001"  # in OTHER_KECAMATAN
    HOME = (102.05, -3.45)  # (longitude, latitude) inside DESA

    def coordinator(self, username: str = COORDINATOR) -> str:
        """A Tagana coordinator (MANAGE_ROSTER, DISPATCH); made once, returns the username."""
        self.emergency.ensure_regions()
        with self.app.app_context():
            exists = db.session.scalar(select(User.id).where(User.username == username))
        if not exists:
            self.make_user(role="coordinator", username=username)
        return username

    def actor(self, username: str = COORDINATOR):
        """The user, in the caller's app context."""
        return account_queries.get_user_by_username(db.session, username)

    def seed_skills(self) -> None:
        with self.app.app_context():
            skills.seed_defaults(db.session)
            db.session.commit()

    def nik(self, *, birth_date: date = date(1990, 4, 12), sex: str = "M",
            kecamatan: str = KECAMATAN) -> str:
        """A NIK nobody else in the test holds."""
        return make_nik(kecamatan, birth_date, sex, next(self.serials))

    def volunteer_fields(self, *, kind="tagana", birth_date=date(1990, 4, 12), sex="M",
                         **fields) -> dict:
        """The arguments `register_volunteer` takes, as a form would send them loaded; a sex
        or birth date given as None is not sent (the NIK's are taken)."""
        number = next(self.serials)
        values = {
            "kind": kind, "name": f"Relawan {number}", "sex": sex, "birth_date": birth_date,
            "nik": make_nik(self.KECAMATAN, birth_date or date(1990, 4, 12), sex or "M",
                            5000 + number),
            "nia": f"TGN-1703-{number:04d}" if kind == "tagana" else None,
            "home_desa_code": self.DESA, "phone": f"08123456{number:04d}",
            "joined_on": local_today().replace(year=local_today().year - 2),
        }
        values.update(fields)
        return values

    def volunteer(self, **fields) -> int:
        """Register and commit a volunteer (a Tagana by default); returns the id."""
        self.coordinator()
        values = self.volunteer_fields(**fields)
        with self.app.app_context():
            volunteer = volunteers.register_volunteer(db.session, actor=self.actor(), **values)
            db.session.commit()
            return volunteer.id

    def few(self) -> dict[str, int]:
        """Two Tagana, two Sahabat Tagana (one in the other kecamatan) and a suspended Tagana."""
        return {
            "tagana": self.volunteer(),
            "tagana_2": self.volunteer(home_desa_code=self.OTHER_DESA, sex="F",
                                       birth_date=date(1995, 7, 1)),
            "sahabat": self.volunteer(kind="sahabat_tagana"),
            "sahabat_far": self.volunteer(kind="sahabat_tagana",
                                          home_desa_code=self.FAR_DESA),
            "suspended": self.volunteer(status="suspended"),
        }




@pytest.fixture
def roster(app, emergency, make_user) -> RosterWorld:
    return RosterWorld(app, emergency, make_user)


@pytest.fixture
def coordinator(roster) -> str:
    """The username of a Tagana coordinator."""
    return roster.coordinator()


@pytest.fixture
def volunteers_few(roster) -> dict[str, int]:
    """Ids of a few volunteers: see `RosterWorld.few`."""
    return roster.few()
