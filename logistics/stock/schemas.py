"""Stock input and output shapes for the API: the schema checks shape, operations check rules.

A rule that needs nothing but the input itself (a date in the future, a sign that does not fit
the reason) is checked here too, beside the field checks, so that one answer names every
mistake: a document-level check runs even when a line's field failed. An implausible expiry
is asked by the operation instead (`lookups.check_expiry`), after a retry has been recognised.
"""

from datetime import date

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from logistics.calendar import local_today
from logistics.core.fields import QTY_MAX, Choice, Count, Flag, Id, Limit, Quantity, Text, Whole
from logistics.core.masking import PersonalText
from logistics.i18n import N_
from logistics.stock.documents import (
    FUTURE_DATE,
    REASON_SIGN,
    AdjustmentReason,
    DocumentKind,
    RecipientKind,
    TransferStatus,
)
from logistics.stock.models import Category, LotSource, WarehouseKind

MAX_LINES = 200
SHELF_LIFE_MAX = 3650  # ten years
KCAL_MAX = 100_000  # per base unit; a family food package is about 20,000
CODE_FORMAT = validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,19}$",
                        error=N_("2 to 20 letters, digits, dots, dashes or underscores."))


def _text(max_length, required=False, **kwargs):
    if required:
        return Text(max_length, min_length=1, required=True, **kwargs)
    return Text(max_length, load_default=None, **kwargs)


def _code():
    return Text(20, required=True, validate=CODE_FORMAT)


TAKES_OUT = N_("This reason takes stock out: give a negative quantity, such as -5.")
ADDS = N_("This reason adds stock: give a positive quantity, such as +5.")


def _loaded_lines(data) -> list[tuple[int, dict]]:
    """The lines that loaded (even partly), with their place; empty when the list itself failed.
    A line's place is kept when another line failed, so a message lands on the right line."""
    lines = data.get("lines") or []
    return [(index, line) for index, line in enumerate(lines) if isinstance(line, dict)]


def _lines(schema):
    return fields.List(fields.Nested(schema), required=True, validate=[
        validate.Length(min=1, error=N_("Add at least one line.")),
        validate.Length(max=MAX_LINES, error=N_("At most 200 lines in one document."))])


class _Dated(Schema):
    """A document's date may be today or earlier; checked even when other fields failed."""

    @validates_schema(skip_on_field_errors=False)
    def not_in_future(self, data, **kwargs):
        if data.get("document_date") and data["document_date"] > local_today():
            raise ValidationError(FUTURE_DATE, "document_date")


class DocumentHeaderIn(_Dated):
    document_date = fields.Date(load_default=None,
                                metadata={"description": "defaults to today (WIB)"})
    notes = _text(1000, multiline=True)


class PackedQuantity(Schema):
    """A line's quantity: ``qty`` in the base unit, or ``packs`` of a named ``pack``."""

    item_id = Id(required=True)
    qty = Quantity()
    pack = Text(20, min_length=1)
    packs = Quantity(metadata={"description": "packs x the pack's size may not pass 10,000,000"})

    @validates_schema
    def one_quantity(self, data, **kwargs):
        if ("qty" in data) == ("pack" in data or "packs" in data):
            raise ValidationError(N_("Give either qty, or pack and packs."), "qty")
        if ("pack" in data) != ("packs" in data):
            raise ValidationError(N_("Give pack and packs together."), "packs")


class ReceiptLineIn(PackedQuantity):
    batch_no = _text(60, metadata={"description": "empty: one lot per receipt"})
    expires_on = fields.Date(load_default=None)


class ReceiptIn(DocumentHeaderIn):
    warehouse_id = Id(required=True)
    source = Choice([s.value for s in LotSource], load_default=LotSource.KEMENSOS.value)
    donor_name = _text(120)
    supplier_ref = _text(80)
    lines = _lines(ReceiptLineIn)
    confirm_expiry = Flag(load_default=False, load_only=True, metadata={
        "description": "true: post expiry dates that have passed or lie more than ten years "
                       "ahead (otherwise refused on lines.N.expires_on)"})  # see lookups


class OutgoingLineIn(PackedQuantity):
    lot_id = Id(load_default=None, metadata={"description": "empty: first expiry, first out"})


NIP_FORMAT = validate.Regexp(r"^\d{8} ?\d{6} ?\d ?\d{3}$",
                             error=N_("An NIP is 18 digits."))
SIGNERS = ("giver", "receiver", "witness")
SIGNER_FIELDS = tuple(f"{signer}_{part}" for signer in SIGNERS for part in ("position", "nip"))


def _nip():
    """A civil servant's NIP: 18 digits, also as printed in groups ("19780312 200501 1 003")."""
    return Text(21, load_default=None, validate=NIP_FORMAT,
                metadata={"description": "18 digits; spaces between the groups are dropped"})


