"""Login, password and API token forms: labels and widgets; the account schemas check input."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from marshmallow import ValidationError, fields, validates_schema
from wtforms import PasswordField, StringField, SubmitField
from wtforms.widgets import NumberInput

from app.forms_support import SchemaForm
from logistics.accounts.schemas import LoginIn, PasswordChangeIn, TokenIn
from logistics.i18n import N_


class LoginForm(SchemaForm):
    schema = LoginIn
    username = StringField(_l("Username"))
    password = PasswordField(_l("Password"))
    submit = SubmitField(_l("Log in"))


class TokenForm(SchemaForm):
    schema = TokenIn
    name = StringField(_l("Token name"),
                       description=_l("What the token is for, e.g. 'laptop gudang'."))
    # Text, not IntegerField: WTForms would reject "soon" in its own words before the schema.
    days = StringField(_l("Valid for (days)"), default="30",
                       widget=NumberInput(min=1, max=365))
    submit = SubmitField(_l("Create token"))


class PasswordChangePageIn(PasswordChangeIn):
    """The page asks for the new password twice; the API does not."""

    confirm = fields.String(required=True, load_only=True)

    @validates_schema  # only once every field is valid, so both passwords are there
    def same_new_password(self, data, **kwargs):
        if data["confirm"] != data["new_password"]:
            raise ValidationError(N_("The two new passwords differ."), "confirm")


class PasswordChangeForm(SchemaForm):
    schema = PasswordChangePageIn
    current_password = PasswordField(_l("Current password"))
    new_password = PasswordField(_l("New password"))
    confirm = PasswordField(_l("New password again"))
    submit = SubmitField(_l("Change password"))


class EmptyForm(FlaskForm):
    """A CSRF token and nothing else, for one-button actions such as revoke or log out."""
