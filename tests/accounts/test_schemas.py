"""The account schemas word each rule as the domain error that guards it (no database)."""

import pytest
from marshmallow import ValidationError

from logistics.accounts.errors import InvalidUsername, WeakPassword
from logistics.accounts.operations import MIN_PASSWORD_LENGTH
from logistics.accounts.schemas import PASSWORD_TOO_SHORT, PasswordIn, UserIn


def test_the_short_password_message_is_the_domain_errors_with_its_length_filled_in():
    assert WeakPassword.message % {"min_length": MIN_PASSWORD_LENGTH} == PASSWORD_TOO_SHORT


def test_the_schemas_give_the_domain_errors_messages():
    with pytest.raises(ValidationError) as raised:
        UserIn().load({"username": "a b", "full_name": "Dewi", "role": "admin",
                       "password": "x" * (MIN_PASSWORD_LENGTH - 1)})
    assert raised.value.messages == {"username": [InvalidUsername.message],
                                     "password": [PASSWORD_TOO_SHORT]}
    with pytest.raises(ValidationError) as raised:
        PasswordIn().load({"password": "short"})
    assert raised.value.messages == {"password": [PASSWORD_TOO_SHORT]}
