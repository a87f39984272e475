"""Needs overview and standards over the API.

Decimals travel as JSON strings with a fixed scale, never as floats: amounts in a standard's
measure with three decimals ("3.500" m², "2100.000" kcal), days of cover with one ("2.4"),
so 0.25 kg stays 0.25 and a client can compare figures as text. Whole units of an item are
plain integers. An amount sent in may be a JSON number or such a string.
"""

from __future__ import annotations

import re
from decimal import Decimal

from marshmallow import Schema, fields, validate

from logistics.core.fields import Choice, Id, Whole
from logistics.emergency.needs import Group, Per
from logistics.emergency.overview import DEFAULT_DAYS, MAX_DAYS
from logistics.emergency.standard_labels import STANDARD_LABELS
from logistics.i18n import N_

AMOUNT_MAX = Decimal("999999999.999")  # Numeric(12, 3)
AMOUNT_RANGE = N_("A number above 0 and up to 999,999,999.999, with at most three decimals.")
_AMOUNT_TEXT = re.compile(r"[0-9]{1,9}(?:\.[0-9]{1,3})?")
MAX_STANDARDS, MAX_SUPPLIES = 50, 50


class Amount(fields.Decimal):
    """A positive amount a Numeric(12, 3) column holds: a JSON number or a plain decimal
    string ("3.5"); never a bool, NaN, an exponent or a fourth decimal (refused, not rounded)."""

    default_error_messages = {"invalid": AMOUNT_RANGE, "special": AMOUNT_RANGE}

    def __init__(self, metadata=None, **kwargs):
        metadata = {"type": "string", "pattern": r"^[0-9]{1,9}(\.[0-9]{1,3})?$",
                    "description": "A JSON number is taken too.", **(metadata or {})}
        super().__init__(as_string=True, places=3, metadata=metadata, **kwargs)

    def _validated(self, value):
        if isinstance(value, str) and not _AMOUNT_TEXT.fullmatch(value):
            raise self.make_error("invalid")
        if isinstance(value, float | int) and not isinstance(value, bool):
            text = str(value)
            if not _AMOUNT_TEXT.fullmatch(text.removesuffix(".0") if "e" not in text else "x"):
                raise self.make_error("invalid")
        number = super()._validated(value)
        if not Decimal(0) < number <= AMOUNT_MAX:  # here, not a Range: apispec would print it
            raise self.make_error("invalid")  # as a number beside the string type
        return number


def _decimal_text(metadata=None) -> dict:
    """How a decimal sent as a string is documented (apispec calls a Decimal a number)."""
    return {"type": "string", "pattern": r"^-?[0-9]+\.[0-9]+$", **(metadata or {})}


def _measure(metadata=None, **kwargs):
    return fields.Decimal(as_string=True, places=3, dump_only=True,
                          metadata=_decimal_text(metadata), **kwargs)


def _days(metadata=None, **kwargs):
    return fields.Decimal(as_string=True, places=1, dump_only=True, allow_none=True,
                          metadata=_decimal_text(metadata), **kwargs)


class NeedsQuery(Schema):
    days = Whole(minimum=1, maximum=MAX_DAYS, load_default=DEFAULT_DAYS,
                 error=N_("A whole number of days from 1 to 365."),
                 metadata={"description": "Horizon the needs are computed for, days ahead."})


class SupplyIn(Schema):
    item_id = Id(required=True)
    content = Amount(required=True, metadata={
        "description": "How much of the standard's measure one base unit of the item holds."})


class StandardIn(Schema):
    code = Choice(sorted(STANDARD_LABELS), required=True)
    amount = Amount(required=True)
    group = Choice(list(Group), required=True)
    per = Choice(list(Per), required=True)
    supplies = fields.List(fields.Nested(SupplyIn), load_default=list, validate=validate.Length(
        max=MAX_SUPPLIES, error=N_("At most 50 items per standard.")))


class StandardsIn(Schema):
    standards = fields.List(fields.Nested(StandardIn), required=True, validate=validate.Length(
        min=1, max=MAX_STANDARDS, error=N_("From 1 to 50 standards.")))


class SupplyOut(Schema):
    item_id = fields.Integer()
    item_code = fields.String()
    base_unit = fields.String()
    content = _measure()


class StandardOut(Schema):
    code = fields.String()
    amount = _measure()
    measure = fields.String()
    group = fields.String()
    per = fields.String()
    supplies = fields.List(fields.Nested(SupplyOut))


