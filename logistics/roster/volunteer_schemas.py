"""Volunteers over the API and the page forms: what a coordinator types, and what each reader
may see.

Input takes numbers as people write them (a NIK with spaces, a phone as ``0812-...``) and
answers every problem at once, each on its field; the record's own rules (`rules`) are the
same ones the operations apply. Output: the NIK goes through `PersonalNumber` and the birth
date is shown only to those who may see personal data (a masked NIK would otherwise be read
back from it); everyone else gets the age. The home point is personal too: only
`VolunteerWithHomeOut`, for those who manage the roster, carries it (`volunteer_out_for`).
Posko staff get `VolunteerContactOut`: name, kind, NIA and phone.
"""

from __future__ import annotations

from marshmallow import (
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_load,
    validate,
    validates_schema,
)
from marshmallow.experimental.context import Context

from logistics.accounts.roles import Permission
from logistics.calendar import local_today
from logistics.core import identity
from logistics.core.fields import Choice, Flag, Id, Limit, Text, Whole
from logistics.core.masking import PersonalNumber, may_see_personal_data
from logistics.core.phones import MobilePhone
from logistics.i18n import N_
from logistics.regions.places import BOTH_OR_NEITHER
from logistics.roster import rules
from logistics.roster.models import SkillLevel, VolunteerKind, VolunteerStatus, normal_nia

MAX_SKILLS = 40
SEX_CHOICES = {"F": "F", "M": "M", "P": "F", "L": "M"}  # Indonesian: perempuan, laki-laki


