"""Stock input and output shapes for the API: the schema checks shape, operations check rules."""

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from logistics.i18n import N_
from logistics.stock.documents import AdjustmentReason, DocumentKind, RecipientKind, TransferStatus
from logistics.stock.models import Category, LotSource, WarehouseKind

MAX_LINES = 200
_QTY = validate.Range(min=1, max=10_000_000)
CODE_FORMAT = validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,19}$",
                        error=N_("2 to 20 letters, digits, dots, dashes or underscores."))


def _text(max_length, required=False, **kwargs):
    if required:
        return fields.String(required=True, validate=validate.Length(min=1, max=max_length),
                             **kwargs)
    return fields.String(load_default=None, validate=validate.Length(max=max_length), **kwargs)


def _lines(schema):
    return fields.List(fields.Nested(schema), required=True, validate=[
        validate.Length(min=1, error=N_("Add at least one line.")),
        validate.Length(max=MAX_LINES, error=N_("At most 200 lines in one document."))])


class DocumentHeaderIn(Schema):
    document_date = fields.Date(load_default=None,
                                metadata={"description": "defaults to today (WIB)"})
    notes = _text(1000)


class PackedQuantity(Schema):
    """A line's quantity: ``qty`` in the base unit, or ``packs`` of a named ``pack``."""

    item_id = fields.Integer(required=True)
    qty = fields.Integer(validate=_QTY)
    pack = fields.String(validate=validate.Length(min=1, max=20))
    packs = fields.Integer(validate=_QTY)

    @validates_schema
    def one_quantity(self, data, **kwargs):
        if ("qty" in data) == ("pack" in data or "packs" in data):
            raise ValidationError(N_("Give either qty, or pack and packs."), "qty")
        if ("pack" in data) != ("packs" in data):
            raise ValidationError(N_("Give pack and packs together."), "packs")


class ReceiptLineIn(PackedQuantity):
    batch_no = fields.String(load_default=None, validate=validate.Length(max=60),
                             metadata={"description": "empty: one lot per receipt"})
    expires_on = fields.Date(load_default=None)


class ReceiptIn(DocumentHeaderIn):
    warehouse_id = fields.Integer(required=True)
    source = fields.String(load_default=LotSource.KEMENSOS.value,
                           validate=validate.OneOf([s.value for s in LotSource]))
    donor_name = _text(120)
    supplier_ref = _text(80)
    lines = _lines(ReceiptLineIn)


class OutgoingLineIn(PackedQuantity):
    lot_id = fields.Integer(load_default=None,
                            metadata={"description": "empty: first expiry, first out"})


class IssueIn(DocumentHeaderIn):
    warehouse_id = fields.Integer(required=True)
    recipient_kind = fields.String(required=True,
                                   validate=validate.OneOf([k.value for k in RecipientKind]))
    recipient_name = _text(160, required=True)
    giver_name = _text(120, required=True)
    receiver_name = _text(120, required=True)
    witness_name = _text(120)
    request_ref = _text(80)
    authority_ref = _text(160, metadata={
        "description": "emergency status decree or written order; needed from a lumbung sosial"})
    lines = _lines(OutgoingLineIn)


class TransferIn(DocumentHeaderIn):
    warehouse_id = fields.Integer(required=True)
    to_warehouse_id = fields.Integer(required=True)
    lines = _lines(OutgoingLineIn)


class ArrivedLineIn(Schema):
    lot_id = fields.Integer(required=True)
    qty = fields.Integer(required=True, validate=validate.Range(min=0, max=10_000_000))


class TransferReceiptIn(DocumentHeaderIn):
    lines = fields.List(fields.Nested(ArrivedLineIn), load_default=None,
                        validate=validate.Length(max=MAX_LINES),
                        metadata={"description": "what arrived per lot; omit when all arrived"})


class AdjustmentLineIn(Schema):
    item_id = fields.Integer(required=True)
    lot_id = fields.Integer(required=True)
    qty = fields.Integer(required=True, validate=[
        validate.Range(min=-10_000_000, max=10_000_000),
        validate.NoneOf([0], error=N_("Must not be zero.")),
    ])


class AdjustmentIn(DocumentHeaderIn):
    warehouse_id = fields.Integer(required=True)
    reason = fields.String(required=True,
                           validate=validate.OneOf([r.value for r in AdjustmentReason]))
    transfer_id = fields.Integer(load_default=None, metadata={
        "description": "settle this transfer's shortfall (takes from in-transit stock)"})
    lines = _lines(AdjustmentLineIn)