class StandardsOut(Schema):
    standards = fields.List(fields.Nested(StandardOut))


class PopulationOut(Schema):
    persons = fields.Integer()
    households = fields.Integer()
    under_five = fields.Integer()
    pregnant = fields.Integer()
    breastfeeding = fields.Integer()
    elderly = fields.Integer()
    disabled = fields.Integer()


class MainItemOut(Schema):
    id = fields.Integer()
    code = fields.String()
    base_unit = fields.String()
    content = _measure()


class UnitsOut(Schema):
    """The amounts in whole units of the main item (rounded up)."""

    needed = fields.Integer()
    delivered = fields.Integer()
    available = fields.Integer()
    missing = fields.Integer()


class NeedLineOut(Schema):
    code = fields.String()
    measure = fields.String()
    amount = _measure(metadata={"description": "The standard in force."})
    group = fields.String()
    per = fields.String()
    needed = _measure()
    delivered = _measure()
    available = _measure()
    missing = _measure()
    days_delivered = _days(metadata={"description": "Days delivered goods last; null for "
                                                    "what is not used day by day."})
    days_available = _days()
    is_low = fields.Boolean(metadata={"description": "Fewer than 3 days of delivered cover."})
    main_item = fields.Nested(MainItemOut, allow_none=True)
    units = fields.Nested(UnitsOut, allow_none=True)


class PoskoNeedsOut(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    kind = fields.String()
    desa_name = fields.String(allow_none=True)
    covered_m2 = fields.Integer(allow_none=True)
    capacity = fields.Integer(allow_none=True)
    over_capacity = fields.Boolean()
    opened_on = fields.Date()
    closed_on = fields.Date(allow_none=True)
    counted_at = fields.DateTime(allow_none=True)
    population = fields.Nested(PopulationOut)
    lines = fields.List(fields.Nested(NeedLineOut))


class AffectedOut(Schema):
    desa_assessed = fields.Integer()
    dead = fields.Integer()
    missing = fields.Integer()
    injured = fields.Integer()
    displaced = fields.Integer()
    houses_light = fields.Integer()
    houses_moderate = fields.Integer()
    houses_heavy = fields.Integer()
    facilities_damaged = fields.Integer()
    desa_access_cut = fields.Integer()
    households = fields.Integer()
    members = fields.Integer()


class EventRefOut(Schema):
    id = fields.Integer()
    number = fields.String()
    name = fields.String()


class EventNeedsOut(Schema):
    event = fields.Nested(EventRefOut)
    today = fields.Date()
    days = fields.Integer()
    population = fields.Nested(PopulationOut)
    lines = fields.List(fields.Nested(NeedLineOut))
    posko = fields.List(fields.Nested(PoskoNeedsOut))
    affected = fields.Nested(AffectedOut)


class PoskoPageOut(Schema):
    event = fields.Nested(EventRefOut)
    today = fields.Date()
    days = fields.Integer()
    posko = fields.Nested(PoskoNeedsOut)


def line_out(line) -> dict:
    """A NeedLine as NeedLineOut dumps it."""
    coverage, standard = line.coverage, line.standard
    return {"code": standard.code, "measure": standard.measure, "amount": standard.amount,
            "group": str(standard.group), "per": str(standard.per),
            "needed": coverage.needed, "delivered": coverage.delivered,
            "available": coverage.available, "missing": coverage.missing,
            "days_delivered": coverage.days_delivered,
            "days_available": coverage.days_available, "is_low": line.is_low,
            "main_item": line.main_item and {
                "id": line.main_item.id, "code": line.main_item.code,
                "base_unit": line.main_item.base_unit, "content": line.main_item.content},
            "units": line.main_item and {
                name: line.units(getattr(coverage, name))
                for name in ("needed", "delivered", "available", "missing")}}


def population_out(population) -> dict:
    return {group.value: population.count(group) for group in Group}


def posko_out(posko) -> dict:
    return {"id": posko.id, "code": posko.code, "name": posko.name, "kind": posko.kind,
            "desa_name": posko.desa_name, "covered_m2": posko.covered_m2,
            "capacity": posko.capacity, "over_capacity": posko.over_capacity,
            "opened_on": posko.opened_on, "closed_on": posko.closed_on,
            "counted_at": posko.counted_at, "population": population_out(posko.population),
            "lines": [line_out(line) for line in posko.lines]}
