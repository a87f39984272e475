"""Dispatch and deployment shapes: the schema checks shape, `dispatch`/`deployments` the rules."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from logistics.core.fields import Id, Text
from logistics.i18n import N_

MAX_VOLUNTEERS = 200
MAX_EQUIPMENT = 50
LOCAL_TIME = ("without a zone, the kabupaten's local time (WIB, WITA or WIT)")


def _optional(max_length, **kwargs):
    return Text(max_length, load_default=None, **kwargs)


def _moment(description, **kwargs):
    return fields.DateTime(metadata={"description": f"{description}; {LOCAL_TIME}"}, **kwargs)


class DispatchVolunteerIn(Schema):
    volunteer_id = Id(required=True)
    role = Text(60, min_length=1, required=True, metadata={"description": "e.g. dapur umum"})
    skill_code = _optional(30, metadata={"description": "the skill they are sent for"})


class DispatchEquipmentIn(Schema):
    equipment_id = Id(required=True)
    role = Text(60, min_length=1, required=True)


class DispatchIn(Schema):
    posko_id = Id(required=True)
    starts_at = _moment("when they are due at the posko", required=True)
    ends_at = _moment("when the deployment ends", required=True)
    volunteers = fields.List(fields.Nested(DispatchVolunteerIn), load_default=list, validate=[
        validate.Length(max=MAX_VOLUNTEERS, error=N_("At most 200 volunteers in one dispatch."))])
    equipment = fields.List(fields.Nested(DispatchEquipmentIn), load_default=list, validate=[
        validate.Length(max=MAX_EQUIPMENT, error=N_("At most 50 items in one dispatch."))])
    team_id = Id(load_default=None, metadata={"description": "send every member of this regu"})
    team_role = _optional(60, metadata={
        "description": "the regu members' role (default: Ketua regu / Anggota regu)"})
    report_to = _optional(120, metadata={
        "description": "whom to report to at the posko (default: the posko's contact)"})
    notes = _optional(2000, multiline=True)


class MomentIn(Schema):
    at = _moment("empty: now", load_default=None)


class EndIn(Schema):
    at = _moment("empty: now", load_default=None)
    reason = Text(200, min_length=1, required=True)


class CancelIn(Schema):
    reason = Text(200, min_length=1, required=True)


class DeploymentOut(Schema):
    id = fields.Integer()
    dispatch_id = fields.Integer()
    event_id = fields.Integer()
    posko_id = fields.Integer()
    volunteer_id = fields.Integer(allow_none=True)
    equipment_id = fields.Integer(allow_none=True)
    team_id = fields.Integer(allow_none=True)
    role = fields.String()
    skill_code = fields.String(allow_none=True)
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    status = fields.String()
    checked_in_at = fields.DateTime(allow_none=True)
    checked_out_at = fields.DateTime(allow_none=True)
    ended_reason = fields.String(allow_none=True)


class DispatchOut(Schema):
    id = fields.Integer()
    number = fields.String()
    event_id = fields.Integer()
    posko_id = fields.Integer()
    report_to = fields.String(allow_none=True)
    notes = fields.String(allow_none=True)
    dispatched_by_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    deployments = fields.List(fields.Nested(DeploymentOut))


class MessageOut(Schema):
    """Phones are shown to whoever may dispatch: posko staff see them anyway (issue 18)."""

    id = fields.Integer()
    deployment_id = fields.Integer()
    channel = fields.String()
    phone = fields.String()
    body = fields.String()
    link = fields.String(allow_none=True)
    sent_at = fields.DateTime(allow_none=True)


class PersonHoursOut(Schema):
    volunteer_id = fields.Integer()
    name = fields.String()
    deployments = fields.Integer()
    hours = fields.Float()


class EventHoursOut(Schema):
    event_id = fields.Integer()
    number = fields.String()
    name = fields.String()
    volunteers = fields.Integer()
    hours = fields.Float()
