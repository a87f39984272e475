"""Case, referral and programme shapes for the API and the forms: the schema checks shape,
the operations check the rules that need the database."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from logistics.core.fields import Choice, Flag, Id, Limit, Text, Whole
from logistics.core.masking import PersonalNumber, PersonalText
from logistics.i18n import N_
from logistics.referrals.case_models import CaseStatus, Category, Outcome, Source
from logistics.referrals.referral_steps import OUTCOMES

MAX_NEEDS = 20


class SlrtNeedIn(Schema):
    category = Choice(list(Category), required=True)
    description = Text(2000, min_length=1, multiline=True, required=True)


class CaseIn(Schema):
    household_id = Id(required=True)
    source = Choice(list(Source), load_default=Source.WALK_IN.value)
    event_id = Id(load_default=None, metadata={"description": "the disaster, if any"})
    needs = fields.List(fields.Nested(SlrtNeedIn), required=True, validate=[
        validate.Length(min=1, error=N_("Add at least one need.")),
        validate.Length(max=MAX_NEEDS, error=N_("At most 20 needs at once."))], metadata={
        "description": "added to the household's open case if it has one"})


class CaseQuery(Schema):
    status = Choice(list(CaseStatus), load_default=None)
    household_id = Id(load_default=None)
    puskesos_id = Id(load_default=None)
    after = Id(load_default=None, metadata={"description": "the last id of the page before"})
    limit = Limit()


class SlrtReasonIn(Schema):
    reason = Text(500, load_default=None, multiline=True,
                  metadata={"description": "required: say why"})


class StepBackIn(SlrtReasonIn):
    to = Choice(list(CaseStatus), load_default=None,
                metadata={"description": "the step expected (default: the one before)"})


class FindingsIn(Schema):
    findings = Text(5000, min_length=1, multiline=True, required=True)


class ProposeIn(Schema):
    programme_id = Id(required=True)
    recommendation = Text(2000, load_default=None, multiline=True)


class DecideIn(Schema):
    approve = Flag(required=True)
    reason = Text(500, load_default=None, multiline=True,
                  metadata={"description": "required when not approved"})
    signer_name = Text(120, load_default=None, metadata={"description": "required to approve"})
    signer_position = Text(120, load_default=None)
    letter_date = fields.Date(load_default=None, metadata={"description": "default: today"})


class CloseIn(Schema):
    outcome = Choice(list(Outcome), required=True)
    reason = Text(500, load_default=None, multiline=True,
                  metadata={"description": "required when unresolved"})


class OutcomeIn(Schema):
    to = Choice([str(s) for s in OUTCOMES], required=True)
    reason = Text(500, load_default=None, multiline=True,
                  metadata={"description": "required when rejected"})


class AdviceOut(Schema):
    text = fields.String()
    fits = fields.Boolean()


class NeedOut(Schema):
    id = fields.Integer()
    category = fields.String()
    description = PersonalText()
    household_assessment_id = fields.Integer(allow_none=True)
    added_at = fields.DateTime()


class ReferralOut(Schema):
    id = fields.Integer()
    case_id = fields.Integer()
    programme_id = fields.Integer()
    programme_code = fields.String(attribute="programme.code")
    programme_name = fields.String(attribute="programme.name")
    status = fields.String()
    status_since = fields.DateTime()
    recommendation = PersonalText(allow_none=True)
    letter_number = fields.String(allow_none=True)
    letter_date = fields.Date(allow_none=True)
    signer_name = fields.String(allow_none=True)
    signer_position = fields.String(allow_none=True)
    reason = PersonalText(allow_none=True)
    advice = fields.List(fields.Nested(AdviceOut), dump_default=list)


class StepOut(Schema):
    at = fields.DateTime()
    referral_id = fields.Integer(allow_none=True)
    from_status = fields.String(allow_none=True)
    to_status = fields.String()
    reason = PersonalText(allow_none=True)
    actor = fields.String(attribute="actor.username")


class HouseholdSummaryOut(Schema):
    id = fields.Integer()
    kk_number = PersonalNumber()
    desa_code = fields.String()
    address = PersonalText()
    register = fields.String(allow_none=True)
    welfare_decile = fields.Integer(allow_none=True)
    register_checked_on = fields.Date(allow_none=True)


class CaseOut(Schema):
    id = fields.Integer()
    number = fields.String()
    status = fields.String()
    status_since = fields.DateTime()
    source = fields.String()
    event_id = fields.Integer(allow_none=True)
    puskesos_id = fields.Integer()
    household = fields.Nested(HouseholdSummaryOut)
    findings = PersonalText(allow_none=True)
    outcome = fields.String(allow_none=True)
    close_reason = PersonalText(allow_none=True)
    closed_on = fields.Date(allow_none=True)
    registered_at = fields.DateTime()
    needs = fields.List(fields.Nested(NeedOut))
    referrals = fields.List(fields.Nested(ReferralOut))
    steps = fields.List(fields.Nested(StepOut), dump_default=list)


class CaseListOut(Schema):
    id = fields.Integer()
    number = fields.String()
    status = fields.String()
    status_since = fields.DateTime()
    household_id = fields.Integer()
    puskesos_id = fields.Integer()
    source = fields.String()


class ProgrammeIn(Schema):
    code = Text(30, min_length=1, required=True)
    name = Text(160, min_length=1, required=True)
    agency = Text(200, min_length=1, required=True)
    agency_address = Text(250, load_default=None)
    kind = Choice(["nasional", "daerah", "mitra", "bencana"], required=True)
    categories = fields.List(Choice(list(Category)), load_default=list,
                             validate=validate.Length(max=len(Category)))
    max_decile = Whole(minimum=1, maximum=10, load_default=None, allow_none=True,
                       error=N_("A decile from 1 to 10."))
    needs_register = Flag(load_default=False)
    eligibility_note = Text(500, load_default=None, multiline=True)
    is_active = Flag(load_default=True)


class ProgrammePatch(Schema):
    """Only what is sent changes; ``is_active: false`` deactivates."""

    name = Text(160, min_length=1)
    agency = Text(200, min_length=1)
    agency_address = Text(250, allow_none=True)
    kind = Choice(["nasional", "daerah", "mitra", "bencana"])
    categories = fields.List(Choice(list(Category)), validate=validate.Length(max=len(Category)))
    max_decile = Whole(minimum=1, maximum=10, allow_none=True, error=N_("A decile from 1 to 10."))
    needs_register = Flag()
    eligibility_note = Text(500, allow_none=True, multiline=True)
    is_active = Flag()


class ProgrammeOut(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    agency = fields.String()
    agency_address = fields.String(allow_none=True)
    kind = fields.String()
    categories = fields.Function(lambda p: [c for c in (p.categories or "").split(",") if c])
    max_decile = fields.Integer(allow_none=True)
    needs_register = fields.Boolean()
    eligibility_note = fields.String(allow_none=True)
    is_active = fields.Boolean()


class StepLimitIn(Schema):
    days = Whole(minimum=1, maximum=365, required=True, error=N_("From 1 to 365 days."))


class StepLimitOut(Schema):
    status = fields.String()
    days = fields.Integer()


class IntakeConditionIn(Schema):
    is_active = Flag(load_default=None, allow_none=True)
    value = Text(30, load_default=None)


class IntakeConditionOut(Schema):
    id = fields.Integer()
    code = fields.String()
    finding = fields.String()
    value = fields.String()
    category = fields.String()
    description = fields.String()
    is_active = fields.Boolean()
