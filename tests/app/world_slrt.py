"""The role matrix world's SLRT part: the Puskesos of the home desa, whose front office, back
office and manager are the world's Puskesos identities, and what their routes name.

- ``puskesos``: the home desa's Puskesos; ``other_puskesos``: its neighbour's (nobody works
  there);
- ``slrt_household``: a household of three registered at ``puskesos``;
- ``slrt_case``: its case, in the decision step (penetapan), with ``slrt_referral`` (PKH,
  proposed, undecided) and ``slrt_letter_referral`` (BAZNAS, approved: its letter prints);
  every step route called on it either is refused by the guard or answers 409/422 and changes
  nothing the other rows need;
- ``slrt_programme`` (ADMINDUK, which no case names) and ``slrt_condition`` (DISABILITAS,
  already switched off): the admin's empty forms may change them without harm.

Each area of the SLRT module adds what its routes name in its own ``_build_*`` function here.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.extensions import db
from logistics.accounts import scopes
from logistics.accounts.roles import Role, Scope
from logistics.core.identity import make_nik
from logistics.referrals import case_flow, cases, referral_steps
from logistics.referrals.case_models import IntakeCondition, Programme
from logistics.referrals.defaults import install_defaults
from logistics.referrals.models import Household, Membership, Person, Puskesos, Relation
from logistics.referrals.puskesos import open_puskesos_everywhere
from tests.emergency.factories import EmergencyWorld
from tests.referrals.factories import make_kk

PUSKESOS_ROLES = (Role.PUSKESOS_FRONT, Role.PUSKESOS_BACK, Role.PUSKESOS_MANAGER)


def build_slrt(world) -> None:
    _build_puskesos(world)
    _build_households(world)
    _build_cases(world)


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


def _build_cases(world) -> None:
    """The world household's case, driven by the world's own Puskesos staff."""
    with world.app.app_context():
        session = db.session
        front, back, manager = (world.user(session, role) for role in PUSKESOS_ROLES)
        code = {p.code: p.id for p in session.scalars(select(Programme))}
        case = cases.open_case(session, actor=front, household_id=world.ids["slrt_household"],
                               source="datang_langsung", needs=[{
                                   "category": "kesehatan",
                                   "description": "Anak sakit, belum punya jaminan."}])
        case_flow.take_into_handling(session, actor=back, case_id=case.id)
        proposed = referral_steps.propose_referral(session, actor=back, case_id=case.id,
                                                   programme_id=code["PKH"])
        letter = referral_steps.propose_referral(session, actor=back, case_id=case.id,
                                                 programme_id=code["BAZNAS"])
        case_flow.send_to_decision(session, actor=back, case_id=case.id)
        referral_steps.decide_referral(session, actor=manager, referral_id=letter.id,
                                       approve=True, signer_name="Drs. Matriks",
                                       signer_position="Kepala Dinas Sosial")
        session.commit()
        world.ids.update(slrt_case=case.id, slrt_referral=proposed.id,
                         slrt_letter_referral=letter.id, slrt_programme=code["ADMINDUK"],
                         slrt_condition=session.scalar(select(IntakeCondition.id).where(
                             IntakeCondition.code == "DISABILITAS")))
