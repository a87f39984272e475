"""Assessment input and output shapes: kaji cepat per desa, households and their members.

The schema checks shape (counts are whole and in range) and No. KK and NIK by the rule the
roster applies too (`logistics.core.identity`: 16 digits, a real kecamatan, a NIK's birth date,
a serial from 0001); the operation checks what needs the database or the date (the desa lies
in the event's area, the assessment is not dated in the future). Output dumps NIK
and No. KK through `PersonalNumber`, so they are masked unless the viewer may see them.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates_schema

from logistics.core import identity
from logistics.core.fields import Choice, Flag, Id, Limit, Text, Whole
from logistics.core.masking import PersonalNumber, PersonalText
from logistics.emergency.assessment_models import HouseDamage, Sex
from logistics.i18n import N_

PEOPLE_MAX = 1_000_000  # more than live in the kabupaten: a typo, not a count
HOUSES_MAX = 100_000
MAX_MEMBERS = 30
NOT_A_MOTHER = N_("Only a woman (P) can be pregnant or breastfeeding.")
NIK_SEX = {"L": "M", "P": "F"}  # the form's sex -> the sex a NIK's day of birth encodes


def _count(maximum: int = PEOPLE_MAX):
    return Whole(minimum=0, maximum=maximum, load_default=0,
                 error=N_("A whole number from 0 to 1,000,000.") if maximum == PEOPLE_MAX
                 else N_("A whole number from 0 to 100,000."))


class PersonalNumberIn(Text):
    """No. KK or NIK as typed: separators dropped, then the check; blank means not given."""

    def __init__(self, parse, **kwargs):
        super().__init__(16, load_default=None, allow_none=True,
                         validate=identity.marshmallow_check(parse), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return identity.digits_of(super()._deserialize(value, attr, data, **kwargs)) or None

    def deserialize(self, value, attr=None, data=None, **kwargs):
        if isinstance(value, str) and not value.strip():
            value = None
        return super().deserialize(value, attr, data, **kwargs)


class _Blanks(Schema):
    @pre_load
    def blank_is_absent(self, data, **kwargs):
        """A blank text box is a value not given (pages send "", sheets an empty cell)."""
        if isinstance(data, dict):
            return {key: value for key, value in data.items()
                    if not (isinstance(value, str) and not value.strip())}
        return data


class RapidAssessmentIn(_Blanks):
    desa_code = Text(20, min_length=1, required=True)
    assessed_on = fields.Date(required=True)
    dead = _count()
    missing = _count()
    injured = _count()
    displaced = _count()
    houses_light = _count(HOUSES_MAX)
    houses_moderate = _count(HOUSES_MAX)
    houses_heavy = _count(HOUSES_MAX)
    facilities_damaged = _count(HOUSES_MAX)
    facilities_note = Text(500, load_default=None, multiline=True)
    access_cut = Flag(load_default=False)
    notes = Text(5000, load_default=None, multiline=True)


class MemberIn(_Blanks):
    name = Text(120, min_length=1, required=True)
    nik = PersonalNumberIn(identity.parse_nik,
                           metadata={"description": "16 digits; may come later"})
    sex = Choice([sex.value for sex in Sex], required=True,
                 metadata={"description": "L (laki-laki) or P (perempuan)"})
    age = Whole(minimum=0, maximum=130, load_default=None, allow_none=True,
                error=N_("An age from 0 to 130."))
    relation = Text(40, load_default=None)
    is_pregnant = Flag(load_default=False)
    is_breastfeeding = Flag(load_default=False)
    is_disabled = Flag(load_default=False)

    @validates_schema(skip_on_field_errors=True)
    def sex_agrees(self, data, **kwargs):
        """The NIK's day of birth says man or woman, as the roster checks; and only a woman
        counts towards the needs of ibu hamil and ibu menyusui."""
        if data.get("nik"):
            found = identity.mismatches(identity.parse_nik(data["nik"]),
                                        sex=NIK_SEX[data["sex"]])
            if found:
                raise ValidationError(found["sex"], "sex")
        if data["sex"] == Sex.MALE and (data.get("is_pregnant") or data.get("is_breastfeeding")):
            raise ValidationError(NOT_A_MOTHER, "sex")


class HouseholdIn(_Blanks):
    desa_code = Text(20, min_length=1, required=True)
    assessed_on = fields.Date(required=True)
    posko_id = Id(load_default=None, allow_none=True,
                  metadata={"description": "the posko the household shelters at, if any"})
    kk_number = PersonalNumberIn(identity.parse_kk)
    head_name = Text(120, min_length=1, required=True)
    head_nik = PersonalNumberIn(identity.parse_nik)
    address = Text(250, load_default=None)
    house_damage = Choice([damage.value for damage in HouseDamage], required=True)
    lost_livelihood = Flag(load_default=False)
    deaths = Whole(minimum=0, maximum=100, load_default=0,
                   error=N_("A whole number from 0 to 100."))
    urgent_needs = Text(500, load_default=None, multiline=True)
    members = fields.List(fields.Nested(MemberIn), load_default=list, validate=validate.Length(
        max=MAX_MEMBERS, error=N_("At most 30 members in one household.")),
        metadata={"description": "the head first; an empty list keeps none"})


class RapidAssessmentOut(Schema):
    id = fields.Integer()
    event_id = fields.Integer()
    desa_code = fields.String()
    desa_name = fields.String(attribute="desa.name")
    assessed_on = fields.Date()
    dead = fields.Integer()
    missing = fields.Integer()
    injured = fields.Integer()
    displaced = fields.Integer()
    houses_light = fields.Integer()
    houses_moderate = fields.Integer()
    houses_heavy = fields.Integer()
    facilities_damaged = fields.Integer()
    facilities_note = PersonalText(allow_none=True)
    access_cut = fields.Boolean()
    notes = PersonalText(allow_none=True)
    submission_id = fields.String(allow_none=True)
    recorded_at = fields.DateTime()


class MemberOut(Schema):
    position = fields.Integer()
    name = PersonalText()
    nik = PersonalNumber(allow_none=True)
    sex = fields.String()
    age = fields.Integer(allow_none=True)
    relation = PersonalText(allow_none=True)
    is_pregnant = fields.Boolean()
    is_breastfeeding = fields.Boolean()
    is_disabled = fields.Boolean()


class HouseholdOut(Schema):
    id = fields.Integer()
    event_id = fields.Integer()
    desa_code = fields.String()
    desa_name = fields.String(attribute="desa.name")
    posko_id = fields.Integer(allow_none=True)
    assessed_on = fields.Date()
    kk_number = PersonalNumber(allow_none=True)
    head_name = PersonalText()
    head_nik = PersonalNumber(allow_none=True)
    address = PersonalText(allow_none=True)
    house_damage = fields.String()
    lost_livelihood = fields.Boolean()
    deaths = fields.Integer()
    urgent_needs = PersonalText(allow_none=True)
    submission_id = fields.String(allow_none=True)
    recorded_at = fields.DateTime()
    members = fields.List(fields.Nested(MemberOut))


class HouseholdQuery(Schema):
    desa_code = Text(20, load_default=None)
    limit = Limit()
    after = Id(load_default=None, metadata={"description": "the `next` of the previous page"})


class ImportSummaryOut(Schema):
    rows = fields.Integer(metadata={"description": "households read from the file"})
    created = fields.Integer()
    updated = fields.Integer()
    members = fields.Integer(metadata={"description": "members written, all households"})
    slrt_cases_opened = fields.Integer(metadata={
        "description": "SLRT cases opened at the desa's Puskesos from these households"})
    slrt_needs_added = fields.Integer(metadata={
        "description": "needs added to SLRT cases (new or already open)"})
    slrt_without_kk = fields.Integer(metadata={
        "description": "households meeting an intake condition but without a valid No. KK"})


class ImportProblemOut(Schema):
    row = fields.Integer(metadata={"description": "as the spreadsheet numbers it (header 1)"})
    sheet = fields.String(metadata={"description": "the sheet or file the row is in"})
    column = fields.String()
    message = fields.String()
