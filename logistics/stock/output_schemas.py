"""What the stock API answers: items, warehouses, lots, documents with their lines, stock on
hand and the alerts. Free text a person typed (notes, names, references) is `PersonalText`,
so a NIK written into it reaches only readers who may see it."""

from marshmallow import Schema, fields, validate

from logistics.core.masking import PersonalText
from logistics.stock.documents import DocumentKind, TransferStatus


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
    notes = PersonalText(allow_none=True)
    supplier_ref = PersonalText(allow_none=True)
    recipient_kind = fields.String(allow_none=True)
    recipient_name = PersonalText(allow_none=True)
    giver_name = PersonalText(allow_none=True)
    receiver_name = PersonalText(allow_none=True)
    witness_name = PersonalText(allow_none=True)
    giver_position = fields.String(allow_none=True)
    giver_nip = fields.String(allow_none=True)
    receiver_position = fields.String(allow_none=True)
    receiver_nip = fields.String(allow_none=True)
    witness_position = fields.String(allow_none=True)
    witness_nip = fields.String(allow_none=True)
    request_ref = PersonalText(allow_none=True)
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


class AlertsOut(Schema):
    expiring = fields.List(fields.Nested(ExpiringLotOut))
    under_minimum = fields.List(fields.Nested(LowItemOut))
    days_of_cover = fields.List(fields.Nested(CoverOut))
    open_shortfalls = fields.List(fields.Nested(ShortfallOut), metadata={
        "description": "the oldest 50 transfer shortfalls left open; /shortfalls pages all"})
