"""Boundaries simplified for display, once per region and geometry.

A desa boundary from the Kemendagri file has hundreds of vertices a screen or an A3 sheet
cannot show; simplified to ~30 m and snapped to a 1e-5 degree grid (~1 m) it keeps its shape at
a fraction of the bytes. `shapely.set_precision` snaps without breaking validity and the
simplification preserves topology, so no ring crosses itself. The result is cached by region
code and a digest of the geometry's WKB: the same boundary is simplified once per process
however many maps draw it, and an edited boundary (a new digest) is simplified again.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from maps.codec import pairs_of, polyline, steps

TOLERANCE = 0.0003  # degrees, ~30 m at the equator: under a pixel at kabupaten zoom
GRID = 1e-5         # degrees, ~1 m


class _Key:
    """Cache key of one boundary: code and WKB digest; carries the geometry unhashed."""

    __slots__ = ("geometry", "key")

    def __init__(self, code: str, geometry: BaseGeometry, tolerance: float):
        digest = hashlib.blake2b(shapely.to_wkb(geometry), digest_size=16).digest()
        self.key = (code, digest, tolerance)
        self.geometry = geometry

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other) -> bool:
        return isinstance(other, _Key) and other.key == self.key


@lru_cache(maxsize=8192)
def _simplified(key: _Key) -> tuple[BaseGeometry, dict, list]:
    tolerance = key.key[2]
    shape = key.geometry.simplify(tolerance, preserve_topology=True)
    shape = shapely.set_precision(shape, GRID)
    if not shape.is_valid:  # a sliver the grid could not keep: repair rather than draw junk
        shape = shapely.make_valid(shape)
    geojson = _rounded(mapping(shape))
    return shape, geojson, encode(geojson)


def _ring(points) -> str:
    """A ring as an encoded polyline of 1e-5 degree steps (maps.codec): the first point, then
    each step from the last, ~2 characters a coordinate."""
    return polyline(steps(points))


def encode(geojson: dict) -> list:
    """A Polygon or MultiPolygon as lumbung-maps.js reads it: ["P", rings] or ["M", polygons],
    each ring one polyline string (see _ring); other shapes go as GeoJSON."""
    kind = geojson["type"]
    if kind == "Polygon":
        return ["P", [_ring(ring) for ring in geojson["coordinates"]]]
    if kind == "MultiPolygon":
        return ["M", [[_ring(ring) for ring in polygon] for polygon in geojson["coordinates"]]]
    return ["G", geojson]


def decode(encoded: list) -> dict:
    """The GeoJSON geometry back from `encode` (what the browser does; used by the tests)."""
    def ring(text):
        return [list(pair) for pair in pairs_of(text)]
    kind, body = encoded
    if kind == "P":
        return {"type": "Polygon", "coordinates": [ring(r) for r in body]}
    if kind == "M":
        return {"type": "MultiPolygon", "coordinates": [[ring(r) for r in p] for p in body]}
    return body


def _rounded(value):
    if isinstance(value, float):
        return round(value, 5)
    if isinstance(value, tuple | list):
        return [_rounded(item) for item in value]
    if isinstance(value, dict):
        return {name: _rounded(item) for name, item in value.items()}
    return value


def display_geometry(code: str, geometry: BaseGeometry,
                     tolerance: float = TOLERANCE) -> BaseGeometry:
    """The boundary as drawn: simplified, on the grid, valid (cached)."""
    return _simplified(_Key(code, geometry, tolerance))[0]


def display_geojson(code: str, geometry: BaseGeometry, tolerance: float = TOLERANCE) -> dict:
    """The drawn boundary as a GeoJSON geometry with coordinates rounded to 5 decimals (cached;
    treat it as read-only)."""
    return _simplified(_Key(code, geometry, tolerance))[1]


def display_encoded(code: str, geometry: BaseGeometry, tolerance: float = TOLERANCE) -> list:
    """The drawn boundary in the compact form the map script reads (cached; read-only)."""
    return _simplified(_Key(code, geometry, tolerance))[2]


def cache_info():
    return _simplified.cache_info()


def clear_cache() -> None:
    _simplified.cache_clear()
