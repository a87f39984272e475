"""Account input and output shapes, for the API and the pages alike.

The schemas check shape and the rules that need no database; the operations check the rest
(a taken username, the last active admin) and raise typed errors. Where a schema checks a rule
an operation also guards, it gives the domain error's own message, so the page, the API and
the operation word the rule the same way.
"""

from marshmallow import Schema, fields, post_load, validate
from sqlalchemy.orm import object_session

from logistics.accounts import scopes
from logistics.accounts.errors import InvalidUsername
from logistics.accounts.operations import MIN_PASSWORD_LENGTH, USERNAME_PATTERN
from logistics.accounts.roles import Role, Scope, scoped_scopes
from logistics.core.fields import TOO_LONG, Choice, Flag, Id, Limit, Text, Whole
from logistics.i18n import N_

# The domain's WeakPassword message with the length filled in. A schema message is translated as it
# stands, so it cannot carry parameters; tests/accounts/test_schemas.py keeps the two equal.
PASSWORD_TOO_SHORT = N_("The password must be at least 10 characters long.")
MAX_ASSIGNED = 500


def _days() -> Whole:
    return Whole(load_default=30, minimum=1, maximum=365, error=N_("Between 1 and 365 days."))


def _filled(max_length: int, **kwargs) -> Text:
    """Required text; an empty one reads as missing, as when a page's box is left blank."""
    return Text(max_length, min_length=1, required=True, **kwargs)


def _new_password() -> Text:
    return Text(200, required=True, load_only=True, validate=validate.Length(
        min=MIN_PASSWORD_LENGTH, error=PASSWORD_TOO_SHORT))


def _assigned_out(scope: Scope) -> fields.Function:
    return fields.Function(
        lambda user: sorted(scopes.assigned(object_session(user), user, scope)),
        metadata={"type": "array", "items": {"type": "integer"}, "description":
                  f"ids of the {scope.value}s assigned; empty for a role not limited to them"})


def _assigned_in(scope: Scope) -> fields.List:
    return fields.List(Id(), validate=validate.Length(
        max=MAX_ASSIGNED, error=N_("At most 500 at once.")), metadata={"description": (
            f"ids of the {scope.value}s the user is limited to, for the roles limited to "
            f"them (roles.SCOPED); other roles send none. Left out: unchanged (none when "
            f"creating)")})


# One `<scope>_ids` field per scope some role is limited to (`warehouse_ids`), so a module
# adding a scope adds it here, on the user pages and in the API by its `register` call.
_AssignedOut = type("_AssignedOut", (Schema,), {
    scopes.field_name(scope): _assigned_out(scope) for scope in scoped_scopes()})
_AssignedIn = type("_AssignedIn", (Schema,), {
    scopes.field_name(scope): _assigned_in(scope) for scope in scoped_scopes()})


class UserOut(_AssignedOut):
    id = fields.Integer()
    username = fields.String()
    full_name = fields.String()
    role = fields.String()
    is_active = fields.Boolean()
    last_login_at = fields.DateTime(allow_none=True)


class UserDetailsIn(_AssignedIn):
    """What an admin may change about an account after creating it (besides the password)."""

    full_name = Text(120, required=True, min_length=2, length_error=N_("2 to 120 characters."))
    role = Choice([r.value for r in Role], required=True, error=N_("Not one of the roles."))
    email = fields.Email(load_default=None, validate=validate.Length(max=200, error=TOO_LONG))
    phone = Text(30, load_default=None)

    @post_load
    def _assignments(self, data, **kwargs):
        """The `<scope>_ids` fields as the operations take them: ``assignments={Scope: ids}``."""
        data["assignments"] = {scope: data.pop(scopes.field_name(scope))
                               for scope in scoped_scopes()
                               if scopes.field_name(scope) in data}
        return data


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
