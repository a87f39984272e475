"""Indonesian mobile numbers as people write them become one stored form, ``+628...``; a
landline, a foreign number or a number of the wrong length is refused."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import Schema, ValidationError

from logistics.core.phones import NOT_A_MOBILE, MobilePhone, mobile_number

# The subscriber number after +62: 8, an operator digit, then 7 to 10 digits.
mobiles = st.builds(lambda operator, rest: f"8{operator}{rest}",
                    st.sampled_from("1235789"),
                    st.text("0123456789", min_size=7, max_size=10))
beginnings = st.sampled_from(["0", "62", "+62", "+62 ", "+62 0", "0062", "(+62) ", ""])
separators = st.sampled_from(["", " ", "-", ".", " - "])


@pytest.mark.parametrize("typed", [
    "081234567890", "0812-3456-7890", "0812 3456 7890", "62 812 3456 7890", "+6281234567890",
    "+62 812-3456-7890", "+62 (0)812 3456 7890", "0062 812 3456 7890", " 0812.3456.7890 ",
])
def test_the_ways_people_write_one_number_give_one_number(typed):
    assert mobile_number(typed) == "+6281234567890"


@pytest.mark.parametrize("typed", [
    "021-5551234",  # a Jakarta landline
    "0736-21234",  # a Bengkulu landline
    "+1 415 555 0100", "+60 12 345 6789",  # the US, Malaysia
    "0812345",  # too short
    "0812345678901234",  # too long
    "0842-1234-5678",  # no operator gives 84x
    "08l2-3456-7890",  # a letter l for a one
    "", "   ", "+62", "phone",
])
def test_what_is_not_an_indonesian_mobile_is_refused(typed):
    assert mobile_number(typed) is None


@settings(max_examples=300, deadline=None)
@given(mobiles, beginnings, separators)
def test_every_written_form_of_a_mobile_reads_back_as_plus_62(number, beginning, separator):
    grouped = separator.join(number[i:i + 4] for i in range(0, len(number), 4))
    assert mobile_number(beginning + grouped) == "+62" + number


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_whatever_is_typed_the_answer_is_none_or_a_mobile_that_fits_the_column(text):
    number = mobile_number(text)
    assert number is None or (number.startswith("+628") and 12 <= len(number) <= 15)


class PhoneIn(Schema):
    phone = MobilePhone(load_default=None)


def test_the_field_stores_plus_62_takes_a_blank_as_none_and_names_the_rule():
    assert PhoneIn().load({"phone": "0812-3456-7890"}) == {"phone": "+6281234567890"}
    assert PhoneIn().load({"phone": "  "}) == {"phone": None}
    assert PhoneIn().load({}) == {"phone": None}
    with pytest.raises(ValidationError) as refused:
        PhoneIn().load({"phone": "021-5551234"})
    assert refused.value.messages == {"phone": [NOT_A_MOBILE]}
