"""Skills, trainings, promotions, unavailable periods, regu and equipment over the API and the
page forms. Volunteers have theirs in `volunteer_schemas`.

Each input schema checks shape and bounds only (every field from `logistics.core.fields`);
the operations check what needs the database or the date. Dates that must follow one another
are checked here too, so a form shows them with everything else in one round.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates_schema

from logistics.core.fields import Choice, Id, Limit, Text, Whole
from logistics.i18n import N_
from logistics.roster import errors
from logistics.roster.deployment_models import EquipmentKind, EquipmentStatus
from logistics.roster.models import TrainingKind

MAX_MEMBERS = 100


class _Blanks(Schema):
    @pre_load
    def blank_is_absent(self, data, **kwargs):
        """A blank box is a value not given (pages send "", sheets an empty cell)."""
        if isinstance(data, dict):
            return {key: value for key, value in data.items()
                    if not (isinstance(value, str) and not value.strip())}
        return data


def _in_order(data: dict, *pairs: tuple[str, str, str]) -> None:
    """Each (earlier, later, message): the later date may not come before the earlier one;
    every pair out of order is reported at once, on its later field."""
    found = {then: [message] for first, then, message in pairs
             if data.get(first) and data.get(then) and data[then] < data[first]}
    if found:
        raise ValidationError(found)


# --- skills --------------------------------------------------------------------------------

class SkillIn(Schema):
    code = Text(30, min_length=1, required=True, validate=validate.Regexp(
        r"^\s*[a-zA-Z0-9_]+\s*$", error=N_("Letters, digits and _ only.")))
    name = Text(80, min_length=1, required=True)


class SkillOut(Schema):
    code = fields.String()
    name = fields.String()
    position = fields.Integer()


# --- trainings -----------------------------------------------------------------------------

class TrainingIn(_Blanks):
    kind = Choice([kind.value for kind in TrainingKind], required=True)
    skill_code = Text(30, load_default=None, metadata={
        "description": "the skill a spesialisasi certifies; none for dasar and lanjutan"})
    certificate_no = Text(60, min_length=1, required=True)
    started_on = fields.Date(required=True)
    ended_on = fields.Date(required=True)
    expires_on = fields.Date(load_default=None)

    @validates_schema(skip_on_field_errors=False)
    def dates_follow(self, data, **kwargs):
        _in_order(data, ("started_on", "ended_on", errors.ENDS_BEFORE_START),
                  ("ended_on", "expires_on", errors.EXPIRES_BEFORE_END))


class TrainingOut(Schema):
    id = fields.Integer()
    volunteer_id = fields.Integer()
    kind = fields.String()
    skill_code = fields.String(allow_none=True)
    certificate_no = fields.String()
    started_on = fields.Date()
    ended_on = fields.Date()
    expires_on = fields.Date(allow_none=True)
    recorded_at = fields.DateTime()


class ExpiringQuery(Schema):
    within_days = Whole(minimum=0, maximum=366, load_default=60,
                        error=N_("A number of days from 0 to 366."))
    include_expired = fields.Boolean(load_default=False)


class ExpiringCertificateOut(Schema):
    training = fields.Nested(TrainingOut)
    volunteer_id = fields.Integer(attribute="volunteer.id")
    volunteer_name = fields.String(attribute="volunteer.name")
    phone = fields.String(attribute="volunteer.phone", allow_none=True)
    days_left = fields.Integer()


# --- promotions ----------------------------------------------------------------------------

class PromotionIn(_Blanks):
    nia = Text(30, min_length=1, required=True, metadata={"description": "the NIA assigned"})
    promoted_on = fields.Date(load_default=None, metadata={"description": "defaults to today"})
    decree_ref = Text(80, load_default=None, metadata={"description": "the SK of promotion"})


class PromotionOut(Schema):
    id = fields.Integer()
    volunteer_id = fields.Integer()
    promoted_on = fields.Date()
    nia = fields.String()
    decree_ref = fields.String(allow_none=True)
    recorded_at = fields.DateTime()


class OnTheWayOut(Schema):
    volunteer_id = fields.Integer()
    name = fields.String()
    desa_code = fields.String()
    desa_name = fields.String()
    joined_on = fields.Date()
    held = fields.List(fields.String())
    lacking = fields.List(fields.String(), metadata={
        "description": "training kinds the promotion ladder asks for, without a valid "
                       "certificate"})
    is_ready = fields.Boolean()


class KecamatanPipelineOut(Schema):
    kecamatan_code = fields.String()
    kecamatan_name = fields.String()
    ready = fields.Integer()
    lacking = fields.Integer()
    volunteers = fields.List(fields.Nested(OnTheWayOut))


# --- unavailable periods -------------------------------------------------------------------

class UnavailabilityIn(_Blanks):
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True, metadata={"description": "included"})
    reason = Text(200, load_default=None)

    @validates_schema(skip_on_field_errors=False)
    def ends_after_start(self, data, **kwargs):
        _in_order(data, ("starts_on", "ends_on", errors.ENDS_BEFORE_START))


class UnavailabilityOut(Schema):
    id = fields.Integer()
    volunteer_id = fields.Integer()
    starts_on = fields.Date()
    ends_on = fields.Date()
    reason = fields.String(allow_none=True)


# --- regu ----------------------------------------------------------------------------------

class TeamIn(_Blanks):
    name = Text(80, min_length=1, required=True)
    leader_id = Id(required=True, metadata={"description": "an active volunteer; a member"})
    member_ids = fields.List(Id(), load_default=list, validate=validate.Length(
        max=MAX_MEMBERS, error=N_("At most 100 members in one regu.")))
    kecamatan_code = Text(20, load_default=None)


class TeamChangeIn(Schema):
    name = Text(80, min_length=1)
    kecamatan_code = Text(20, min_length=1)


class TeamMemberIn(Schema):
    volunteer_id = Id(required=True)


class TeamOut(Schema):
    id = fields.Integer()
    name = fields.String()
    kecamatan_code = fields.String(allow_none=True)
    leader_id = fields.Integer(allow_none=True)


# --- equipment -----------------------------------------------------------------------------

class EquipmentIn(_Blanks):
    code = Text(30, min_length=1, required=True,
                metadata={"description": "inventory or plate number; unique"})
    kind = Choice([kind.value for kind in EquipmentKind], required=True)
    name = Text(120, min_length=1, required=True)
    kecamatan_code = Text(20, load_default=None, metadata={"description": "where it is kept"})
    notes = Text(2000, multiline=True, load_default=None)


class EquipmentChangeIn(Schema):
    code = Text(30, min_length=1)
    kind = Choice([kind.value for kind in EquipmentKind])
    name = Text(120, min_length=1)
    kecamatan_code = Text(20, min_length=1)
    notes = Text(2000, multiline=True, allow_none=True)
    status = Choice([value.value for value in EquipmentStatus])


class EquipmentQuery(Schema):
    limit = Limit()
    after = Id(metadata={"description": "cursor: the `next` of the previous page"})
    kind = Choice([kind.value for kind in EquipmentKind])
    status = Choice([value.value for value in EquipmentStatus])
    kecamatan_code = Text(20)


class EquipmentOut(Schema):
    id = fields.Integer()
    code = fields.String()
    kind = fields.String()
    name = fields.String()
    kecamatan_code = fields.String(allow_none=True)
    status = fields.String()
    notes = fields.String(allow_none=True)


class SkillRenameIn(Schema):
    name = Text(80, min_length=1, required=True)


class TeamLineOut(Schema):
    id = fields.Integer(attribute="team.id")
    name = fields.String(attribute="team.name")
    kecamatan_code = fields.String(attribute="team.kecamatan_code", allow_none=True)
    leader_id = fields.Integer(attribute="team.leader_id", allow_none=True)
    leader_name = fields.String(allow_none=True)
    members = fields.Integer()


class TeamMemberOut(Schema):
    """A member as the regu page shows them: name, kind and phone, never NIK or home."""

    volunteer_id = fields.Integer(attribute="id")
    name = fields.String()
    kind = fields.String()
    nia = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    status = fields.String()


class TeamDetailOut(TeamOut):
    members = fields.List(fields.Nested(TeamMemberOut))
