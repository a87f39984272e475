"""Account input and output shapes, for the API and the pages alike.

The schemas check shape and the rules that need no database; the operations check the rest
(a taken username, the last active admin) and raise typed errors. Where a schema checks a rule
an operation also guards, it gives the domain error's own message, so the page, the API and
the operation word the rule the same way.
"""

from marshmallow import Schema, fields, validate

from logistics.accounts.errors import InvalidUsername
from logistics.accounts.operations import MIN_PASSWORD_LENGTH, USERNAME_PATTERN
from logistics.accounts.roles import Role
from logistics.core.fields import TOO_LONG, Choice, Flag, Id, Limit, Text, Whole
from logistics.i18n import N_

# The domain's WeakPassword message with the length filled in. A schema message is translated as it
# stands, so it cannot carry parameters; tests/accounts/test_schemas.py keeps the two equal.
PASSWORD_TOO_SHORT = N_("The password must be at least 10 characters long.")
def _days() -> Whole:
    return Whole(load_default=30, minimum=1, maximum=365, error=N_("Between 1 and 365 days."))


def _filled(max_length: int, **kwargs) -> Text:
    """Required text; an empty one reads as missing, as when a page's box is left blank."""
    return Text(max_length, min_length=1, required=True, **kwargs)


def _new_password() -> Text:
    return Text(200, required=True, load_only=True, validate=validate.Length(
        min=MIN_PASSWORD_LENGTH, error=PASSWORD_TOO_SHORT))


class UserOut(Schema):
    id = fields.Integer()
    username = fields.String()
    full_name = fields.String()
    role = fields.String()
    is_active = fields.Boolean()
    last_login_at = fields.DateTime(allow_none=True)


class UserDetailsIn(Schema):
    """What an admin may change about an account after creating it (besides the password)."""

    full_name = Text(120, required=True, min_length=2, length_error=N_("2 to 120 characters."))
    role = Choice([r.value for r in Role], required=True, error=N_("Not one of the roles."))
    email = fields.Email(load_default=None, validate=validate.Length(max=200, error=TOO_LONG))
    phone = Text(30, load_default=None)


class UserIn(UserDetailsIn):
    username = Text(40, required=True, length_error=InvalidUsername.message,
                    validate=validate.Regexp(USERNAME_PATTERN, error=InvalidUsername.message))
    password = _new_password()


class UserUpdateIn(UserDetailsIn):
    is_active = Flag(required=True, metadata={"description": "false: may not log in"})


class PasswordIn(Schema):
    """A password an admin sets for someone else."""

    password = _new_password()


class PasswordChangeIn(Schema):
    """One's own new password, with the current one as proof."""

    current_password = _filled(200, load_only=True)
    new_password = _new_password()


class LoginIn(Schema):
    username = _filled(40)
    password = _filled(200, load_only=True)
    name = Text(80, load_default="api")
    days = _days()


class TokenIn(Schema):
    name = _filled(80)
    days = _days()


class UserPageQuery(Schema):
    after = Text(40, metadata={"description": "cursor: the `next` of the previous page"})
    limit = Limit()


class TokenPageQuery(Schema):
    after = Id(metadata={"description": "cursor: the `next` of the previous page"})
    limit = Limit()


class TokenOut(Schema):
    id = fields.Integer()
    name = fields.String()
    prefix = fields.String()
    created_at = fields.DateTime()
    expires_at = fields.DateTime()
    last_used_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)


class IssuedTokenOut(TokenOut):
    token = fields.String(metadata={"description": "the secret; shown only in this response"})
