"""User administration forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import Email, InputRequired, Length, Optional, Regexp

from app.auth.forms import PASSWORD_RULE, REQUIRED
from app.labels import role_choices
from logistics.accounts.operations import USERNAME_PATTERN


class _Credentials(FlaskForm):
    """Username and first password; declared first so they come first on the form."""

    username = StringField(
        _l("Username"),
        validators=[InputRequired(REQUIRED),
                    Regexp(USERNAME_PATTERN,
                           message=_l("3 to 40 letters, digits, dots, dashes or underscores."))],
    )
    password = PasswordField(_l("Initial password"), validators=[InputRequired(REQUIRED),
                                                                  PASSWORD_RULE])


class UserDetailsForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[InputRequired(REQUIRED), Length(2, 120)])
    role = SelectField(_l("Role"), choices=[], validators=[InputRequired(REQUIRED)])
    email = EmailField(_l("Email"), validators=[Optional(), Email(_l("Not a valid email address.")),
                                                Length(max=200)])
    phone = StringField(_l("Phone / WhatsApp"), validators=[Optional(), Length(max=30)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()


class UserCreateForm(_Credentials, UserDetailsForm):
    submit = SubmitField(_l("Create user"))


class UserEditForm(UserDetailsForm):
    is_active = BooleanField(_l("Active (may log in)"))
    submit = SubmitField(_l("Save"))


class PasswordResetForm(FlaskForm):
    password = PasswordField(_l("New password"),
                             validators=[InputRequired(REQUIRED), PASSWORD_RULE])
    submit = SubmitField(_l("Set password"))
