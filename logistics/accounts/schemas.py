"""Account input and output shapes for the API."""

from marshmallow import Schema, fields, validate

from logistics.accounts.operations import MIN_PASSWORD_LENGTH, USERNAME_PATTERN
from logistics.accounts.roles import Role


class UserOut(Schema):
    id = fields.Integer()
    username = fields.String()
    full_name = fields.String()
    role = fields.String()
    is_active = fields.Boolean()
    last_login_at = fields.DateTime(allow_none=True)


class UserIn(Schema):
    username = fields.String(
        required=True,
        validate=validate.Regexp(USERNAME_PATTERN,
                                 error="3 to 40 letters, digits, dots, dashes or underscores."),
    )
    full_name = fields.String(required=True, validate=validate.Length(min=2, max=120))
    role = fields.String(required=True, validate=validate.OneOf([r.value for r in Role]))
    password = fields.String(required=True, load_only=True,
                             validate=validate.Length(min=MIN_PASSWORD_LENGTH, max=200))
    email = fields.Email(load_default=None, validate=validate.Length(max=200))
    phone = fields.String(load_default=None, validate=validate.Length(max=30))


class LoginIn(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=40))
    password = fields.String(required=True, load_only=True,
                             validate=validate.Length(min=1, max=200))
    name = fields.String(load_default="api", validate=validate.Length(max=80))
    days = fields.Integer(load_default=30, validate=validate.Range(min=1, max=365))


class TokenIn(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=80))
    days = fields.Integer(load_default=30, validate=validate.Range(min=1, max=365))


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
