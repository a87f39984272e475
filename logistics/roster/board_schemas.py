"""Shapes of the deployments list and the hours of an event; dispatch and the moves of a
deployment keep theirs in `dispatch_schemas`."""

from __future__ import annotations

from marshmallow import Schema, fields

from logistics.core.fields import Id, Limit
from logistics.roster.dispatch_schemas import DeploymentOut, PersonHoursOut


class DeploymentQuery(Schema):
    limit = Limit()
    after = Id(metadata={"description": "cursor: the `next` of the previous page"})
    event_id = Id()
    posko_id = Id()
    volunteer_id = Id()
    equipment_id = Id()
    active = fields.Boolean(load_default=False, metadata={
        "description": "only live deployments (dispatched or checked in) not over yet"})


class DeploymentLineOut(DeploymentOut):
    """A deployment with what a person reads beside it: no NIK, no home, no phone."""

    dispatch_number = fields.String()
    posko_name = fields.String()
    volunteer_name = fields.String(allow_none=True)
    equipment_name = fields.String(allow_none=True)
    team_name = fields.String(allow_none=True)


class EventHoursReportOut(Schema):
    event_id = fields.Integer()
    number = fields.String()
    name = fields.String()
    volunteers = fields.Integer(metadata={"description": "volunteers who checked in"})
    hours = fields.Float(metadata={"description": "the sum of `people`' hours"})
    people = fields.List(fields.Nested(PersonHoursOut))
