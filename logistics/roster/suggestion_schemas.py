"""Shapes of a suggestion request and its answer: the schema checks shape (a known kind of
equipment, counts in range), `suggestions.suggest` the rules (a skill in the catalogue, a posko
still open, a period `dispatch` would take). The answer names people by name, kind and phone:
never their NIK or home point, only the kilometres ranking used."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validates_schema

from logistics.core.fields import Choice, Id, Text, Whole
from logistics.i18n import N_
from logistics.roster.deployment_models import EquipmentKind
from logistics.roster.dispatch_schemas import LOCAL_TIME, MAX_EQUIPMENT, MAX_VOLUNTEERS

PER_NEED = 50
PER_NEED_MESSAGE = N_("A whole number from 1 to 50.")
TOO_MANY_PEOPLE = N_("At most 200 volunteers in one dispatch.")
TOO_MUCH_EQUIPMENT = N_("At most 50 items in one dispatch.")
NOTHING_ASKED = N_("Send at least one volunteer, regu or piece of equipment.")


def _moment(description, **kwargs):
    return fields.DateTime(metadata={"description": f"{description}; {LOCAL_TIME}"}, **kwargs)


def _count():
    return Whole(minimum=1, maximum=PER_NEED, error=PER_NEED_MESSAGE)


class NeedIn(Schema):
    skills = fields.Dict(keys=Text(30, min_length=1), values=_count(), load_default=dict,
                         metadata={"description": "skill code -> how many people, e.g. "
                                                  '{"dapur_umum": 4, "ldp": 2}'})
    equipment = fields.Dict(keys=Choice(EquipmentKind), values=_count(), load_default=dict,
                            metadata={"description": 'equipment kind -> how many, e.g. '
                                                     '{"perahu_karet": 1}'})

    @validates_schema
    def _bounded(self, data, **kwargs):
        if sum(data.get("skills", {}).values()) > MAX_VOLUNTEERS:
            raise ValidationError(TOO_MANY_PEOPLE, "skills")
        if sum(data.get("equipment", {}).values()) > MAX_EQUIPMENT:
            raise ValidationError(TOO_MUCH_EQUIPMENT, "equipment")
        if not data.get("skills") and not data.get("equipment"):
            raise ValidationError(NOTHING_ASKED, "skills")


class SuggestionIn(Schema):
    posko_id = Id(required=True)
    starts_at = _moment("when they are due at the posko", required=True)
    ends_at = _moment("when the deployment ends", required=True)
    need = fields.Nested(NeedIn, required=True)


class ReasonOut(Schema):
    code = fields.String(metadata={"description": "stable: skill_level, distance, "
                                   "distance_from_desa, distance_unknown, certificate_valid, "
                                   "certificate_expired, certificate_none, rest, load, base, "
                                   "no_base"})
    text = fields.String(metadata={"description": "in the reader's language"})
    points = fields.Integer()


class CandidateOut(Schema):
    volunteer_id = fields.Integer()
    name = fields.String()
    kind = fields.String()
    phone = fields.String(allow_none=True)
    rank = fields.Integer()
    score = fields.Integer(metadata={"description": "the sum of the reasons' points"})
    distance_km = fields.Float(allow_none=True)
    is_proposed = fields.Boolean()
    reasons = fields.List(fields.Nested(ReasonOut))


class SkillSuggestionOut(Schema):
    skill_code = fields.String()
    skill_name = fields.String()
    wanted = fields.Integer()
    missing = fields.Integer(metadata={"description": "wanted but nobody free to propose"})
    proposed = fields.List(fields.Integer())
    candidates = fields.List(fields.Nested(CandidateOut))


class EquipmentCandidateOut(Schema):
    equipment_id = fields.Integer()
    code = fields.String()
    name = fields.String()
    kind = fields.String()
    rank = fields.Integer()
    distance_km = fields.Float(allow_none=True)
    is_proposed = fields.Boolean()
    reasons = fields.List(fields.Nested(ReasonOut))


class EquipmentSuggestionOut(Schema):
    kind = fields.String()
    wanted = fields.Integer()
    missing = fields.Integer()
    proposed = fields.List(fields.Integer())
    candidates = fields.List(fields.Nested(EquipmentCandidateOut))


class ProposedVolunteerOut(Schema):
    volunteer_id = fields.Integer()
    skill_code = fields.String()
    role = fields.String()


class ProposedEquipmentOut(Schema):
    equipment_id = fields.Integer()
    role = fields.String()


class SuggestedDispatchOut(Schema):
    """Ready to send as the ``volunteers`` and ``equipment`` of a dispatch."""

    volunteers = fields.List(fields.Nested(ProposedVolunteerOut))
    equipment = fields.List(fields.Nested(ProposedEquipmentOut))


class SuggestionsOut(Schema):
    posko_id = fields.Integer()
    posko_name = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    radius_km = fields.Float(allow_none=True, metadata={
        "description": "how far from the posko the search read homes; null: everyone free"})
    skills = fields.List(fields.Nested(SkillSuggestionOut))
    equipment = fields.List(fields.Nested(EquipmentSuggestionOut))
    proposal = fields.Nested(SuggestedDispatchOut)