class CountLineIn(Schema):
    item_id = fields.Integer(required=True)
    lot_id = fields.Integer(required=True)
    counted_qty = fields.Integer(required=True, validate=validate.Range(min=0, max=10_000_000))


class CountIn(DocumentHeaderIn):
    warehouse_id = fields.Integer(required=True)
    lines = _lines(CountLineIn)


class ReversalIn(Schema):
    document_date = fields.Date(load_default=None)
    notes = _text(1000, required=True, metadata={"description": "why the document is undone"})


class PackOut(Schema):
    name = fields.String()
    base_qty = fields.Integer()


class ItemOut(Schema):
    id = fields.Integer()
    code = fields.String()
    name_id = fields.String()
    name_en = fields.String()
    category = fields.String()
    base_unit = fields.String()
    is_perishable = fields.Boolean()
    shelf_life_days = fields.Integer(allow_none=True)
    kcal_per_unit = fields.Integer(allow_none=True)
    is_active = fields.Boolean()
    packs = fields.List(fields.Nested(PackOut))


class ItemIn(Schema):
    code = fields.String(required=True, validate=CODE_FORMAT)
    name_id = _text(120, required=True)
    name_en = _text(120, required=True)
    category = fields.String(required=True, validate=validate.OneOf([c.value for c in Category]))
    base_unit = _text(20, required=True)
    is_perishable = fields.Boolean(load_default=False)
    shelf_life_days = fields.Integer(load_default=None, validate=validate.Range(min=1))
    kcal_per_unit = fields.Integer(load_default=None, validate=validate.Range(min=0))
    packs = fields.List(fields.Nested(PackOut), load_default=list)


class WarehouseOut(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    kind = fields.String()
    region_code = fields.String()
    desa_code = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    lat = fields.Function(lambda w: w.location.y if w.location else None, allow_none=True)
    lon = fields.Function(lambda w: w.location.x if w.location else None, allow_none=True)
    capacity_note = fields.String(allow_none=True)
    is_active = fields.Boolean()
    level = fields.String(metadata={"description": "ok, warning or danger (alerts)"})


class WarehouseIn(Schema):
    code = fields.String(required=True, validate=CODE_FORMAT)
    name = _text(120, required=True)
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in WarehouseKind]))
    region_code = fields.String(required=True)
    desa_code = fields.String(load_default=None)
    address = _text(250)
    lat = fields.Float(load_default=None, validate=validate.Range(min=-90, max=90))
    lon = fields.Float(load_default=None, validate=validate.Range(min=-180, max=180))
    capacity_note = _text(250)


class MinimumLevelIn(Schema):
    item_id = fields.Integer(required=True)
    min_qty = fields.Integer(required=True, validate=validate.Range(min=0, max=10_000_000))


class LotOut(Schema):
    id = fields.Integer()
    item_id = fields.Integer()
    batch_no = fields.String()
    expires_on = fields.Date(allow_none=True)
    source = fields.String()
    donor_name = fields.String(allow_none=True)
    received_on = fields.Date()


class LotBalanceOut(Schema):
    lot = fields.Nested(LotOut)
    item_id = fields.Integer()
    qty = fields.Integer()


class MovementOut(Schema):
    id = fields.Integer()
    warehouse_id = fields.Integer()
    item_id = fields.Integer()
    lot_id = fields.Integer()
    batch_no = fields.String(attribute="lot.batch_no")
    is_in_transit = fields.Boolean()
    qty = fields.Integer()
    balance_after = fields.Integer()
    counted_qty = fields.Integer(allow_none=True)


class StockCardLineOut(MovementOut):
    document_id = fields.Integer()
    document_number = fields.String(attribute="document.number")
    document_kind = fields.String(attribute="document.kind")
    document_date = fields.Date(attribute="document.document_date")
    posted_at = fields.DateTime(attribute="document.posted_at")


class DocumentOut(Schema):
    id = fields.Integer()
    number = fields.String()
    kind = fields.String(validate=validate.OneOf([k.value for k in DocumentKind]))
    status = fields.String(allow_none=True,
                           validate=validate.OneOf([s.value for s in TransferStatus]))
    warehouse_id = fields.Integer()
    to_warehouse_id = fields.Integer(allow_none=True)
    document_date = fields.Date()
    posted_at = fields.DateTime()
    actor = fields.String(attribute="actor.username")
    notes = fields.String(allow_none=True)
    supplier_ref = fields.String(allow_none=True)
    recipient_kind = fields.String(allow_none=True)
    recipient_name = fields.String(allow_none=True)
    giver_name = fields.String(allow_none=True)
    receiver_name = fields.String(allow_none=True)
    witness_name = fields.String(allow_none=True)
    request_ref = fields.String(allow_none=True)
    authority_ref = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    transfer_id = fields.Integer(allow_none=True)
    reverses_id = fields.Integer(allow_none=True)
    lines = fields.List(fields.Nested(MovementOut), attribute="movements")


