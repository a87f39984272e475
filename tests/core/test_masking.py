"""NIK / No. KK masking: one rule for pages, API output and logs (no database)."""

from dataclasses import dataclass

import pytest
from marshmallow import Schema
from marshmallow.experimental.context import Context

from logistics.accounts.roles import Role, role_can
from logistics.core.masking import PersonalNumber, mask_in_text, mask_number, shown_to

NIK = "1703014512900003"


@dataclass
class Viewer:
    role: str

    def can(self, permission) -> bool:
        return role_can(self.role, permission)


class HouseholdOut(Schema):
    kk_number = PersonalNumber()


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
    "0812 3456 7890", "1703 0112 0490 0003 7", "tanggal 2026-12-01", "Rp 1.500.000"])
def test_grouped_numbers_of_another_length_stay_readable(other):
    assert mask_in_text(other) == other
