"""Login, language and API token forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length, NumberRange

from logistics.accounts.operations import MIN_PASSWORD_LENGTH

REQUIRED = _l("This field is required.")
PASSWORD_RULE = Length(min=MIN_PASSWORD_LENGTH, max=200,
                       message=_l("At least %(min)d characters.", min=MIN_PASSWORD_LENGTH))


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[InputRequired(REQUIRED), Length(max=40)])
    password = PasswordField(_l("Password"), validators=[InputRequired(REQUIRED), Length(max=200)])
    submit = SubmitField(_l("Log in"))


class TokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[InputRequired(REQUIRED), Length(max=80)],
                       description=_l("What the token is for, e.g. 'laptop gudang'."))
    days = IntegerField(
        _l("Valid for (days)"), default=30,
        validators=[InputRequired(REQUIRED),
                    NumberRange(1, 365, message=_l("Between 1 and 365 days."))],
    )
    submit = SubmitField(_l("Create token"))


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Current password"),
                                     validators=[InputRequired(REQUIRED), Length(max=200)])
    new_password = PasswordField(
        _l("New password"),
        validators=[InputRequired(REQUIRED), PASSWORD_RULE],
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[InputRequired(REQUIRED),
                    EqualTo("new_password", message=_l("The two new passwords differ."))],
    )
    submit = SubmitField(_l("Change password"))


class EmptyForm(FlaskForm):
    """A CSRF token and nothing else, for one-button actions such as revoke or log out."""
