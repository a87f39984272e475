"""SLRT factories: Puskesos in the emergency factories' desa, staff assigned to them, and
households with members whose NIK and No. KK are valid in form (real kecamatan codes).

Each factory commits in its own app context, like `tests.emergency.factories`, so the test's
client and session see the rows at once. Listed in the root conftest's ``pytest_plugins``.
Households are inserted as rows here, so case tests do not depend on the registration rules
they are not about; registration has its own tests.
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
from logistics.accounts.roles import Scope
from logistics.core.identity import make_nik
from logistics.referrals.defaults import install_defaults
from logistics.referrals.models import Household, Membership, Person, Puskesos, Relation
from logistics.referrals.puskesos import open_puskesos_everywhere


def make_kk(kecamatan_code: str, serial: int, issued: date = date(2019, 3, 14)) -> str:
    """A No. KK as the Dukcapil issues them: kecamatan, issue date, serial."""
    return kecamatan_code.replace(".", "") + f"{issued:%d%m%y}" + f"{serial:04d}"


@dataclass
class SlrtWorld:
    """Puskesos of the emergency factories' desa, their staff, households and members."""

    app: object
    emergency: object
    make_user: object
    serials: object = field(default_factory=lambda: count(1))

    KECAMATAN = "17.03.01"
    DESA = "17.03.01.2001"
    OTHER_DESA = "17.03.01.2002"
    FAR_DESA = "17.03.02.2001"

    def ensure(self) -> None:
        """Regions, one Puskesos per desa, and the default programmes and conditions."""
        self.emergency.ensure_regions()
        with self.app.app_context():
            open_puskesos_everywhere(db.session)
            install_defaults(db.session)
            db.session.commit()

    def puskesos_id(self, desa_code: str = DESA) -> int:
        self.ensure()
        with self.app.app_context():
            return db.session.scalar(select(Puskesos.id).where(Puskesos.desa_code == desa_code))

    def staff(self, role: str, *desa_codes: str, username: str | None = None) -> str:
        """A Puskesos user working for the Puskesos of ``desa_codes`` (default: DESA)."""
        ids = [self.puskesos_id(code) for code in (desa_codes or (self.DESA,))]
        username = username or f"{role.replace('_', '')}{next(self.serials)}"
        with self.app.app_context():
            exists = db.session.scalar(select(User.id).where(User.username == username))
        if not exists:
            assignments = {Scope.PUSKESOS: ids} if role.startswith("puskesos") else None
            self.make_user(role=role, username=username, assignments=assignments)
        return username

    def actor(self, username: str):
        """The user, in the caller's app context."""
        return account_queries.get_user_by_username(db.session, username)

    def household(self, desa_code: str = DESA, *, members: int = 3, registered_by=None,
                  register: str | None = "dtks", decile: int | None = 3) -> int:
        """A household of ``members`` people (head, wife, children) with valid numbers."""
        puskesos_id = self.puskesos_id(desa_code)
        clerk = registered_by or self.staff("puskesos_front", desa_code, username="factory-fo")
        serial = next(self.serials)
        kecamatan = desa_code.rsplit(".", 1)[0]
        with self.app.app_context():
            household = Household(
                kk_number=make_kk(kecamatan, serial), puskesos_id=puskesos_id,
                desa_code=desa_code, address=f"Jl. Melati No. {serial}", rt="002", rw="001",
                register=register, welfare_decile=decile,
                register_checked_on=date(2026, 6, 1) if register else None,
                registered_by_id=self.actor(clerk).id)
            db.session.add(household)
            for position in range(members):
                relation, sex, born = _member(position)
                person = Person(nik=make_nik(kecamatan, born, "F" if sex == "P" else "M",
                                             serial * 10 + position + 1),
                                name=f"Warga {serial}-{position + 1}", sex=sex, birth_date=born)
                db.session.add(Membership(person=person, household=household,
                                          relation=relation, started_on=date(2020, 1, 1)))
            db.session.commit()
            return household.id


def _member(position: int) -> tuple[str, str, date]:
    if position == 0:
        return Relation.HEAD, "L", date(1980, 4, 12)
    if position == 1:
        return Relation.SPOUSE, "P", date(1984, 9, 3)
    return Relation.CHILD, "P" if position % 2 else "L", date(2010 + position, 1, 15)


@pytest.fixture
def slrt(app, emergency, make_user) -> SlrtWorld:
    return SlrtWorld(app, emergency, make_user)
