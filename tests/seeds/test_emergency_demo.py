"""The flood demo's households carry numbers the real NIK and No. KK rule accepts."""

from sqlalchemy import select

from logistics.core.identity import parse_kk, parse_nik
from logistics.emergency.assessment_models import HouseholdAssessment, HouseholdMember
from seeds import demo
from tests.accounts.factories import TEST_PASSWORD


def test_every_demo_nik_and_kk_passes_the_rule_and_names_the_household_s_kecamatan(session):
    demo.load_demo(session, region_code="17.03", password=TEST_PASSWORD)
    session.commit()
    households = list(session.scalars(select(HouseholdAssessment)))
    assert len(households) == 40
    niks = []
    for household in households:
        kecamatan = household.desa_code[:8]
        assert parse_kk(household.kk_number) == household.kk_number
        assert household.kk_number.startswith(kecamatan.replace(".", ""))
        for member in household.members:
            if member.nik:
                nik = parse_nik(member.nik, today=household.assessed_on)
                assert nik.kecamatan_code == kecamatan
                assert nik.sex == {"L": "M", "P": "F"}[member.sex]
                niks.append(member.nik)
        assert household.head_nik == household.members[0].nik
    assert len(niks) == len(set(niks)) > 60
    assert len({h.kk_number for h in households}) == 40
    # Papers are often lost: some members come without a NIK, as in the field.
    assert session.scalar(select(HouseholdMember.id).where(HouseholdMember.nik.is_(None)))