class StockOnHandOut(Schema):
    warehouse_id = fields.Integer(attribute="warehouse.id")
    warehouse = fields.String(attribute="warehouse.name")
    item_id = fields.Integer(attribute="item.id")
    item_code = fields.String(attribute="item.code")
    item = fields.String(attribute="item.name_id")
    base_unit = fields.String(attribute="item.base_unit")
    on_hand = fields.Integer()
    in_transit = fields.Integer()
    min_qty = fields.Integer(allow_none=True)


class PageQuery(Schema):
    after = fields.Integer(metadata={"description": "cursor: the `next` of the previous page"})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class DocumentQuery(PageQuery):
    warehouse_id = fields.Integer()
    incoming_to = fields.Integer(metadata={"description": "transfers heading to this warehouse"})
    kind = fields.String(validate=validate.OneOf([k.value for k in DocumentKind]))
    status = fields.String(validate=validate.OneOf([s.value for s in TransferStatus]))


class ItemQuery(Schema):
    q = fields.String(validate=validate.Length(min=1, max=60))
    category = fields.String(validate=validate.OneOf([c.value for c in Category]))
    after = fields.String()
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class WarehouseDetailOut(WarehouseOut):
    keepers = fields.Pluck("UserRefOut", "username", many=True)


class UserRefOut(Schema):
    username = fields.String()


class ExpiringLotOut(Schema):
    warehouse_id = fields.Integer(attribute="warehouse.id")
    item_id = fields.Integer(attribute="item.id")
    item = fields.String(attribute="item.name_id")
    lot = fields.Nested(LotOut)
    qty = fields.Integer()
    days_left = fields.Integer()
    window = fields.Integer(allow_none=True, metadata={
        "description": "0 expired, else 30, 60 or 90: the first window it falls in"})


class LowItemOut(Schema):
    warehouse_id = fields.Integer(attribute="warehouse.id")
    item_id = fields.Integer(attribute="item.id")
    item = fields.String(attribute="item.name_id")
    on_hand = fields.Integer()
    min_qty = fields.Integer()


class CoverOut(Schema):
    warehouse_id = fields.Integer(attribute="warehouse.id")
    item_id = fields.Integer(attribute="item.id")
    item = fields.String(attribute="item.name_id")
    on_hand = fields.Integer()
    issued_per_day = fields.Float()
    days = fields.Float(allow_none=True)


class ShortfallOut(Schema):
    """A lot of a received transfer that neither arrived nor was written off (yet)."""

    transfer_id = fields.Integer(attribute="transfer.id")
    transfer_number = fields.String(attribute="transfer.number")
    document_date = fields.Date(attribute="transfer.document_date")
    from_warehouse_id = fields.Integer(attribute="transfer.warehouse_id")
    to_warehouse_id = fields.Integer(attribute="transfer.to_warehouse_id",
                                     metadata={"description": "where it is to be settled"})
    item_id = fields.Integer(attribute="item.id")
    item = fields.String(attribute="item.name_id")
    base_unit = fields.String(attribute="item.base_unit")
    lot = fields.Nested(LotOut)
    sent = fields.Integer()
    arrived = fields.Integer()
    written_off = fields.Integer()
    open = fields.Integer(metadata={
        "description": "sent - arrived - written_off: still in transit, to be settled"})


class ShortfallQuery(Schema):
    warehouse_id = fields.Integer(metadata={"description": "the receiving warehouse"})
    after = fields.String(
        validate=validate.Regexp(r"^\d{1,18}:\d{1,18}$",
                                 error=N_("Use the next value of the previous page.")),
        metadata={"description": "cursor: the `next` of the previous page"})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))

    @post_load
    def cursor_as_key(self, data, **kwargs):
        if "after" in data:
            data["after"] = tuple(int(part) for part in data["after"].split(":"))
        return data


class AlertsOut(Schema):
    expiring = fields.List(fields.Nested(ExpiringLotOut))
    under_minimum = fields.List(fields.Nested(LowItemOut))
    days_of_cover = fields.List(fields.Nested(CoverOut))
    open_shortfalls = fields.List(fields.Nested(ShortfallOut), metadata={
        "description": "the oldest 50 transfer shortfalls left open; /shortfalls pages all"})
