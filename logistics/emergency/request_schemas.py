"""Request input and output shapes: the schema checks shape, the operations check rules."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from logistics.calendar import local_today
from logistics.core.fields import Choice, Count, Flag, Id, Limit, Quantity, Text
from logistics.core.masking import PersonalText
from logistics.emergency.request_models import RequestStatus
from logistics.i18n import N_
from logistics.stock.documents import FUTURE_DATE
from logistics.stock.schemas import NIP_FORMAT, SIGNERS

MAX_LINES = 100


def _optional(max_length, **kwargs):
    return Text(max_length, load_default=None, **kwargs)


def _lines(schema, most=MAX_LINES):
    return fields.List(fields.Nested(schema), required=True, validate=[
        validate.Length(min=1, error=N_("Add at least one line.")),
        validate.Length(max=most, error=N_("At most 100 lines in one request."))])


class RequestLineIn(Schema):
    item_id = Id(required=True)
    qty = Quantity(required=True)
    needed_by = fields.Date(load_default=None)


class RequestIn(Schema):
    lines = _lines(RequestLineIn)
    needed_by = fields.Date(load_default=None, metadata={
        "description": "for every line that names no date of its own"})
    notes = _optional(500, multiline=True)
    submit = Flag(load_default=False, metadata={
        "description": "true: send it to the coordinators at once (else it stays a draft)"})


class DecisionLineIn(Schema):
    line_id = Id(required=True)
    approved_qty = Count(required=True, metadata={"description": "0 declines the line"})


class ApproveIn(Schema):
    lines = _lines(DecisionLineIn)


class ReasonIn(Schema):
    reason = _optional(500, multiline=True, metadata={"description": "required: say why"})


class FulfilLineIn(Schema):
    line_id = Id(required=True)
    qty = Quantity(required=True)
    lot_id = Id(load_default=None, metadata={"description": "empty: first expiry, first out"})


def _nip():
    return Text(21, load_default=None, validate=NIP_FORMAT,
                metadata={"description": "18 digits; spaces between the groups are dropped"})


class FulfilIn(Schema):
    warehouse_id = Id(required=True)
    lines = _lines(FulfilLineIn)
    giver_name = Text(120, min_length=1, required=True)
    receiver_name = Text(120, min_length=1, required=True)
    witness_name = _optional(120)
    giver_position = _optional(120)
    giver_nip = _nip()
    receiver_position = _optional(120)
    receiver_nip = _nip()
    witness_position = _optional(120)
    witness_nip = _nip()
    authority_ref = _optional(160, metadata={
        "description": "only when the event has no emergency status in force that day"})
    document_date = fields.Date(load_default=None,
                                metadata={"description": "defaults to today (WIB)"})
    notes = _optional(1000, multiline=True)

    @validates_schema(skip_on_field_errors=False)
    def not_in_future(self, data, **kwargs):
        if data.get("document_date") and data["document_date"] > local_today():
            raise ValidationError(FUTURE_DATE, "document_date")

    @post_load
    def plain_nips(self, data, **kwargs):
        for signer in SIGNERS:
            if data.get(f"{signer}_nip"):
                data[f"{signer}_nip"] = data[f"{signer}_nip"].replace(" ", "")
        return data


class RequestQuery(Schema):
    event_id = Id()
    posko_id = Id()
    status = Choice([s.value for s in RequestStatus])
    after = Id(metadata={"description": "cursor: the `next` of the previous page"})
    limit = Limit()


class RequestLineOut(Schema):
    id = fields.Integer()
    position = fields.Integer()
    item_id = fields.Integer()
    item_code = fields.String(attribute="item.code")
    item_name = fields.String(attribute="item.name_id")
    base_unit = fields.String(attribute="item.base_unit")
    qty = fields.Integer()
    approved_qty = fields.Integer(allow_none=True)
    fulfilled_qty = fields.Integer()
    open_qty = fields.Integer()
    needed_by = fields.Date(allow_none=True)


class RequestOut(Schema):
    id = fields.Integer()
    number = fields.String()
    event_id = fields.Integer()
    posko_id = fields.Integer()
    posko_code = fields.String(attribute="posko.code")
    posko_name = fields.String(attribute="posko.name")
    status = fields.String(validate=validate.OneOf([s.value for s in RequestStatus]))
    needed_by = fields.Date(allow_none=True)
    notes = PersonalText(allow_none=True)
    requested_by = fields.String(attribute="requested_by.username")
    created_at = fields.DateTime()
    submitted_at = fields.DateTime(allow_none=True)
    decided_by = fields.String(attribute="decided_by.username", allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    reason = PersonalText(allow_none=True)
    lines = fields.List(fields.Nested(RequestLineOut))


class FulfilmentOut(Schema):
    document_id = fields.Integer(attribute="document.id")
    document_number = fields.String(attribute="document.number",
                                    metadata={"description": "the release (BAST) posted"})
    request = fields.Nested(RequestOut)


class ProposedLotOut(Schema):
    """A (lot, qty) pair of a proposal."""

    lot_id = fields.Function(lambda pair: pair[0].id)
    batch_no = fields.Function(lambda pair: pair[0].batch_no)
    expires_on = fields.Function(lambda pair: pair[0].expires_on and pair[0].expires_on
                                 .isoformat(), allow_none=True)
    qty = fields.Function(lambda pair: pair[1])


class SourceOut(Schema):
    warehouse_id = fields.Integer(attribute="warehouse.id")
    warehouse = fields.String(attribute="warehouse.name")
    km = fields.Float(allow_none=True, metadata={"description": "null: no location recorded"})
    available = fields.Integer(metadata={"description": "unexpired stock of the item there"})
    takes = fields.Integer()
    lots = fields.List(fields.Nested(ProposedLotOut))


class LineProposalOut(Schema):
    line_id = fields.Integer(attribute="line.id")
    item_id = fields.Integer(attribute="line.item_id")
    open = fields.Integer()
    sources = fields.List(fields.Nested(SourceOut))


class WarehouseChoiceOut(Schema):
    warehouse_id = fields.Integer(attribute="warehouse.id")
    warehouse = fields.String(attribute="warehouse.name")
    km = fields.Float(allow_none=True)
    lines_held = fields.Integer()
    lines_covered = fields.Integer()


class ProposalOut(Schema):
    request_id = fields.Integer(attribute="request.id")
    lines = fields.List(fields.Nested(LineProposalOut))
    warehouses = fields.List(fields.Nested(WarehouseChoiceOut),
                             metadata={"description": "nearest first"})


class UnmetLineOut(Schema):
    request_id = fields.Integer(attribute="request.id")
    request_number = fields.String(attribute="request.number")
    status = fields.String(attribute="request.status")
    posko_id = fields.Integer(attribute="request.posko_id")
    posko_code = fields.String(attribute="request.posko.code")
    line_id = fields.Integer(attribute="line.id")
    item_id = fields.Integer(attribute="line.item_id")
    item_code = fields.String(attribute="line.item.code")
    needed_by = fields.Date(attribute="line.needed_by", allow_none=True)
    asked = fields.Integer(attribute="line.qty")
    approved = fields.Integer(attribute="line.approved_qty", allow_none=True)
    fulfilled = fields.Integer(attribute="line.fulfilled_qty")
    missing = fields.Integer()
    undecided = fields.Boolean()


UNMET_CURSOR = validate.Regexp(r"^[01]-[0-9]{1,7}-[0-9]{1,10}$",
                               error=N_("Not a cursor this list gave."))


def unmet_sort_key(unmet) -> tuple[int, int, int]:
    """The order of the unmet list (needed soonest first, undated last), unique per line."""
    day = unmet.line.needed_by
    return (day is None, day.toordinal() if day else 0, unmet.line.id)


class UnmetQuery(Schema):
    after = Text(20, validate=UNMET_CURSOR, metadata={
        "description": "cursor: the `next` of the previous page"})
    limit = Limit()

    @post_load
    def cursor_key(self, data, **kwargs):
        if data.get("after"):
            undated, day, line_id = data["after"].split("-")
            data["after"] = (undated == "1", int(day), int(line_id))
        return data


def unmet_cursor(key) -> str:
    undated, day, line_id = key
    return f"{int(undated)}-{day}-{line_id}"
