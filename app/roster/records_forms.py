"""The forms of a volunteer's records (skills, trainings, unavailable days, promotion), the
skills catalogue, regu and equipment: labels and widgets only. Each is checked by the schema
the API loads (`logistics.roster.schemas`), so a page and the API tell the same message on the
same field. Dates are text boxes of type date, so what was typed comes back beside its message.
"""

from __future__ import annotations

import uuid

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField

from app.extensions import db
from app.forms_support import SchemaForm
from logistics.core import idempotency
from logistics.regions.models import Level, Region
from logistics.roster import schemas as s
from logistics.roster import skills
from logistics.roster.deployment_models import (
    EQUIPMENT_KIND_LABELS,
    EQUIPMENT_STATUS_LABELS,
    EquipmentKind,
    EquipmentStatus,
)
from logistics.roster.models import (
    SKILL_LEVEL_LABELS,
    TRAINING_KIND_LABELS,
    SkillLevel,
    TeamMember,
    TrainingKind,
    Volunteer,
    VolunteerStatus,
)
from logistics.roster.volunteer_schemas import SkillLevelIn


def _date(label):
    return StringField(label, render_kw={"type": "date"})


def fresh(form):
    """Give a form shown for the first time its one-time token (the idempotency key)."""
    if not form.form_token.data:
        form.form_token.data = uuid.uuid4().hex
    return form


def replayed(form) -> bool:
    """Whether this form's token already made something (a double tap or a resend)."""
    return bool(form.is_submitted() and form.form_token.data and idempotency.made_with(
        db.session, current_user, form.form_token.data) is not None)


def skill_choices(blank=None) -> list[tuple[str, str]]:
    choices = [(skill.code, skill.name) for skill in skills.catalogue(db.session)]
    return [("", blank), *choices] if blank else choices


def kecamatan_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(select(Region.code, Region.name)
                              .where(Region.level == Level.KECAMATAN).order_by(Region.name))
    return [("", gettext("No kecamatan")), *((code, name) for code, name in rows)]


def free_volunteer_choices(blank: str) -> list[tuple[str, str]]:
    """Active volunteers in no regu, by name (NIA beside a Tagana's name): who can join one."""
    rows = db.session.execute(
        select(Volunteer.id, Volunteer.name, Volunteer.nia)
        .where(Volunteer.status == VolunteerStatus.ACTIVE,
               ~Volunteer.id.in_(select(TeamMember.volunteer_id)))
        .order_by(Volunteer.name, Volunteer.id))
    return [("", blank), *((str(id_), f"{name} · {nia}" if nia else name)
                           for id_, name, nia in rows)]


class SkillLevelForm(SchemaForm):
    schema = SkillLevelIn
    skill_code = SelectField(_l("Skill"), validate_choice=False)
    level = SelectField(_l("Level"), validate_choice=False)
    submit = SubmitField(_l("Save skill"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.skill_code.choices = skill_choices(gettext("Choose a skill"))
        self.level.choices = [(str(level.value), gettext(SKILL_LEVEL_LABELS[level]))
                              for level in SkillLevel]


class TrainingForm(SchemaForm):
    schema = s.TrainingIn
    form_token = HiddenField()
    kind = SelectField(_l("Training"), validate_choice=False)
    skill_code = SelectField(_l("Skill certified (specialist training only)"),
                             validate_choice=False)
    certificate_no = StringField(_l("Certificate number"))
    started_on = _date(_l("Started on"))
    ended_on = _date(_l("Ended on"))
    expires_on = _date(_l("Certificate expires on (blank: never)"))
    submit = SubmitField(_l("Record training"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(kind.value, gettext(TRAINING_KIND_LABELS[kind]))
                             for kind in TrainingKind]
        self.skill_code.choices = skill_choices(gettext("None"))


class UnavailabilityForm(SchemaForm):
    schema = s.UnavailabilityIn
    form_token = HiddenField()
    starts_on = _date(_l("From"))
    ends_on = _date(_l("To (included)"))
    reason = StringField(_l("Reason"))
    submit = SubmitField(_l("Declare unavailable"))


class PromotionForm(SchemaForm):
    schema = s.PromotionIn
    form_token = HiddenField()
    nia = StringField(_l("NIA assigned (Nomor Induk Anggota)"))
    promoted_on = _date(_l("Promoted on (blank: today)"))
    decree_ref = StringField(_l("Decree (SK) number"))
    submit = SubmitField(_l("Promote to Tagana"))


class SkillForm(SchemaForm):
    schema = s.SkillIn
    code = StringField(_l("Code (letters, digits and _)"))
    name = StringField(_l("Name"))
    submit = SubmitField(_l("Add skill"))


class SkillRenameForm(SchemaForm):
    schema = s.SkillRenameIn
    name = StringField(_l("Name"))
    submit = SubmitField(_l("Rename"))


class TeamForm(SchemaForm):
    schema = s.TeamIn
    form_token = HiddenField()
    name = StringField(_l("Name of the regu"))
    leader_id = SelectField(_l("Leader"), validate_choice=False)
    kecamatan_code = SelectField(_l("Kecamatan"), validate_choice=False)
    submit = SubmitField(_l("Form the regu"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.leader_id.choices = free_volunteer_choices(gettext("Choose the leader"))
        self.kecamatan_code.choices = kecamatan_choices()


class TeamMemberForm(SchemaForm):
    schema = s.TeamMemberIn
    volunteer_id = SelectField(_l("Volunteer"), validate_choice=False)
    submit = SubmitField(_l("Add to the regu"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.volunteer_id.choices = free_volunteer_choices(gettext("Choose a volunteer"))


class _EquipmentFields(SchemaForm):
    code = StringField(_l("Code (inventory or plate number)"))
    kind = SelectField(_l("Kind"), validate_choice=False)
    name = StringField(_l("Name"))
    kecamatan_code = SelectField(_l("Kept in kecamatan"), validate_choice=False)
    notes = TextAreaField(_l("Notes"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(kind.value, gettext(EQUIPMENT_KIND_LABELS[kind]))
                             for kind in EquipmentKind]
        self.kecamatan_code.choices = kecamatan_choices()


class EquipmentForm(_EquipmentFields):
    schema = s.EquipmentIn
    form_token = HiddenField()
    submit = SubmitField(_l("Register equipment"))


class EquipmentEditForm(_EquipmentFields):
    """Corrections and status; a blank note clears it."""

    schema = s.EquipmentChangeIn
    status = SelectField(_l("Status"), validate_choice=False)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [(value.value, gettext(EQUIPMENT_STATUS_LABELS[value]))
                               for value in EquipmentStatus]

    def payload(self) -> dict:
        payload = super().payload()
        if "notes" not in payload and self.notes.raw_data is not None:
            payload["notes"] = None
        return payload
