"""Made-up but plausible geometry for demo regions, flagged synthetic wherever it is stored.

The fallback for a demo kabupaten whose real boundaries are not shipped in
`seeds/data/boundaries/`: each kecamatan goes to a seeded random point inside a rough outline of
its kabupaten, that outline is cut into Voronoi cells as stand-in kecamatan boundaries, and desa
points are scattered inside each cell. Real boundaries replace all of it through
`flask regions import-geojson`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from shapely import voronoi_polygons
from shapely.geometry import MultiPoint, Point, Polygon
from shapely.geometry.base import BaseGeometry

# Rough outlines (lon, lat), drawn by hand from public maps: mainland Bengkulu Utara and Enggano.
BENGKULU_UTARA_MAINLAND = Polygon([
    (101.62, -3.05), (101.90, -2.95), (102.20, -3.05), (102.45, -3.30),
    (102.50, -3.60), (102.30, -3.80), (102.10, -3.78), (101.95, -3.55), (101.70, -3.30),
])
ENGGANO = Polygon([
    (102.08, -5.28), (102.25, -5.25), (102.40, -5.32), (102.42, -5.45),
    (102.25, -5.52), (102.10, -5.45),
])
ISLAND_KECAMATAN = {"17.03.01": ENGGANO}  # Kecamatan Enggano
SUPPORTED_KABUPATEN = {"17.03"}
SOURCE = "synthetic demo geometry (seeds/synthetic_geometry.py)"


@dataclass(frozen=True)
class PlacedRegion:
    code: str
    centroid: Point
    boundary: BaseGeometry | None


def _random_point_in(area: BaseGeometry, rng: random.Random) -> Point:
    minx, miny, maxx, maxy = area.bounds
    while True:
        point = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if area.contains(point):
            return point


def place_kabupaten(
    kabupaten_code: str, kecamatan: dict[str, list[str]], *, seed: int = 1703
) -> list[PlacedRegion]:
    """Place a kabupaten's kecamatan (cells) and desa (points); same seed, same map."""
    rng = random.Random(seed)
    mainland_codes = sorted(code for code in kecamatan if code not in ISLAND_KECAMATAN)
    sites = {code: _random_point_in(BENGKULU_UTARA_MAINLAND, rng) for code in mainland_codes}
    cells = voronoi_polygons(MultiPoint(list(sites.values())), extend_to=BENGKULU_UTARA_MAINLAND)
    areas: dict[str, BaseGeometry] = {}
    for code, site in sites.items():
        cell = next(c for c in cells.geoms if c.contains(site))
        areas[code] = cell.intersection(BENGKULU_UTARA_MAINLAND)
    areas.update({code: shape for code, shape in ISLAND_KECAMATAN.items() if code in kecamatan})
    whole = BENGKULU_UTARA_MAINLAND.union(ENGGANO)
    placed = [PlacedRegion(kabupaten_code, BENGKULU_UTARA_MAINLAND.representative_point(), whole)]
    for code in sorted(kecamatan):
        area = areas[code]
        placed.append(PlacedRegion(code, area.representative_point(), area))
        inner = area.buffer(-0.005) if area.buffer(-0.005).area > 0 else area
        placed.extend(
            PlacedRegion(desa, _random_point_in(inner, rng), None) for desa in kecamatan[code]
        )
    return placed
