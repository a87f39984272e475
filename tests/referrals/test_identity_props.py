"""NIK and No. KK as the household form takes them, as properties: what `tests/core/
test_identity.py` does not already cover. A single mistyped digit anywhere in a NIK is either
refused for the part it hit or, where it still makes a valid number, caught by the sex and
birth date typed beside it (or reads a different region); a No. KK reads back from its parts,
with separators, and is refused for its length, region or serial, never for its date part.
No database: the schemas and `identity` are pure."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from logistics.calendar import local_today
from logistics.core import identity
from logistics.core.identity import IdentityError, make_nik, parse_kk, parse_nik
from logistics.referrals.household_schemas import SlrtHouseholdIn, SlrtMemberIn
from tests.core.test_identity import KECAMATAN, KNOWN, TODAY, people
from tests.referrals.factories import make_kk

PART_MESSAGES = {
    "region": {identity.UNKNOWN_REGION},
    "date": {identity.NOT_A_BIRTH_DATE, identity.BORN_IN_FUTURE},
    "serial": {identity.ZERO_SERIAL},
}


def part_of(position: int) -> str:
    return "region" if position < 6 else "date" if position < 12 else "serial"


cards = st.builds(lambda code, serial, issued: (code, serial, issued),
                  st.sampled_from(KECAMATAN), st.integers(min_value=1, max_value=9999),
                  st.dates(min_value=date(1980, 1, 1), max_value=TODAY))
typo = st.tuples(st.integers(min_value=0, max_value=15), st.integers(min_value=1, max_value=9))


def _outcome(parse, number):
    """(what ``parse`` made, None) or (None, the message it refused with)."""
    try:
        return parse(number), None
    except IdentityError as refused:
        return None, refused.message


def _mistype(number: str, position: int, shift: int) -> str:
    digit = str((int(number[position]) + shift) % 10)
    return number[:position] + digit + number[position + 1:]


@settings(max_examples=400, deadline=None)
@given(people, typo)
def test_one_mistyped_nik_digit_is_refused_for_its_part_or_caught_by_what_is_typed_beside(
        person, mistake):
    code, born, sex, serial = person
    position, shift = mistake
    wrong = _mistype(make_nik(code, born, sex, serial), position, shift)
    parsed, message = _outcome(lambda number: parse_nik(number, today=TODAY), wrong)
    if message is not None:
        assert message in PART_MESSAGES[part_of(position)]
    elif part_of(position) == "region":
        assert parsed.kecamatan_code != code
        assert parsed.kecamatan_code in KNOWN
    elif part_of(position) == "date":
        assert identity.mismatches(parsed, sex=sex, birth_date=born)
    else:
        assert int(parsed.serial) != serial


@settings(max_examples=200, deadline=None)
@given(cards, st.sampled_from([" ", "-", ".", " - "]))
def test_a_kk_reads_back_the_same_written_plain_or_in_groups(card, separator):
    number = make_kk(*card)
    grouped = separator.join(number[i:i + 4] for i in range(0, 16, 4))
    assert parse_kk(number) == number
    assert parse_kk(grouped) == number


@settings(max_examples=200, deadline=None)
@given(cards, st.integers(min_value=1, max_value=20))
def test_a_kk_too_short_or_too_long_is_refused_for_its_length(card, cut):
    number = make_kk(*card)
    for wrong in (number[:-min(cut, 15)], number + "1" * cut):
        with pytest.raises(IdentityError) as refused:
            parse_kk(wrong)
        assert refused.value.message == identity.NOT_SIXTEEN_DIGITS_KK


@settings(max_examples=400, deadline=None)
@given(cards, typo)
def test_one_mistyped_kk_digit_is_refused_for_region_or_serial_and_never_for_its_date(
        card, mistake):
    position, shift = mistake
    wrong = _mistype(make_kk(*card), position, shift)
    parsed, message = _outcome(parse_kk, wrong)
    if message is not None:
        assert part_of(position) != "date"
        assert message in PART_MESSAGES[part_of(position)]
    else:
        assert parsed == wrong
        assert identity.region_code(wrong) in KNOWN
        assert wrong[12:] != "0000"


def _household(kk: str, nik: str, sex: str) -> dict:
    return {"kk_number": kk, "desa_code": "17.03.01.2001", "address": "Jl. A",
            "members": [{"name": "A", "nik": nik, "sex": sex, "relation": "kepala"}]}


@settings(max_examples=100, deadline=None)
@given(cards, people, st.sampled_from([" ", "-", "."]))
def test_the_household_form_takes_numbers_with_separators_as_their_digits(card, person,
                                                                         separator):
    code, born, sex, serial = person
    assume(born <= local_today())
    kk, nik = make_kk(*card), make_nik(code, born, sex, serial)
    loaded = SlrtHouseholdIn().load(_household(
        separator.join(kk[i:i + 4] for i in range(0, 16, 4)),
        separator.join(nik[i:i + 4] for i in range(0, 16, 4)), "P" if sex == "F" else "L"))
    assert loaded["kk_number"] == kk
    assert loaded["members"][0]["nik"] == nik


@settings(max_examples=100, deadline=None)
@given(people)
def test_the_member_form_names_the_sex_the_nik_contradicts(person):
    code, born, sex, serial = person
    assume(born <= local_today())
    with pytest.raises(ValidationError) as refused:
        SlrtMemberIn().load({"name": "A", "nik": make_nik(code, born, sex, serial),
                             "sex": "L" if sex == "F" else "P", "relation": "anak"})
    assert refused.value.messages == {"sex": [identity.SEX_MISMATCH]}


def test_a_bad_kk_is_a_field_error_with_the_part_named():
    with pytest.raises(ValidationError) as refused:
        SlrtHouseholdIn().load(_household("9999 0101 0101 0001",
                                          make_nik("17.03.01", date(1980, 1, 1), "M", 1), "L"))
    assert refused.value.messages == {"kk_number": [identity.UNKNOWN_REGION]}
