"""Stock input shapes for the API (answers: `output_schemas`, list filters: `query_schemas`):
the schema checks shape, operations check rules.

A rule that needs nothing but the input itself (a date in the future, a sign that does not fit
the reason) is checked here too, beside the field checks, so that one answer names every
mistake: a document-level check runs even when a line's field failed. An implausible expiry
is asked by the operation instead (`lookups.check_expiry`), after a retry has been recognised.
"""


from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from logistics.calendar import local_today
from logistics.core.fields import QTY_MAX, Choice, Count, Flag, Id, Quantity, Text, Whole
from logistics.i18n import N_
from logistics.stock.documents import (
    FUTURE_DATE,
    REASON_SIGN,
    AdjustmentReason,
    RecipientKind,
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
