"""NIK and No. KK checks: valid numbers are generated from real kecamatan codes and dates, and
every way a typed number goes wrong is named by the part that is wrong."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lokal import wilayah
from marshmallow import ValidationError

from logistics.core import identity
from logistics.core.identity import IdentityError, make_nik, parse_kk, parse_nik

TODAY = date(2026, 12, 1)


def _kecamatan_codes() -> list[str]:
    codes = []
    for province in wilayah.list_wilayah():
        for kabupaten in wilayah.list_wilayah(province.code):
            codes.extend(unit.code for unit in wilayah.list_wilayah(kabupaten.code))
    return sorted(codes)


KECAMATAN = _kecamatan_codes()
KNOWN = frozenset(KECAMATAN)

people = st.builds(
    lambda code, born, sex, serial: (code, born, sex, serial),
    st.sampled_from(KECAMATAN),
    st.dates(min_value=TODAY - timedelta(days=99 * 365), max_value=TODAY),
    st.sampled_from(["F", "M"]),
    st.integers(min_value=1, max_value=9999),
)


def test_the_official_list_has_every_kecamatan_of_the_demo_kabupaten():
    assert len([code for code in KECAMATAN if code.startswith("17.03.")]) == 19
    assert len(KECAMATAN) > 7000


@settings(max_examples=300, deadline=None)
@given(people)
def test_a_nik_made_from_real_facts_reads_back_as_those_facts(person):
    code, born, sex, serial = person
    nik = parse_nik(make_nik(code, born, sex, serial), today=TODAY)
    assert (nik.kecamatan_code, nik.birth_date, nik.sex, int(nik.serial)) == person


@settings(max_examples=200, deadline=None)
@given(people, st.sampled_from([" ", "-", "."]))
def test_a_nik_written_in_groups_is_the_same_nik(person, separator):
    number = make_nik(*person)
    grouped = separator.join(number[i:i + 4] for i in range(0, 16, 4))
    assert parse_nik(grouped, today=TODAY).number == number


@settings(max_examples=200, deadline=None)
@given(people, st.integers(min_value=1, max_value=20))
def test_a_nik_with_digits_missing_or_added_is_refused_for_its_length(person, cut):
    number = make_nik(*person)
    for wrong in (number[:-min(cut, 15)], number + "0" * cut):
        with pytest.raises(IdentityError) as refused:
            parse_nik(wrong, today=TODAY)
        assert refused.value.message == identity.NOT_SIXTEEN_DIGITS_NIK


@settings(max_examples=200, deadline=None)
@given(people, st.integers(min_value=0, max_value=999_999))
def test_a_nik_whose_region_is_no_kecamatan_is_refused_for_its_region(person, region):
    code = f"{region:06d}"
    dotted = f"{code[:2]}.{code[2:4]}.{code[4:]}"
    number = code + make_nik(*person)[6:]
    if dotted in KNOWN:
        assert parse_nik(number, today=TODAY).kecamatan_code == dotted
    else:
        with pytest.raises(IdentityError) as refused:
            parse_nik(number, today=TODAY)
        assert refused.value.message == identity.UNKNOWN_REGION


@pytest.mark.parametrize(("birth_part", "why"), [
    ("320190", "day 32 is no day, and 72 is no woman's day"),
    ("720190", "day 72 - 40 = 32"),
    ("001390", "month 13"),
    ("000190", "day 0"),
    ("300290", "30 February"),
    ("290201", "29 February 2001"),
    ("690201", "a woman born 29 February 2001"),
])
def test_a_nik_whose_birth_part_is_no_date_is_refused_for_its_date(birth_part, why):
    with pytest.raises(IdentityError) as refused:
        parse_nik("170312" + birth_part + "0001", today=TODAY)
    assert refused.value.message == identity.NOT_A_BIRTH_DATE, why


def test_women_carry_forty_added_to_the_day():
    nik = parse_nik("1703125205960003", today=TODAY)
    assert (nik.sex, nik.birth_date) == ("F", date(1996, 5, 12))
    assert parse_nik("1703121205960003", today=TODAY).sex == "M"


def test_two_digit_years_read_as_the_latest_year_not_in_the_future():
    assert parse_nik("1703120112260001", today=TODAY).birth_date == date(2026, 12, 1)
    assert parse_nik("1703120212260001", today=TODAY).birth_date == date(1926, 12, 2)
    assert parse_nik("1703120101270001", today=TODAY).birth_date == date(1927, 1, 1)


def test_serial_zero_is_refused_for_nik_and_kk():
    for parse in (lambda n: parse_nik(n, today=TODAY), parse_kk):
        with pytest.raises(IdentityError) as refused:
            parse("1703120101900000")
        assert refused.value.message == identity.ZERO_SERIAL


def test_a_kk_needs_sixteen_digits_and_a_real_kecamatan_but_not_a_date():
    assert parse_kk("1703 1299 9999 0012") == "1703129999990012"
    with pytest.raises(IdentityError) as short:
        parse_kk("170312999999001")
    assert short.value.message == identity.NOT_SIXTEEN_DIGITS_KK
    with pytest.raises(IdentityError) as region:
        parse_kk("1799129999990012")
    assert region.value.message == identity.UNKNOWN_REGION


def test_letters_are_not_digits():
    with pytest.raises(IdentityError):
        parse_nik("17031201019O0001", today=TODAY)
    with pytest.raises(IdentityError):
        parse_nik("١٧٠٣١٢٠١٠١٩٠٠٠٠١", today=TODAY)


def test_the_schema_check_gives_the_message_as_a_field_error():
    check = identity.marshmallow_check(parse_kk)
    check("1703129999990012")
    with pytest.raises(ValidationError) as refused:
        check("12")
    assert refused.value.messages == [identity.NOT_SIXTEEN_DIGITS_KK]


@settings(max_examples=200, deadline=None)
@given(people)
def test_the_sex_and_birth_date_a_nik_carries_agree_with_it(person):
    code, born, sex, serial = person
    nik = parse_nik(make_nik(code, born, sex, serial), today=TODAY)
    assert identity.mismatches(nik, sex=sex, birth_date=born) == {}
    assert identity.mismatches(nik) == {}
    # A century earlier has the same digits: a NIK cannot tell 1925 from 2025.
    assert identity.mismatches(nik, birth_date=born.replace(year=born.year - 100)
                               if (born.month, born.day) != (2, 29) else born) == {}


@settings(max_examples=200, deadline=None)
@given(people, st.integers(min_value=1, max_value=400))
def test_a_sex_or_birth_date_the_nik_contradicts_is_named(person, days):
    code, born, sex, serial = person
    nik = parse_nik(make_nik(code, born, sex, serial), today=TODAY)
    other_sex = "M" if sex == "F" else "F"
    other_day = born - timedelta(days=days)
    assert identity.mismatches(nik, sex=other_sex, birth_date=other_day) == {
        "sex": identity.SEX_MISMATCH, "birth_date": identity.BIRTH_DATE_MISMATCH}
