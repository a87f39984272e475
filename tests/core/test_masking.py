"""NIK / No. KK masking: one rule for pages, API output and logs (no database)."""

from dataclasses import dataclass

import pytest
from marshmallow import Schema
from marshmallow.experimental.context import Context

from logistics.accounts.roles import Role, role_can
from logistics.core.masking import (
    PersonalNumber,
    PersonalText,
    mask_in_text,
    mask_number,
    shown_to,
    text_shown_to,
)

NIK = "1703014512900003"


@dataclass
class Viewer:
    role: str

    def can(self, permission) -> bool:
        return role_can(self.role, permission)


class HouseholdOut(Schema):
    kk_number = PersonalNumber()


class NotesOut(Schema):
    address = PersonalText(allow_none=True)


def test_a_sixteen_digit_number_keeps_its_region_start_and_last_two():
    assert mask_number(NIK) == "1703**********03"
    assert mask_number("12345") == "*****"
    assert mask_number(None) is None


def test_every_number_inside_free_text_is_masked_and_nothing_else():
    text = f"KK {NIK} and NIK {NIK}1 and phone 081234567890"
    assert mask_in_text(text) == (f"KK 1703**********03 and NIK {NIK}1 and phone 081234567890")


@pytest.mark.parametrize("role", list(Role))
def test_only_roles_with_personal_data_permission_see_the_number(role):
    expected_full = role in {Role.PUSKESOS_FRONT, Role.PUSKESOS_BACK, Role.PUSKESOS_MANAGER}
    assert (shown_to(Viewer(role), NIK) == NIK) is expected_full
    with Context({"viewer": Viewer(role)}):
        dumped = HouseholdOut().dump({"kk_number": NIK})["kk_number"]
    assert (dumped == NIK) is expected_full


def test_output_without_a_viewer_is_always_masked():
    assert HouseholdOut().dump({"kk_number": NIK}) == {"kk_number": "1703**********03"}
    assert shown_to(None, NIK) == "1703**********03"


@pytest.mark.parametrize("written", [
    "1703 0112 0490 0003", "1703-0112-0490-0003", "17.03.01.120490.0003", "1703011204900003"])
def test_a_number_written_in_groups_is_masked_too(written):
    assert mask_in_text(f"NIK {written}, rumah di RT 3") == "NIK 1703**********03, rumah di RT 3"
    assert mask_in_text(f"NIK {written}", keep_end=0) == "NIK 1703************"


@pytest.mark.parametrize("other", [
    "0812 3456 7890", "tanggal 2026-12-01", "Rp 1.500.000", f"nomor {NIK}7",
    "jam 14.30, 2 truk, 3.500 kg beras", "RT 02/RW 03, 12 KK, 48 jiwa"])
def test_grouped_numbers_of_another_length_stay_readable(other):
    assert mask_in_text(other) == other


@pytest.mark.parametrize(("written", "masked"), [
    # A count or an RT written next to the number does not hide it.
    ("KK 1703 0112 0490 0003 7 jiwa", "KK 1703**********03 7 jiwa"),
    (f"KK {NIK} 3 jiwa", "KK 1703**********03 3 jiwa"),
    ("RT 02 1703 0112 0490 0003.", "RT 02 1703**********03."),
    (f"HP 081234567890 {NIK}", "HP 081234567890 1703**********03"),
    # Glued to a label, spaced around the dashes, on its own line.
    (f"No.KK{NIK}", "No.KK1703**********03"),
    (f"NIK-{NIK}", "NIK-1703**********03"),
    ("1703 - 0112 - 0490 - 0003", "1703**********03"),
    (f"NIK:\n{NIK}\n2 anak", "NIK:\n1703**********03\n2 anak"),
    # Two numbers in one note: both.
    (f"KK {NIK}, NIK 1703.01.12.0490.0099", "KK 1703**********03, NIK 1703**********99"),
])
def test_a_number_beside_other_numbers_is_masked_and_they_stay(written, masked):
    assert mask_in_text(written) == masked


def test_a_long_line_of_digits_and_spaces_is_masked_quickly():
    """No pathological backtracking: a field's worth of digits and separators, many times."""
    text = "1 - " * 2000 + NIK + " 2" * 2000
    assert "1703**********03" in mask_in_text(text)


@pytest.mark.parametrize("role", list(Role))
def test_free_text_shows_the_number_only_to_roles_that_may_see_it(role):
    address = f"RT 02, rumah kayu; NIK kepala {NIK}"
    expected_full = role in {Role.PUSKESOS_FRONT, Role.PUSKESOS_BACK, Role.PUSKESOS_MANAGER}
    masked = "RT 02, rumah kayu; NIK kepala 1703**********03"
    assert text_shown_to(Viewer(role), address) == (address if expected_full else masked)
    with Context({"viewer": Viewer(role)}):
        dumped = NotesOut().dump({"address": address})["address"]
    assert dumped == (address if expected_full else masked)


def test_free_text_without_a_viewer_is_masked_and_none_stays_none():
    assert NotesOut().dump({"address": f"KK {NIK}"}) == {"address": "KK 1703**********03"}
    assert NotesOut().dump({"address": None}) == {"address": None}
    assert text_shown_to(None, None) is None
