"""What the monitoring and queue API read and answer: area filters in, figures and queue
items out. No. KK goes out as `PersonalNumber` (masked unless the caller may see it)."""

from __future__ import annotations

from marshmallow import Schema, fields

from logistics.core.fields import Flag, Limit, Text
from logistics.core.masking import PersonalNumber


class AreaQuery(Schema):
    kecamatan = Text(20, metadata={"description": "a kecamatan's Kemendagri code"})
    desa = Text(20, metadata={"description": "a desa's code: its Puskesos only"})


class QueueQuery(Schema):
    limit = Limit()
    after = Text(80, metadata={"description": "cursor: the `next` of the previous page"})
    overdue = Flag(load_default=False, metadata={"description": "only items past their limit"})


class QueueItemOut(Schema):
    kind = fields.String(metadata={"description": "case or referral"})
    id = fields.Integer()
    case_id = fields.Integer()
    case_number = fields.String()
    status = fields.String()
    since = fields.DateTime()
    days = fields.Integer(metadata={"description": "whole days in this step"})
    limit_days = fields.Integer()
    is_overdue = fields.Boolean()
    programme = fields.String(allow_none=True)
    household_id = fields.Integer()
    kk_number = PersonalNumber()
    head_name = fields.String(allow_none=True)
    desa = fields.String()


class QueuePageOut(Schema):
    items = fields.List(fields.Nested(QueueItemOut))
    next = fields.String(allow_none=True, metadata={
        "description": "pass as `after` to get the next page; null on the last page"})
    waiting = fields.Integer()
    overdue = fields.Integer()


class StepFiguresOut(Schema):
    status = fields.String()
    cases = fields.Integer()
    overdue = fields.Integer()
    median_days = fields.Float(allow_none=True, metadata={
        "description": "median days a completed visit of this step took"})
    visits = fields.Integer(metadata={"description": "completed visits the median is over"})


class ProgrammeFiguresOut(Schema):
    code = fields.String()
    name = fields.String()
    total = fields.Integer()
    by_status = fields.Dict(keys=fields.String(), values=fields.Integer())


class EventCountOut(Schema):
    event_id = fields.Integer()
    number = fields.String()
    name = fields.String()
    cases = fields.Integer()
    open = fields.Integer()


class MonitoringOut(Schema):
    kecamatan = fields.String(allow_none=True)
    desa = fields.String(allow_none=True)
    is_partial = fields.Boolean(metadata={
        "description": "the caller sees only some of the area's Puskesos"})
    totals = fields.Dict(keys=fields.String(), values=fields.Integer())
    steps = fields.List(fields.Nested(StepFiguresOut))
    programmes = fields.List(fields.Nested(ProgrammeFiguresOut))
    sources = fields.Dict(keys=fields.String(), values=fields.Integer())
    events = fields.List(fields.Nested(EventCountOut))


def monitoring_out(figures) -> dict:
    """The `monitoring.Monitoring` figures as `MonitoringOut` reads them."""
    area = figures.area
    return {
        "kecamatan": area.kecamatan.code if area.kecamatan else None,
        "desa": area.desa.code if area.desa else None, "is_partial": area.is_partial,
        "totals": figures.totals,
        "steps": [{**line, **figures.medians.get(line["status"],
                                                 {"median_days": None, "visits": 0})}
                  for line in figures.steps],
        "programmes": figures.programmes, "sources": figures.sources,
        "events": figures.events}
