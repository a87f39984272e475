"""The OpenAPI description of the GeoJSON answers: one FeatureCollection per layer, its
geometry type and the properties its allow-list lets through (`maps.geojson`).

Written as JSON Schema (OpenAPI 3.0) rather than marshmallow: the views answer GeoJSON text
themselves, with its own media type, so these only describe it.
"""

from __future__ import annotations

GEO_JSON = "application/geo+json"
DESA_TOLERANCE = 0.0002  # degrees, about 20 m: invisible at village scale, a third the size

_INT = {"type": "integer", "minimum": 0}
_ID = {"type": "integer", "minimum": 1}
_TEXT = {"type": "string"}
_FLAG = {"type": "boolean"}
_COUNTS = {"type": "object", "additionalProperties": _INT}
_POSITION = {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "number"}}
_RING = {"type": "array", "minItems": 4, "items": _POSITION}
_POLYGON = {"type": "array", "minItems": 1, "items": _RING}

POINT = {"type": "object", "required": ["type", "coordinates"], "additionalProperties": False,
         "properties": {"type": {"type": "string", "enum": ["Point"]},
                        "coordinates": _POSITION}}
LINE = {"type": "object", "required": ["type", "coordinates"], "additionalProperties": False,
        "properties": {"type": {"type": "string", "enum": ["LineString"]},
                       "coordinates": {"type": "array", "minItems": 2, "items": _POSITION}}}
AREA = {"type": "object", "nullable": True, "required": ["type", "coordinates"],
        "additionalProperties": False,
        "properties": {"type": {"type": "string", "enum": ["Polygon", "MultiPolygon"]},
                       "coordinates": {"type": "array", "items": {
                           "oneOf": [_RING, _POLYGON]}}}}


def collection(description: str, geometry: dict, properties: dict, id_schema: dict) -> dict:
    """A FeatureCollection whose features carry exactly ``properties`` (none required: a
    row may lack an optional one)."""
    return {
        "type": "object", "description": description,
        "required": ["type", "features"], "additionalProperties": False,
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "name": {"type": "string", "description": "the layer's name, as QGIS shows it"},
            "features": {"type": "array", "items": {
                "type": "object", "required": ["type", "geometry", "properties"],
                "additionalProperties": False,
                "properties": {
                    "type": {"type": "string", "enum": ["Feature"]},
                    "id": id_schema,
                    "geometry": geometry,
                    "properties": {"type": "object", "additionalProperties": False,
                                   "properties": properties}}}}}}


POSKO = collection(
    "The event's posko as points (a posko recorded without a point at its desa's centroid, "
    "``is_approximate``): evacuees of the latest census by group, what is still short for "
    "the coming week, days of cover, volunteers and equipment present. Closed posko have "
    "``is_open`` false and no people.", POINT, {
        "id": _ID, "code": _TEXT, "name": _TEXT, "kind": _TEXT, "kind_label": _TEXT,
        "desa_name": _TEXT, "is_open": _FLAG, "is_approximate": _FLAG, "persons": _INT,
        "households": _INT, "under_five": _INT, "pregnant": _INT, "breastfeeding": _INT,
        "elderly": _INT, "disabled": _INT, "groups": _COUNTS,
        "unmet_needs": {"type": "array", "items": _TEXT},
        "days_of_cover": {"type": "number", "nullable": True},
        "volunteers": _INT, "equipment": _INT}, _ID)

_AREA_FIGURES = {name: _INT for name in (
    "displaced", "posko", "households_assessed", "houses_heavy", "houses_damaged",
    "reported_displaced", "reported_dead", "reported_missing", "reported_injured",
    "reported_houses_heavy", "reported_houses_moderate", "reported_houses_light",
    "access_cut")}
DESA = collection(
    "The event's affected desa (named by the event, or with a posko or an assessment in it) "
    "on their boundaries, simplified for display: ``displaced`` sheltering in its open "
    "posko, household assessments by damage, and the latest rapid assessment's figures "
    "(``reported_*``). A desa without a boundary has a null geometry.", AREA,
    {"code": _TEXT, "name": _TEXT, "kind": _TEXT, "parent_name": _TEXT, **_AREA_FIGURES},
    _TEXT)
WAREHOUSES = collection(
    "Active warehouses as points with their stock status: empty, low (an item under its "
    "cover floor or minimum), expiring (a lot expired or expiring within 30 days) or ok.",
    POINT, {"id": _ID, "code": _TEXT, "name": _TEXT, "kind_label": _TEXT,
            "status": {"type": "string", "enum": ["ok", "low", "empty", "expiring"]},
            "items_low": _INT, "lots_expiring": _INT, "lots_expired": _INT,
            "is_approximate": _FLAG}, _ID)
TRANSFERS = collection(
    "Transfers sent and not yet received, as lines from the origin warehouse to the "
    "destination.", LINE, {"id": _ID, "number": _TEXT, "from_name": _TEXT, "to_name": _TEXT,
                           "sent_on": {"type": "string", "format": "date"}, "lines": _INT},
    _ID)
KECAMATAN = collection(
    "Volunteers per kecamatan of their home desa, as counts only (never a person or a "
    "home): active, available today and deployed now.", AREA,
    {"code": _TEXT, "name": _TEXT, "kind": _TEXT, "parent_name": _TEXT, "active": _INT,
     "available": _INT, "deployed": _INT}, _TEXT)
DEPLOYMENTS = collection(
    "Posko with volunteers or equipment present now, as counts (never who): volunteers per "
    "skill.", POINT, {"posko_id": _ID, "posko_code": _TEXT, "posko_name": _TEXT,
                      "volunteers": _INT, "equipment": _INT, "by_skill": _COUNTS,
                      "is_approximate": _FLAG}, _ID)
