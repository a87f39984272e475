"""User administration forms: labels and widgets; the account schemas check the input."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField

from app.forms_support import SchemaForm
from app.labels import role_choices
from logistics.accounts.schemas import PasswordIn, UserIn, UserUpdateIn


class _Credentials(SchemaForm):
    """Username and first password; declared first so they come first on the form."""

    username = StringField(_l("Username"))
    password = PasswordField(_l("Initial password"))


class _UserDetails(SchemaForm):
    full_name = StringField(_l("Full name"))
    role = SelectField(_l("Role"), choices=[], validate_choice=False)  # the schema checks it
    email = EmailField(_l("Email"))
    phone = StringField(_l("Phone / WhatsApp"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()


class UserCreateForm(_Credentials, _UserDetails):
    schema = UserIn
    submit = SubmitField(_l("Create user"))


class UserEditForm(_UserDetails):
    schema = UserUpdateIn
    is_active = BooleanField(_l("Active (may log in)"))
    submit = SubmitField(_l("Save"))


class PasswordResetForm(SchemaForm):
    schema = PasswordIn
    password = PasswordField(_l("New password"))
    submit = SubmitField(_l("Set password"))
