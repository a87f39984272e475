"""User administration forms: labels and widgets; the account schemas check the input."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)

from app.extensions import db
from app.forms_support import SchemaForm
from app.labels import role_choices
from logistics.accounts import scopes
from logistics.accounts.roles import scoped_scopes
from logistics.accounts.schemas import PasswordIn, UserIn, UserUpdateIn


class AssignmentField(SelectMultipleField):
    """The objects of one scope a user is limited to (a keeper's warehouses), as checkboxes.

    Its choices, label and meaning come from the module that registered the scope; the
    account schema and operation check the ids, so nothing is validated here.
    """

    is_assignment = True

    def __init__(self, scope, **kwargs):
        super().__init__(validate_choice=False, **kwargs)
        self.scope = scope

    def process_formdata(self, valuelist):
        self.data = list(valuelist)  # nothing ticked means none, not "as before"

    def ticked(self, value) -> bool:
        return str(value) in {str(picked) for picked in self.data or ()}


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
        for field in self.assignment_fields():
            kind = scopes.kind_of(field.scope)
            field.label.text = gettext(kind.label)
            field.choices = [(str(object_id), name)
                             for object_id, name in kind.choices(db.session)]

    def assignment_fields(self) -> list[AssignmentField]:
        return [field for field in self if isinstance(field, AssignmentField)]

    def payload(self) -> dict:
        """As typed, with each scope's ticked ids as a list (none ticked: an empty one)."""
        payload = super().payload()
        for field in self.assignment_fields():
            payload[field.short_name] = [value.strip() for value in field.raw_data or ()
                                         if value.strip()]
        return payload


# One picker per scope some role is limited to (`warehouse_ids`), after the details and before
# the buttons; its label and choices come from the scope's module when the form is made.
for _scope in scoped_scopes():
    setattr(_UserDetails, scopes.field_name(_scope), AssignmentField(_scope))


def assignment_data(session, user) -> dict[str, list[str]]:
    """The user's current assignments, as the edit form's pickers show them ticked."""
    return {scopes.field_name(scope): [str(i) for i in sorted(scopes.assigned(session, user,
                                                                              scope))]
            for scope in scoped_scopes()}


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
