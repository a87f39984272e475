"""The SLRT factories make rows the schema accepts: numbers valid in form, one head."""

from sqlalchemy import select

from app.extensions import db
from logistics.core.identity import parse_kk, parse_nik
from logistics.referrals.models import Household, Puskesos


def test_every_desa_gets_one_puskesos_and_a_household_has_valid_numbers(app, slrt):
    household_id = slrt.household(members=4)
    with app.app_context():
        assert db.session.scalar(select(Puskesos.desa_code)
                                 .where(Puskesos.desa_code == slrt.DESA)) == slrt.DESA
        household = db.session.get(Household, household_id)
        parse_kk(household.kk_number)
        assert len(household.members) == 4
        assert household.members[0].person is household.head
        for membership in household.members:
            parse_nik(membership.person.nik)
