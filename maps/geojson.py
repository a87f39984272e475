"""GeoJSON (RFC 7946) FeatureCollections built from the plain rows of `maps.rows`.

No database, no Flask: the API and any report call these with rows they already hold. What
comes out loads in QGIS as it stands: WGS84 longitude/latitude, coordinates rounded to six
decimals (about 10 cm), exterior rings counter-clockwise, polygons optionally simplified for
display and always valid, and an optional top-level ``name`` (QGIS names the layer by it).

Properties come only from each layer's allow-list: a field added to a row later (or a key a
caller slipped into one) does not reach a map until it is named here. Figures are flattened
into numeric properties, so a choropleth in QGIS can style by them directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from numbers import Real

import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

PRECISION = 6
GRID = 10 ** -PRECISION

POSKO_PROPERTIES = ("id", "code", "name", "kind", "kind_label", "desa_name", "is_open",
                    "is_approximate", "persons", "groups", "unmet_needs", "days_of_cover",
                    "volunteers", "equipment")
# A posko's census by stable key, flattened beside ``persons`` (QGIS styles by these).
POPULATION_PROPERTIES = ("households", "under_five", "pregnant", "breastfeeding", "elderly",
                         "disabled")
AREA_PROPERTIES = ("code", "name", "kind", "parent_name")
AREA_FIGURES = ("displaced", "posko", "households_assessed", "houses_heavy", "houses_damaged",
                "reported_displaced", "reported_dead", "reported_missing", "reported_injured",
                "reported_houses_heavy", "reported_houses_moderate", "reported_houses_light",
                "access_cut", "active", "available", "deployed")
WAREHOUSE_PROPERTIES = ("id", "code", "name", "kind_label", "status", "items_low",
                        "lots_expiring", "lots_expired", "is_approximate")
TRANSFER_PROPERTIES = ("id", "number", "from_name", "to_name", "sent_on", "lines")
DEPLOYMENT_PROPERTIES = ("posko_id", "posko_code", "posko_name", "volunteers", "equipment",
                         "by_skill", "is_approximate")


def _plain(value):
    """A property value as JSON holds it: scalars, lists of scalars, maps of text to numbers;
    anything else (a geometry, an object) is dropped rather than guessed at."""
    if value is None or isinstance(value, bool | str | int):
        return value
    if isinstance(value, Real):
        return round(float(value), 2)
    if isinstance(value, list | tuple):
        return [item for item in (_plain(v) for v in value) if isinstance(item, str | int | float)]
    if isinstance(value, Mapping):
        return {str(k): v for k, v in ((k, _plain(v)) for k, v in value.items())
                if isinstance(v, int | float) and not isinstance(v, bool)}
    return None


def _properties(row: Mapping, allowed: Iterable[str]) -> dict:
    return {name: _plain(row[name]) for name in allowed if name in row}


def _coordinate(value: float) -> float:
    return round(float(value), PRECISION)


def point_geometry(lon: float, lat: float) -> dict:
    return {"type": "Point", "coordinates": [_coordinate(lon), _coordinate(lat)]}


def line_geometry(start: tuple[float, float], end: tuple[float, float]) -> dict:
    return {"type": "LineString",
            "coordinates": [[_coordinate(x), _coordinate(y)] for x, y in (start, end)]}


def _polygonal(geometry: BaseGeometry) -> Polygon | MultiPolygon | None:
    """The polygons of a geometry (snapping may leave a collection with a stray line)."""
    if isinstance(geometry, Polygon | MultiPolygon):
        return None if geometry.is_empty else geometry
    parts: list[Polygon] = []
    for part in getattr(geometry, "geoms", []):
        if isinstance(part, Polygon) and not part.is_empty:
            parts.append(part)
        elif isinstance(part, MultiPolygon):
            parts.extend(part.geoms)
    return MultiPolygon(parts) if parts else None


@lru_cache(maxsize=2048)
def _display_shape(wkb: bytes, tolerance: float | None) -> BaseGeometry | None:
    """A boundary ready to draw: simplified (topology kept), snapped to the output grid
    (which keeps it valid, unlike rounding each number), rings oriented per RFC 7946.
    Cached by the boundary's bytes: the same desa is drawn on every map and request."""
    geometry = shapely.from_wkb(wkb)
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    if tolerance:
        simpler = geometry.simplify(tolerance, preserve_topology=True)
        geometry = simpler if simpler.is_valid and not simpler.is_empty else geometry
    geometry = _polygonal(shapely.set_precision(geometry, GRID))
    if geometry is None:
        return None
    if isinstance(geometry, Polygon):
        return orient(geometry, 1.0)
    return MultiPolygon([orient(part, 1.0) for part in geometry.geoms])