class IssueIn(DocumentHeaderIn):
    warehouse_id = Id(required=True)
    recipient_kind = Choice([k.value for k in RecipientKind], load_default=None)
    recipient_name = _text(160)
    posko_id = Id(load_default=None, metadata={
        "description": "a release to a posko names it: its name and the event's decree in "
                       "force go on the BAST"})
    giver_name = _text(120, required=True)
    receiver_name = _text(120, required=True)
    witness_name = _text(120)
    # Printed under each signature on the BAST: jabatan and NIP, both optional.
    giver_position = _text(120)
    giver_nip = _nip()
    receiver_position = _text(120)
    receiver_nip = _nip()
    witness_position = _text(120)
    witness_nip = _nip()
    request_ref = _text(80)
    authority_ref = _text(160, metadata={
        "description": "emergency status decree or written order; needed from a lumbung sosial"})
    lines = _lines(OutgoingLineIn)

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def names_its_recipient(self, data, original, **kwargs):
        """A posko by its record; anyone else by kind and name. (Only what no field error
        already covers: a value present in ``original`` but not in ``data`` was refused.)"""
        if data.get("posko_id") is not None or not isinstance(original, dict):
            return
        problems = {}
        if data.get("recipient_kind") == RecipientKind.POSKO:
            problems["posko_id"] = [N_("Pick the posko this release goes to.")]
        elif original.get("recipient_kind") is None:
            problems["recipient_kind"] = [N_("Missing data for required field.")]
        if original.get("recipient_name") is None or (
                "recipient_name" in data and not (data["recipient_name"] or "").strip()):
            problems["recipient_name"] = [N_("Say who receives the goods.")]
        if problems:
            raise ValidationError(problems)

    @post_load
    def plain_nips(self, data, **kwargs):
        for signer in SIGNERS:
            if data.get(f"{signer}_nip"):
                data[f"{signer}_nip"] = data[f"{signer}_nip"].replace(" ", "")
        return data


class TransferIn(DocumentHeaderIn):
    warehouse_id = Id(required=True)
    to_warehouse_id = Id(required=True)
    lines = _lines(OutgoingLineIn)


class ArrivedLineIn(Schema):
    lot_id = Id(required=True)
    qty = Count(required=True)


class TransferReceiptIn(DocumentHeaderIn):
    lines = fields.List(fields.Nested(ArrivedLineIn), load_default=None,
                        validate=validate.Length(
                            max=MAX_LINES, error=N_("At most 200 lines in one document.")),
                        metadata={"description": "what arrived per lot; omit when all arrived"})


class AdjustmentLineIn(Schema):
    item_id = Id(required=True)
    lot_id = Id(required=True)
    qty = Whole(required=True, minimum=-QTY_MAX, maximum=QTY_MAX,
                error=N_("A whole number from -10,000,000 to 10,000,000."),
                validate=validate.NoneOf([0], error=N_("Must not be zero.")))


class AdjustmentIn(DocumentHeaderIn):
    warehouse_id = Id(required=True)
    reason = Choice([r.value for r in AdjustmentReason], required=True)
    transfer_id = Id(load_default=None, metadata={
        "description": "settle this transfer's shortfall (takes from in-transit stock)"})
    lines = _lines(AdjustmentLineIn)

    @validates_schema(skip_on_field_errors=False)
    def sign_fits_reason(self, data, **kwargs):
        """A write-off takes out, a find adds: said on the line, in words, not as a raw code."""
        if data.get("reason") is None:
            return
        sign = REASON_SIGN[AdjustmentReason(data["reason"])]
        problems = {index: {"qty": [TAKES_OUT if sign < 0 else ADDS]}
                    for index, line in _loaded_lines(data)
                    if sign and line.get("qty") is not None and (line["qty"] > 0) != (sign > 0)}
        if problems:
            raise ValidationError({"lines": problems})


class CountLineIn(Schema):
    item_id = Id(required=True)
    lot_id = Id(required=True)
    counted_qty = Count(required=True)


class CountIn(DocumentHeaderIn):
    warehouse_id = Id(required=True)
    lines = _lines(CountLineIn)


class ReversalIn(_Dated):
    document_date = fields.Date(load_default=None)
    notes = _text(1000, required=True, multiline=True,
                  metadata={"description": "why the document is undone"})


class PackIn(Schema):
    name = Text(20, min_length=1, required=True)
    base_qty = Whole(required=True, minimum=2, maximum=QTY_MAX,
                     error=N_("A whole number from 2 to 10,000,000."),
                     metadata={"description": "base units in one pack"})


