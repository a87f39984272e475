"""The role matrix world's SLRT part: the Puskesos of the home desa, whose front office, back
office and manager are the world's Puskesos identities, and what their routes name.

- ``puskesos``: the home desa's Puskesos; ``other_puskesos``: its neighbour's (nobody works
  there);
- ``slrt_household``: a household of three registered at ``puskesos``.

Each area of the SLRT module adds what its routes name in its own ``_build_*`` function here.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.extensions import db
from logistics.accounts import scopes
from logistics.accounts.roles import Role, Scope
from logistics.core.identity import make_nik
from logistics.referrals.defaults import install_defaults
from logistics.referrals.models import Household, Membership, Person, Puskesos, Relation
from logistics.referrals.puskesos import open_puskesos_everywhere
from tests.emergency.factories import EmergencyWorld
from tests.referrals.factories import make_kk

PUSKESOS_ROLES = (Role.PUSKESOS_FRONT, Role.PUSKESOS_BACK, Role.PUSKESOS_MANAGER)


def build_slrt(world) -> None:
    _build_puskesos(world)
    _build_households(world)


def _build_puskesos(world) -> None:
    with world.app.app_context():
        open_puskesos_everywhere(db.session)
        install_defaults(db.session)
        by_desa = dict(db.session.execute(select(Puskesos.desa_code, Puskesos.id)).all())
        world.ids["puskesos"] = by_desa[EmergencyWorld.DESA]
        world.ids["other_puskesos"] = by_desa[EmergencyWorld.OTHER_DESA]
        for role in PUSKESOS_ROLES:
            scopes.assign(db.session, world.user(db.session, role),
                          {Scope.PUSKESOS: {world.ids["puskesos"]}})
        db.session.commit()


def _build_households(world) -> None:
    with world.app.app_context():
        clerk = world.user(db.session, Role.PUSKESOS_FRONT)
        household = Household(
            kk_number=make_kk("17.03.01", 9001), puskesos_id=world.ids["puskesos"],
            desa_code=EmergencyWorld.DESA, address="Jl. Dunia No. 1", rt="001", rw="001",
            register="dtks", welfare_decile=2, register_checked_on=date(2026, 5, 1),
            registered_by_id=clerk.id)
        for serial, (name, sex, relation, born) in enumerate((
                ("Kepala Dunia", "L", Relation.HEAD, date(1979, 2, 3)),
                ("Istri Dunia", "P", Relation.SPOUSE, date(1982, 7, 9)),
                ("Anak Dunia", "L", Relation.CHILD, date(2012, 11, 20))), start=9001):
            person = Person(nik=make_nik("17.03.01", born, "F" if sex == "P" else "M", serial),
                            name=name, sex=sex, birth_date=born)
            db.session.add(Membership(person=person, household=household, relation=relation,
                                      started_on=date(2020, 1, 1)))
        db.session.add(household)
        db.session.commit()
        world.ids["slrt_household"] = household.id
        world.ids["slrt_member"] = household.members[-1].person_id
