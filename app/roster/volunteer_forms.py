"""The volunteer form: labels and widgets only; `VolunteerIn` / `VolunteerChangeIn` check it,
as they check the API's body. Dates and coordinates are text boxes so that what was typed comes
back unchanged beside its message (a WTForms DateField would swallow a bad date)."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import aliased
from wtforms import BooleanField, HiddenField, SelectField, StringField, SubmitField, TextAreaField

from app.extensions import db
from app.forms_support import SchemaForm
from logistics.regions.models import Level, Region
from logistics.roster.models import (
    VOLUNTEER_KIND_LABELS,
    VOLUNTEER_STATUS_LABELS,
    VolunteerKind,
    VolunteerStatus,
)
from logistics.roster.volunteer_schemas import VolunteerChangeIn, VolunteerIn

CLEARABLE = ("phone", "notes", "home_lon", "home_lat")


def desa_choices() -> list[tuple[str, str]]:
    """Every desa as "Kecamatan · Desa", by kecamatan then desa name."""
    kecamatan = aliased(Region)
    rows = db.session.execute(
        select(Region.code, Region.name, kecamatan.name)
        .join(kecamatan, kecamatan.code == Region.parent_code)
        .where(Region.level == Level.DESA).order_by(kecamatan.name, Region.name))
    return [(code, f"{parent} · {name}") for code, name, parent in rows]


def _date(label):
    return StringField(label, render_kw={"type": "date"})


def _decimal(label):
    return StringField(label, render_kw={"inputmode": "decimal"})


class _VolunteerFields(SchemaForm):
    form_token = HiddenField()
    kind = SelectField(_l("Kind"), validate_choice=False)
    is_legiun = BooleanField(_l("Legiun (long-serving Tagana)"))
    nia = StringField(_l("NIA (Nomor Induk Anggota), Tagana only"))
    name = StringField(_l("Name"))
    nik = StringField(_l("NIK"), render_kw={"inputmode": "numeric", "autocomplete": "off"})
    sex = SelectField(_l("Sex"), validate_choice=False)
    birth_date = _date(_l("Birth date"))
    phone = StringField(_l("Mobile phone / WhatsApp"), render_kw={"inputmode": "tel"})
    home_desa_code = SelectField(_l("Home desa"), validate_choice=False)
    home_lon = _decimal(_l("Home longitude"))
    home_lat = _decimal(_l("Home latitude"))
    status = SelectField(_l("Status"), validate_choice=False)
    joined_on = _date(_l("Joined on"))
    notes = TextAreaField(_l("Notes"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sex.choices = [("", gettext("From the NIK")), ("F", gettext("Female")),
                            ("M", gettext("Male"))]
        self.status.choices = [(value.value, gettext(VOLUNTEER_STATUS_LABELS[value]))
                               for value in VolunteerStatus]
        self.home_desa_code.choices = [("", gettext("Choose a desa")), *desa_choices()]
        if "kind" in self:
            self.kind.choices = [(value.value, gettext(VOLUNTEER_KIND_LABELS[value]))
                                 for value in VolunteerKind]

    def payload(self) -> dict:
        """As typed; a coordinate typed with a decimal comma ("-3,45") read as a point."""
        payload = super().payload()
        for name in ("home_lon", "home_lat"):
            if name in payload:
                payload[name] = payload[name].replace(",", ".")
        return payload


class VolunteerForm(_VolunteerFields):
    schema = VolunteerIn
    submit = SubmitField(_l("Register volunteer"))


class VolunteerEditForm(_VolunteerFields):
    """Corrections: a NIK left blank stays as recorded; a blank phone, note or home point
    clears it."""

    schema = VolunteerChangeIn
    kind = None  # changes only by promotion
    submit = SubmitField(_l("Save"))

    def payload(self) -> dict:
        payload = super().payload()
        for name in CLEARABLE:
            if name not in payload and self[name].raw_data is not None:
                payload[name] = ""
        return payload
