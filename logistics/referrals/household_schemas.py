"""Households and members over the API and the page forms: what a Puskesos clerk types, and
what each reader may see.

NIK and No. KK are taken as people write them (spaces, dots, dashes) and checked by the shared
rule (`logistics.core.identity`), the NIK also against the typed sex and birth date, each
problem on its field. Rules needing the database or the whole household (one head, a NIK not
given twice, a NIK living elsewhere, the Puskesos scope) are the operations' (`households`).
Output dumps NIK and No. KK through `PersonalNumber`, and the birth date only to readers of
personal data (a masked NIK would be read back from it).
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from logistics.core import identity
from logistics.core.fields import Choice, Flag, Id, Limit, Text, Whole
from logistics.core.masking import PersonalNumber, PersonalText
from logistics.core.phones import MobilePhone
from logistics.i18n import N_
from logistics.referrals.models import Register, Relation, Sex
from logistics.roster.volunteer_schemas import PersonalDate

MAX_MEMBERS = 30
NIK_SEX = {Sex.MALE: "M", Sex.FEMALE: "F"}  # the form's L/P -> the sex a NIK's day encodes
DECILE_ERROR = N_("A welfare decile from 1 to 10.")
RT_RW = validate.Regexp(r"^[0-9]{1,3}$", error=N_("Up to 3 digits."))


def nik_problems(nik: str | None, sex: str | None, birth_date) -> dict[str, str]:
    """What is wrong with a member's NIK, or what it contradicts, by field (``nik``, ``sex``,
    ``birth_date``): the shared check, with the Indonesian L/P sex."""
    if not nik:
        return {}
    try:
        parsed = identity.parse_nik(nik)
    except identity.IdentityError as error:
        return {"nik": error.message}
    return identity.mismatches(parsed, sex=NIK_SEX.get(sex) if sex else None,
                               birth_date=birth_date)


class PersonalNumberIn(Text):
    """NIK or No. KK as typed: separators dropped, then the shared check."""

    def __init__(self, parse, **kwargs):
        super().__init__(40, validate=identity.marshmallow_check(parse), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return identity.digits_of(super()._deserialize(value, attr, data, **kwargs))


def _relation(**kwargs):
    return Choice([relation.value for relation in Relation], **kwargs)


class SlrtMemberIn(Schema):
    nik = PersonalNumberIn(identity.parse_nik, load_default=None, allow_none=True, metadata={
        "description": "16 digits; may be left out when the papers are lost"})
    name = Text(120, min_length=1, required=True)
    sex = Choice([sex.value for sex in Sex], required=True,
                 metadata={"description": "L (laki-laki) or P (perempuan)"})
    birth_date = fields.Date(load_default=None, metadata={
        "description": "taken from the NIK when not given; must agree with it when given"})
    relation = _relation(required=True)
    is_disabled = Flag(load_default=False)
    disability = Text(120, load_default=None)

    @validates_schema(skip_on_field_errors=True)
    def agrees_with_the_nik(self, data, **kwargs):
        if found := nik_problems(data.get("nik"), data.get("sex"), data.get("birth_date")):
            raise ValidationError({field: [message] for field, message in found.items()})


class SlrtHouseholdIn(Schema):
    kk_number = PersonalNumberIn(identity.parse_kk, required=True, metadata={
        "description": "No. KK, 16 digits; any real kecamatan (families move)"})
    desa_code = Text(20, min_length=1, required=True)
    address = Text(250, min_length=1, required=True)
    rt = Text(3, load_default=None, validate=RT_RW)
    rw = Text(3, load_default=None, validate=RT_RW)
    phone = MobilePhone(load_default=None)
    register = Choice([register.value for register in Register], load_default=None,
                      allow_none=True)
    welfare_decile = Whole(minimum=1, maximum=10, load_default=None, allow_none=True,
                           error=DECILE_ERROR)
    register_checked_on = fields.Date(load_default=None, allow_none=True)
    members = fields.List(fields.Nested(SlrtMemberIn), required=True, validate=validate.Length(
        min=1, max=MAX_MEMBERS, error=N_("From 1 to 30 members.")),
        metadata={"description": "everyone on the card; exactly one `kepala`"})


class SlrtAddMemberIn(SlrtMemberIn):
    started_on = fields.Date(load_default=None, metadata={"description": "defaults to today"})


class SlrtMemberChangeIn(Schema):
    """Corrections: only what is sent changes; a NIK sent alone brings its birth date."""

    nik = PersonalNumberIn(identity.parse_nik)
    name = Text(120, min_length=1)
    sex = Choice([sex.value for sex in Sex])
    birth_date = fields.Date()
    relation = _relation()
    is_disabled = Flag()
    disability = Text(120, allow_none=True)

    @validates_schema(skip_on_field_errors=True)
    def agrees_with_the_nik(self, data, **kwargs):
        if found := nik_problems(data.get("nik"), data.get("sex"), data.get("birth_date")):
            raise ValidationError({field: [message] for field, message in found.items()})


class SlrtMoveDetailsIn(Schema):
    """A move but for where to: the API names the household by id, the page by No. KK."""

    on = fields.Date(load_default=None, metadata={"description": "defaults to today"})
    reason = Text(250, min_length=1, required=True)
    relation = _relation(load_default=Relation.OTHER.value, metadata={
        "description": "the member's relation in the new household"})
    new_head_id = Id(load_default=None, metadata={
        "description": "when the head moves out: the person who heads the household left"})


class SlrtMoveIn(SlrtMoveDetailsIn):
    to_household_id = Id(required=True)


class SlrtEndMembershipIn(Schema):
    on = fields.Date(load_default=None, metadata={"description": "defaults to today"})
    reason = Text(250, min_length=1, required=True,
                  metadata={"description": "e.g. meninggal (died), pindah (left)"})
    new_head_id = Id(load_default=None)


class SlrtRegisterStatusIn(Schema):
    register = Choice([register.value for register in Register], required=True,
                      allow_none=True, metadata={"description": "dtks, dtsen, or null: not listed"})
    welfare_decile = Whole(minimum=1, maximum=10, load_default=None, allow_none=True,
                           error=DECILE_ERROR)
    checked_on = fields.Date(required=True)


class SlrtHouseholdQuery(Schema):
    limit = Limit()
    after = Id(metadata={"description": "cursor: the `next` of the previous page"})
    q = Text(120, metadata={"description": "No. KK or NIK (exact, separators allowed) or a "
                                           "part of the head's name"})


class SlrtMemberOut(Schema):
    person_id = fields.Integer()
    nik = PersonalNumber(attribute="person.nik", allow_none=True)
    name = fields.String(attribute="person.name")
    sex = fields.String(attribute="person.sex")
    birth_date = PersonalDate(attribute="person.birth_date", allow_none=True)
    relation = fields.String()
    is_disabled = fields.Boolean(attribute="person.is_disabled")
    disability = fields.String(attribute="person.disability", allow_none=True)
    started_on = fields.Date()


class SlrtHouseholdSummaryOut(Schema):
    id = fields.Integer()
    kk_number = PersonalNumber()
    puskesos_id = fields.Integer()
    desa_code = fields.String()
    desa_name = fields.Function(lambda h: h.desa.name if h.desa else None)
    head_name = fields.Function(lambda h: h.head.name if h.head else None)
    register = fields.String(allow_none=True)
    welfare_decile = fields.Integer(allow_none=True)


class SlrtHouseholdOut(SlrtHouseholdSummaryOut):
    address = PersonalText()
    rt = fields.String(allow_none=True)
    rw = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    register_checked_on = fields.Date(allow_none=True)
    registered_at = fields.DateTime()
    members = fields.List(fields.Nested(SlrtMemberOut))