def area_geometry(geometry: BaseGeometry | None, *, tolerance: float | None = None
                  ) -> dict | None:
    """A region's boundary as a GeoJSON geometry, or None (no boundary, or nothing left)."""
    if geometry is None or geometry.is_empty:
        return None
    shape = _display_shape(geometry.wkb, tolerance)
    if shape is None:
        return None
    return _rounded(mapping(shape))


def _rounded(geometry: dict) -> dict:
    def walk(value):
        if isinstance(value, list | tuple):
            if value and isinstance(value[0], int | float):
                return [_coordinate(v) for v in value]
            return [walk(v) for v in value]
        return value

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def feature(geometry: dict | None, properties: dict, feature_id=None) -> dict:
    found = {"type": "Feature", "geometry": geometry, "properties": properties}
    if feature_id is not None:
        found["id"] = feature_id
    return found


def feature_collection(features: list[dict], *, name: str | None = None) -> dict:
    collection = {"type": "FeatureCollection"}
    if name:
        collection["name"] = name
    collection["features"] = features
    return collection


def posko_collection(rows: Iterable[Mapping], *, name: str | None = None) -> dict:
    """Posko as points, with the census by group flattened beside ``persons``."""
    features = []
    for row in rows:
        properties = _properties(row, POSKO_PROPERTIES)
        population = row.get("population") or {}
        properties.update({key: population[key] for key in POPULATION_PROPERTIES
                           if type(population.get(key)) is int})
        features.append(feature(point_geometry(row["lon"], row["lat"]), properties, row["id"]))
    return feature_collection(features, name=name)


def area_collection(rows: Iterable[Mapping], *, name: str | None = None,
                    tolerance: float | None = None) -> dict:
    """Desa or kecamatan as (multi)polygons with their figures as numeric properties; a
    region without a boundary keeps its figures with a null geometry (RFC 7946 allows it)."""
    features = []
    for row in rows:
        properties = _properties(row, AREA_PROPERTIES)
        figures = row.get("figures") or {}
        properties.update({key: figures[key] for key in AREA_FIGURES
                           if type(figures.get(key)) is int})
        features.append(feature(area_geometry(row.get("geometry"), tolerance=tolerance),
                                properties, row["code"]))
    return feature_collection(features, name=name)


def warehouse_collection(rows: Iterable[Mapping], *, name: str | None = None) -> dict:
    return feature_collection(
        [feature(point_geometry(row["lon"], row["lat"]),
                 _properties(row, WAREHOUSE_PROPERTIES), row["id"]) for row in rows], name=name)


def transfer_collection(rows: Iterable[Mapping], *, name: str | None = None) -> dict:
    """Transfers in transit as lines from the origin warehouse to the destination."""
    return feature_collection(
        [feature(line_geometry((row["from_lon"], row["from_lat"]),
                               (row["to_lon"], row["to_lat"])),
                 _properties(row, TRANSFER_PROPERTIES), row["id"]) for row in rows], name=name)


def deployment_collection(rows: Iterable[Mapping], *, name: str | None = None) -> dict:
    return feature_collection(
        [feature(point_geometry(row["lon"], row["lat"]),
                 _properties(row, DEPLOYMENT_PROPERTIES), row["posko_id"]) for row in rows],
        name=name)


def shape_of(geometry: dict) -> BaseGeometry:
    """A GeoJSON geometry back as shapely (for checks and tests)."""
    return shape(geometry)
