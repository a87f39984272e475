"""The household pages' small forms (a member added or corrected, a move, a membership ended,
the register status): labels and widgets only; the API's schemas check them. The registration
form, with its rows of members, is read by the view itself (`household_views`)."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, SubmitField

from app.forms_support import SchemaForm
from logistics.core import identity
from logistics.referrals import household_schemas as s
from logistics.referrals.models import REGISTER_LABELS, RELATION_LABELS, Register, Relation

NUMERIC = {"inputmode": "numeric", "autocomplete": "off"}


def _date(label):
    return StringField(label, render_kw={"type": "date"})


def relation_choices(blank: str | None = None) -> list[tuple[str, str]]:
    choices = [(value.value, gettext(RELATION_LABELS[value])) for value in Relation]
    return [("", blank), *choices] if blank else choices


def sex_choices() -> list[tuple[str, str]]:
    return [("", gettext("Choose")), ("L", gettext("Male (L)")), ("P", gettext("Female (P)"))]


def register_choices() -> list[tuple[str, str]]:
    return [("", gettext("Not listed in a register")),
            *[(value.value, REGISTER_LABELS[value]) for value in Register]]


class _MemberFields(SchemaForm):
    nik = StringField(_l("NIK"), render_kw=NUMERIC)
    name = StringField(_l("Name"))
    sex = SelectField(_l("Sex"), validate_choice=False)
    birth_date = _date(_l("Birth date"))
    relation = SelectField(_l("Relation to the head"), validate_choice=False)
    is_disabled = BooleanField(_l("Has a disability"))
    disability = StringField(_l("Disability (kind)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sex.choices = sex_choices()
        self.relation.choices = relation_choices(gettext("Choose"))


class MemberForm(_MemberFields):
    schema = s.SlrtAddMemberIn
    started_on = _date(_l("Lives here since"))
    submit = SubmitField(_l("Add member"))


class MemberEditForm(_MemberFields):
    """Corrections: a NIK box left blank keeps the NIK on record."""

    schema = s.SlrtMemberChangeIn
    submit = SubmitField(_l("Save"))


class MovePageIn(s.SlrtMoveDetailsIn):
    """The page names the new household by its No. KK, as on the card in the clerk's hand."""

    to_kk_number = s.PersonalNumberIn(identity.parse_kk, required=True)


class MoveForm(SchemaForm):
    schema = MovePageIn
    to_kk_number = StringField(_l("No. KK of the household moved to"), render_kw=NUMERIC)
    relation = SelectField(_l("Relation to the head there"), validate_choice=False)
    on = _date(_l("Moved on"))
    reason = StringField(_l("Reason"))
    new_head_id = SelectField(_l("New head here (when the head moves)"), validate_choice=False)
    submit = SubmitField(_l("Record the move"))


class EndForm(SchemaForm):
    schema = s.SlrtEndMembershipIn
    on = _date(_l("On"))
    reason = StringField(_l("Reason (e.g. meninggal, pindah ke luar daerah)"))
    new_head_id = SelectField(_l("New head (when the head leaves)"), validate_choice=False)
    submit = SubmitField(_l("End membership"))


def head_choices(form, household, leaving_id: int) -> None:
    """The members who could head the household when ``leaving_id`` leaves."""
    form.new_head_id.choices = [("", "-")] + [
        (str(m.person_id), m.person.name) for m in household.members
        if m.person_id != leaving_id]


class RegisterStatusForm(SchemaForm):
    schema = s.SlrtRegisterStatusIn
    register = SelectField(_l("Social register"), validate_choice=False)
    welfare_decile = StringField(_l("Welfare decile (1-10)"), render_kw=NUMERIC)
    checked_on = _date(_l("Checked on"))
    submit = SubmitField(_l("Save register status"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.register.choices = register_choices()

    def payload(self) -> dict:
        payload = super().payload()
        payload.setdefault("register", None)
        return payload

