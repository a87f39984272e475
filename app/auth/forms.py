"""Login, language and API token forms."""

from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, NumberRange

from app.i18n import _l

REQUIRED = _l("This field is required.")


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


class EmptyForm(FlaskForm):
    """A CSRF token and nothing else, for one-button actions such as revoke or log out."""