class PackList(fields.List):
    """An item's packs; a name may appear once (``Karung`` and ``karung`` are one name)."""

    def __init__(self, **kwargs):
        super().__init__(fields.Nested(PackIn), validate=validate.Length(
            max=20, error=N_("At most 20 packs.")), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        packs = super()._deserialize(value, attr, data, **kwargs)
        seen: set[str] = set()
        for index, pack in enumerate(packs):
            name = pack["name"].strip().casefold()
            if name in seen:
                raise ValidationError({index: {"name": [N_("This pack name is given twice.")]}})
            seen.add(name)
        return packs


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
    code = _code()
    name_id = _text(120, required=True)
    name_en = _text(120, required=True)
    category = Choice([c.value for c in Category], required=True)
    base_unit = _text(20, required=True)
    is_perishable = Flag(load_default=False)
    shelf_life_days = Whole(load_default=None, allow_none=True, minimum=1,
                            maximum=SHELF_LIFE_MAX,
                            error=N_("A whole number of days from 1 to 3,650 (ten years)."))
    kcal_per_unit = Whole(load_default=None, allow_none=True, minimum=0, maximum=KCAL_MAX,
                          error=N_("A whole number from 0 to 100,000."))
    packs = PackList(load_default=list)


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
    code = _code()
    name = _text(120, required=True)
    kind = Choice([k.value for k in WarehouseKind], required=True)
    region_code = Text(13, min_length=1, required=True)
    desa_code = Text(13, load_default=None)
    address = _text(250, multiline=True)
    lat = fields.Float(load_default=None, validate=validate.Range(
        min=-90, max=90, error=N_("A latitude from -90 to 90.")))
    lon = fields.Float(load_default=None, validate=validate.Range(
        min=-180, max=180, error=N_("A longitude from -180 to 180.")))
    capacity_note = _text(250, multiline=True)


class MinimumLevelIn(Schema):
    item_id = Id(required=True)
    min_qty = Count(required=True)


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


class PageQuery(Schema):
    after = Id(metadata={"description": "cursor: the `next` of the previous page"})
    limit = Limit()


class DocumentQuery(PageQuery):
    warehouse_id = Id()
    incoming_to = Id(metadata={"description": "transfers heading to this warehouse"})
    kind = Choice([k.value for k in DocumentKind])
    status = Choice([s.value for s in TransferStatus])


class ItemQuery(Schema):
    q = Text(60, min_length=1)
    category = Choice([c.value for c in Category])
    after = Text(30, metadata={"description": "cursor: the `next` of the previous page"})
    limit = Limit()


class WarehouseFilter(Schema):
    warehouse_id = Id()


def _cursor(pattern: str, decode):
    """A cursor field: text in the ``next`` format, decoded to the list's sort key on load."""
    return Text(60, validate=validate.Regexp(pattern, error=N_(
        "Use the next value of the previous page.")), metadata={
        "description": "cursor: the `next` of the previous page"}), staticmethod(decode)


class _KeyedPage(Schema):
    """A page of a list computed whole and paged by a composite key (see app.pagination)."""

    decode = staticmethod(lambda text: text)
    limit = Limit()

    @post_load
    def cursor_as_key(self, data, **kwargs):
        if "after" in data:
            try:
                data["after"] = self.decode(data["after"])
            except ValueError as error:
                raise ValidationError(N_("Use the next value of the previous page."),
                                      "after") from error
        return data


class WarehousePageQuery(_KeyedPage):
    after = Text(20, metadata={"description": "cursor: the `next` of the previous page"})


class OnHandQuery(_KeyedPage):
    warehouse_id = Id()
    after, decode = _cursor(r"^[^:]{1,30}:[^:]{1,30}$", lambda text: tuple(text.split(":")))


def _lot_key(text: str) -> tuple:
    item_id, expires_on, lot_id = text.split(":")
    expiry = None if expires_on == "-" else date.fromisoformat(expires_on)
    return lot_sort_key(int(item_id), expiry, int(lot_id))


def lot_sort_key(item_id: int, expires_on: date | None, lot_id: int) -> tuple:
    """The lot picker's order: by item, first expiry first, lots without expiry last."""
    return (item_id, expires_on is None, expires_on or date.min, lot_id)


def lot_cursor(key: tuple) -> str:
    item_id, no_expiry, expires_on, lot_id = key
    return f"{item_id}:{'-' if no_expiry else expires_on.isoformat()}:{lot_id}"


class LotQuery(_KeyedPage):
    item_id = Id()
    after, decode = _cursor(r"^\d{1,10}:(\d{4}-\d{2}-\d{2}|-):\d{1,10}$", _lot_key)


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
    warehouse_id = Id(metadata={"description": "the receiving warehouse"})
    after = Text(21, validate=validate.Regexp(
        r"^\d{1,10}:\d{1,10}$", error=N_("Use the next value of the previous page.")),
        metadata={"description": "cursor: the `next` of the previous page"})
    limit = Limit()

    @post_load
    def cursor_as_key(self, data, **kwargs):
        if "after" in data:
            key = tuple(int(part) for part in data["after"].split(":"))
            if max(key) > Id.maximum:
                raise ValidationError(N_("Use the next value of the previous page."), "after")
            data["after"] = key
        return data


class AlertsOut(Schema):
    expiring = fields.List(fields.Nested(ExpiringLotOut))
    under_minimum = fields.List(fields.Nested(LowItemOut))
    days_of_cover = fields.List(fields.Nested(CoverOut))
    open_shortfalls = fields.List(fields.Nested(ShortfallOut), metadata={
        "description": "the oldest 50 transfer shortfalls left open; /shortfalls pages all"})