class NikIn(Text):
    """A NIK as typed ("1703 4112 0490 0012", with dots or dashes): its 16 digits, checked
    by the shared rule (`logistics.core.identity`)."""

    def __init__(self, **kwargs):
        super().__init__(40, min_length=1, validate=identity.marshmallow_check(identity.parse_nik),
                         **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return identity.digits_of(super()._deserialize(value, attr, data, **kwargs))


class SexIn(Choice):
    """F or M as stored; P (perempuan) and L (laki-laki) as written on Indonesian forms."""

    def __init__(self, **kwargs):
        super().__init__(list(SEX_CHOICES), metadata={
            "description": "F or M (P or L also taken)"}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        return SEX_CHOICES.get(text.strip().upper(), text)


def _longitude(**kwargs):
    return fields.Float(validate=validate.Range(
        min=-180, max=180, error=N_("A longitude from -180 to 180.")), **kwargs)


def _latitude(**kwargs):
    return fields.Float(validate=validate.Range(
        min=-90, max=90, error=N_("A latitude from -90 to 90.")), **kwargs)


def _nia(**kwargs):
    return Text(30, metadata={"description": "Nomor Induk Anggota: Tagana only"}, **kwargs)


class _Blanks(Schema):
    @pre_load
    def blank_is_absent(self, data, **kwargs):
        """A blank box is a value not given (pages send "", sheets an empty cell)."""
        if isinstance(data, dict):
            return {key: value for key, value in data.items()
                    if not (isinstance(value, str) and not value.strip())}
        return data


def _problems(data: dict) -> dict[str, str]:
    """The record's rules over what was sent (with the NIK already checked by its field)."""
    found = {}
    if "kind" in data:
        found |= rules.kind_problems(data["kind"], data.get("nia"), data.get("is_legiun", False))
    if data.get("nik"):
        found |= rules.nik_problems(data["nik"], data.get("sex"), data.get("birth_date"))[1]
    if missing := _half_a_point({name: data[name] for name in ("home_lon", "home_lat")
                                 if data.get(name) is not None}):
        found[missing] = BOTH_OR_NEITHER
    return found


def _half_a_point(data: dict) -> str | None:
    """The coordinate missing when the other one is given (or cleared alone)."""
    sent = [name for name in ("home_lon", "home_lat") if name in data]
    if len(sent) == 1:
        return "home_lat" if sent == ["home_lon"] else "home_lon"
    if len(sent) == 2 and (data["home_lon"] is None) != (data["home_lat"] is None):
        return "home_lon" if data["home_lon"] is None else "home_lat"
    return None


class VolunteerIn(_Blanks):
    kind = Choice([kind.value for kind in VolunteerKind], required=True)
    is_legiun = Flag(load_default=False, metadata={"description": "long-serving Tagana"})
    nia = _nia(load_default=None)
    name = Text(120, min_length=1, required=True)
    nik = NikIn(required=True)
    sex = SexIn(load_default=None)
    birth_date = fields.Date(load_default=None, metadata={
        "description": "taken from the NIK when not given; must agree with it when given"})
    phone = MobilePhone(load_default=None, metadata={
        "description": "an Indonesian mobile number, stored +628..."})
    home_desa_code = Text(20, min_length=1, required=True)
    home_lon = _longitude(load_default=None)
    home_lat = _latitude(load_default=None, metadata={"description": "inside the home desa"})
    status = Choice([status.value for status in VolunteerStatus],
                    load_default=VolunteerStatus.ACTIVE.value)
    joined_on = fields.Date(load_default=None, metadata={"description": "defaults to today"})
    notes = Text(2000, multiline=True, load_default=None)

    @validates_schema(skip_on_field_errors=False)
    def the_record_agrees(self, data, **kwargs):
        if found := _problems(data):
            raise ValidationError({field: [message] for field, message in found.items()})

    @post_load
    def nia_as_stored(self, data, **kwargs):
        if data.get("nia"):
            data["nia"] = normal_nia(data["nia"])
        return data


class VolunteerChangeIn(Schema):
    """What a coordinator may correct; the kind changes only by promotion. A blank phone,
    notes or home point clears it; a NIK changed alone brings its sex and birth date."""

    is_legiun = Flag()
    nia = _nia()
    name = Text(120, min_length=1)
    nik = NikIn()
    sex = SexIn()
    birth_date = fields.Date()
    phone = MobilePhone()
    home_desa_code = Text(20, min_length=1)
    home_lon = _longitude(allow_none=True)
    home_lat = _latitude(allow_none=True)
    status = Choice([status.value for status in VolunteerStatus])
    joined_on = fields.Date()
    notes = Text(2000, multiline=True, allow_none=True)

    @pre_load
    def blank_clears(self, data, **kwargs):
        if isinstance(data, dict):
            return {key: None if isinstance(value, str) and not value.strip() and key in (
                "phone", "notes", "home_lon", "home_lat") else value
                for key, value in data.items()}
        return data

    @post_load
    def nia_as_stored(self, data, **kwargs):
        if data.get("nia"):
            data["nia"] = normal_nia(data["nia"])
        return data

    @validates_schema(skip_on_field_errors=False)
    def the_record_agrees(self, data, **kwargs):
        found = {}
        if data.get("nik"):
            found |= rules.nik_problems(data["nik"], data.get("sex"), data.get("birth_date"))[1]
        if missing := _half_a_point(data):
            found[missing] = BOTH_OR_NEITHER
        if found:
            raise ValidationError({field: [message] for field, message in found.items()})


class SkillLevelIn(Schema):
    skill_code = Text(30, min_length=1, required=True)
    level = Whole(minimum=SkillLevel.BASIC, maximum=SkillLevel.EXPERT,
                  load_default=SkillLevel.BASIC,
                  error=N_("A level from 1 (basic) to 3 (expert)."))


class SkillsIn(Schema):
    skills = fields.List(fields.Nested(SkillLevelIn), required=True, validate=validate.Length(
        max=MAX_SKILLS, error=N_("At most 40 skills.")), metadata={
        "description": "the volunteer's whole set: skills not listed are removed"})


class VolunteerQuery(Schema):
    limit = Limit()
    after = Id(metadata={"description": "cursor: the `next` of the previous page"})
    kind = Choice([kind.value for kind in VolunteerKind])
    status = Choice([status.value for status in VolunteerStatus])
    kecamatan_code = Text(20)
    skill_code = Text(30)
    available_now = fields.Boolean(load_default=False, metadata={
        "description": "only those not declared away today and not deployed right now"})
    expiring_within_days = Whole(minimum=0, maximum=366, load_default=None, error=N_(
        "A number of days from 0 to 366."), metadata={
        "description": "only those with a latest certificate expiring within these days"})


class VolunteerSkillOut(Schema):
    skill_code = fields.String()
    level = fields.Integer()


class PersonalDate(fields.Date):
    """A date that is personal data (a birth date): None unless the viewer may see it."""

    def _serialize(self, value, attr, obj, **kwargs):
        if not may_see_personal_data(Context.get({}).get("viewer")):
            return None
        return super()._serialize(value, attr, obj, **kwargs)


class VolunteerContactOut(Schema):
    """What posko staff see of who is at their posko."""

    id = fields.Integer()
    kind = fields.String()
    nia = fields.String(allow_none=True)
    name = fields.String()
    phone = fields.String(allow_none=True)


class VolunteerOut(VolunteerContactOut):
    is_legiun = fields.Boolean()
    nik = PersonalNumber()
    sex = fields.String()
    birth_date = PersonalDate(allow_none=True, metadata={
        "description": "only for readers of personal data; others get the age"})
    age = fields.Function(lambda v: rules.age_on(v.birth_date, local_today()))
    home_desa_code = fields.String()
    home_desa_name = fields.Function(lambda v: v.home_desa.name if v.home_desa else None)
    kecamatan_code = fields.Function(lambda v: v.home_desa.parent_code if v.home_desa else None)
    status = fields.String()
    joined_on = fields.Date()
    notes = fields.String(allow_none=True)
    skills = fields.List(fields.Nested(VolunteerSkillOut))
    flags = fields.Function(rules.flags_of, metadata={
        "description": "facts to look at, e.g. age_outside_recruitment (not refusals)"})
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class VolunteerWithHomeOut(VolunteerOut):
    """For those who manage the roster: the home point they entered."""

    home_lon = fields.Float(allow_none=True)
    home_lat = fields.Float(allow_none=True)


def volunteer_out_for(viewer) -> type[VolunteerOut]:
    """The output schema this viewer may read: the home point only with MANAGE_ROSTER."""
    if viewer is not None and viewer.can(Permission.MANAGE_ROSTER):
        return VolunteerWithHomeOut
    return VolunteerOut

