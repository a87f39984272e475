"""Events, emergency statuses, posko and censuses over the API and the page forms.

The schema checks shape and bounds (every input field from `logistics.core.fields`); the
operations in `events` and `census` check the rules that need the database or the date.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from logistics.core.fields import Choice, Count, Id, Limit, Text
from logistics.core.masking import PersonalText
from logistics.emergency.models import EmergencyPhase, Hazard, PoskoKind
from logistics.i18n import N_

MAX_REGIONS = 400  # a kabupaten's kecamatan and desa, all of them (Bengkulu Utara: 239)


def _text(max_length, required=False, **kwargs):
    if required:
        return Text(max_length, min_length=1, required=True, **kwargs)
    return Text(max_length, load_default=None, **kwargs)


def _persons(required=False):
    """A head count; how the counts relate is the operation's rule (one answer for all)."""
    return Count(required=True) if required else Count(load_default=0)


# --- events --------------------------------------------------------------------------------

class EventIn(Schema):
    hazard = Choice([h.value for h in Hazard], required=True)
    name = _text(160, required=True)
    started_on = fields.Date(required=True)
    region_codes = fields.List(Text(20, min_length=1), required=True, validate=validate.Length(
        min=1, max=MAX_REGIONS, error=N_("Name at least one kecamatan or desa.")), metadata={
        "description": "codes of the kecamatan and desa affected; the area is their union"})
    description = _text(2000, multiline=True)


class EventChangeIn(Schema):
    name = Text(160, min_length=1)
    description = Text(2000, multiline=True)
    region_codes = fields.List(Text(20, min_length=1), validate=validate.Length(
        min=1, max=MAX_REGIONS, error=N_("Name at least one kecamatan or desa.")))
    ended_on = fields.Date(metadata={"description": "ends the event: it takes no new records "
                                                   "after this day"})


class StatusIn(Schema):
    phase = Choice([p.value for p in EmergencyPhase], required=True)
    decree_number = _text(120, required=True, metadata={"description": "the SK Bupati"})
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(load_default=None)


class StatusOut(Schema):
    id = fields.Integer()
    event_id = fields.Integer()
    phase = fields.String()
    decree_number = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)


class EventOut(Schema):
    id = fields.Integer()
    number = fields.String()
    hazard = fields.String()
    name = fields.String()
    started_on = fields.Date()
    ended_on = fields.Date(allow_none=True)
    description = PersonalText(allow_none=True)
    region_codes = fields.Function(lambda event: [region.code for region in event.regions])
    statuses = fields.List(fields.Nested(StatusOut))


class EventQuery(Schema):
    limit = Limit()
    after = Id(metadata={"description": "cursor: the `next` of the previous page"})


# --- posko ---------------------------------------------------------------------------------

def _latitude():
    return fields.Float(validate=validate.Range(
        min=-90, max=90, error=N_("A latitude from -90 to 90.")))


def _longitude():
    return fields.Float(validate=validate.Range(
        min=-180, max=180, error=N_("A longitude from -180 to 180.")))


class PoskoChangeIn(Schema):
    name = Text(120, min_length=1)
    latitude = _latitude()
    longitude = _longitude()
    covered_m2 = Count(metadata={"description": "covered living area in m²"})
    contact_name = Text(120)
    contact_phone = Text(30)
    closed_on = fields.Date(metadata={"description": "closes the posko"})


class PoskoIn(Schema):
    name = _text(120, required=True)
    kind = Choice([k.value for k in PoskoKind], required=True)
    desa_code = Text(20, min_length=1, required=True)
    opened_on = fields.Date(load_default=None, metadata={"description": "defaults to today"})
    latitude = _latitude()
    longitude = _longitude()
    covered_m2 = Count(load_default=None, metadata={"description": "covered living area in m²"})
    contact_name = _text(120)
    contact_phone = _text(30)

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def both_coordinates(self, data, original, **kwargs):
        if not isinstance(original, dict):
            return
        given = {name for name in ("latitude", "longitude") if original.get(name) is not None}
        if len(given) == 1:
            missing = ({"latitude", "longitude"} - given).pop()
            raise ValidationError(N_("Give both latitude and longitude, or neither."), missing)


class PoskoOut(Schema):
    id = fields.Integer()
    code = fields.String()
    event_id = fields.Integer()
    name = fields.String()
    kind = fields.String()
    desa_code = fields.String()
    latitude = fields.Function(lambda p: p.point.y if p.point is not None else None,
                               allow_none=True)
    longitude = fields.Function(lambda p: p.point.x if p.point is not None else None,
                                allow_none=True)
    covered_m2 = fields.Integer(allow_none=True)
    capacity = fields.Integer(allow_none=True, metadata={
        "description": "persons the covered area shelters at the covered-space standard"})
    contact_name = PersonalText(allow_none=True)
    contact_phone = PersonalText(allow_none=True)
    opened_on = fields.Date()
    closed_on = fields.Date(allow_none=True)


class PoskoQuery(Schema):
    limit = Limit()
    after = Id(metadata={"description": "cursor: the `next` of the previous page"})


# --- census --------------------------------------------------------------------------------

class CensusIn(Schema):
    counted_at = fields.DateTime(required=True, metadata={
        "description": "when the people were counted; without a zone, the kabupaten's local "
                       "time (WIB, WITA or WIT)"})
    households = _persons(required=True)
    male = _persons(required=True)
    female = _persons(required=True)
    under_five = _persons()
    pregnant = _persons()
    breastfeeding = _persons()
    elderly = _persons()
    disabled = _persons()
    notes = _text(500, multiline=True)


class CensusOut(Schema):
    id = fields.Integer()
    posko_id = fields.Integer()
    counted_at = fields.DateTime()
    persons = fields.Integer()
    households = fields.Integer()
    male = fields.Integer()
    female = fields.Integer()
    under_five = fields.Integer()
    pregnant = fields.Integer()
    breastfeeding = fields.Integer()
    elderly = fields.Integer()
    disabled = fields.Integer()
    notes = PersonalText(allow_none=True)
    recorded_at = fields.DateTime()


class CensusQuery(Schema):
    limit = Limit()
    after = Id(metadata={"description": "cursor: the `next` of the previous page (latest "
                                        "count first)"})

