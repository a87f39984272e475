"""GeoJSON from plain rows, no database: RFC 7946 shape, lon/lat order checked against the
real boundaries of Bengkulu Utara, valid simplified polygons, and the allow-lists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from shapely.geometry import Point, Polygon, box, shape

from maps import geojson

BOUNDARIES = Path(__file__).parents[2] / "seeds" / "data" / "boundaries"
INDONESIA = box(94.0, -11.5, 141.5, 6.5)  # lon, lat
DESA = json.loads((BOUNDARIES / "17.03-desa-kelurahan.geojson").read_text())["features"]


def _posko(**extra):
    return {"id": 7, "code": "PSK-1", "name": "Balai Desa", "kind": "tempat_pengungsian",
            "kind_label": "Tempat pengungsian", "lat": -3.45, "lon": 102.05,
            "desa_name": "Kahyapu", "is_open": True, "persons": 120,
            "population": {"persons": 120, "households": 30, "under_five": 10},
            "groups": {"Balita": 10}, "unmet_needs": ["Beras: kurang 120 kg"],
            "days_of_cover": 1.4285714, "volunteers": 2, "equipment": 1, **extra}


def test_a_point_is_lon_then_lat_rounded_to_six_decimals():
    collection = geojson.posko_collection([_posko(lat=-3.123456789, lon=102.987654321)],
                                          name="posko")
    feature, = collection["features"]
    assert collection["type"] == "FeatureCollection"
    assert collection["name"] == "posko"
    assert feature["geometry"] == {"type": "Point", "coordinates": [102.987654, -3.123457]}
    assert feature["id"] == 7
    assert feature["properties"]["households"] == 30
    assert feature["properties"]["days_of_cover"] == 1.43


def test_properties_outside_the_allow_list_never_reach_the_output():
    row = _posko(nik="1703122707726875", head_name="Siti", home_lat=-3.1, home_lon=102.1,
                 geometry=Point(1, 2), contact_phone="08123")
    row["population"]["nik"] = "1703122707726875"
    row["groups"]["1703122707726875"] = "1703122707726875"
    text = json.dumps(geojson.posko_collection([row]))
    for secret in ("1703122707726875", "Siti", "home_", "08123", "contact"):
        assert secret not in text
    warehouse = {"id": 1, "code": "G", "name": "Gudang", "kind_label": "x", "lat": 0, "lon": 0,
                 "status": "ok", "items_low": 0, "lots_expiring": 0, "lots_expired": 0,
                 "keeper_name": "Pak Rahasia"}
    assert "Rahasia" not in json.dumps(geojson.warehouse_collection([warehouse]))


def test_a_transfer_is_a_line_from_origin_to_destination():
    row = {"id": 3, "number": "MUT-1", "from_name": "A", "to_name": "B", "from_lat": -3.8,
           "from_lon": 102.3, "to_lat": -3.4, "to_lon": 102.05, "sent_on": "2026-01-02",
           "lines": 2}
    feature, = geojson.transfer_collection([row])["features"]
    assert feature["geometry"] == {"type": "LineString",
                                   "coordinates": [[102.3, -3.8], [102.05, -3.4]]}


def test_an_area_without_a_boundary_keeps_its_figures_with_a_null_geometry():
    row = {"code": "17.03.01", "name": "Enggano", "kind": "kecamatan", "parent_name": "BU",
           "geometry": None, "figures": {"active": 3, "secret": 9, "deployed": True}}
    feature, = geojson.area_collection([row])["features"]
    assert feature["geometry"] is None
    assert feature["properties"] == {"code": "17.03.01", "name": "Enggano",
                                     "kind": "kecamatan", "parent_name": "BU", "active": 3}


def test_exterior_rings_run_counter_clockwise_and_holes_clockwise():
    clockwise = Polygon([(0, 0), (0, 1), (1, 1), (1, 0)], [[(0.2, 0.2), (0.4, 0.2), (0.4, 0.4)]])
    geometry = geojson.area_geometry(clockwise)
    rebuilt = shape(geometry)
    assert rebuilt.exterior.is_ccw
    assert not rebuilt.interiors[0].is_ccw


def _rows(features):
    return [{"code": f["properties"]["code"], "name": f["properties"]["name"], "kind": "desa",
             "parent_name": "", "geometry": shape(f["geometry"]), "figures": {"displaced": 1}}
            for f in features]


@pytest.mark.parametrize("tolerance", [None, 0.0002, 0.002])
def test_every_real_desa_comes_out_valid_in_indonesia_and_in_its_place(tolerance):
    collection = geojson.area_collection(_rows(DESA), tolerance=tolerance)
    assert len(collection["features"]) == len(DESA) == 220
    for source, feature in zip(DESA, collection["features"], strict=True):
        original = shape(source["geometry"])
        drawn = shape(feature["geometry"])
        assert drawn.is_valid, feature["id"]
        assert INDONESIA.contains(drawn), feature["id"]
        assert drawn.geom_type in ("Polygon", "MultiPolygon")
        # Same place: a point inside the source polygon is inside what is drawn (a swapped
        # lon/lat would put it in the Indian Ocean, off Africa's latitude).
        if original.is_valid:
            inside = original.representative_point()
            assert drawn.buffer(tolerance or 1e-6).contains(inside), feature["id"]
        # Simplified for display, not moved: no edge drawn much further than the tolerance
        # from the real one (Douglas-Peucker bends it a little past it; plus the grid).
        if original.is_valid:
            moved = drawn.hausdorff_distance(original)
            assert moved <= 1.5 * (tolerance or 0) + 2e-6, feature["id"]

def test_simplifying_makes_the_desa_layer_smaller():
    full = json.dumps(geojson.area_collection(_rows(DESA)))
    simple = json.dumps(geojson.area_collection(_rows(DESA), tolerance=0.002))
    assert len(simple) < 0.8 * len(full)


def test_a_posko_placed_inside_a_real_desa_is_drawn_inside_it():
    kahyapu = next(f for f in DESA if f["properties"]["code"] == "17.03.01.2005")
    polygon = shape(kahyapu["geometry"])
    inside = polygon.representative_point()
    feature, = geojson.posko_collection([_posko(lon=inside.x, lat=inside.y)])["features"]
    lon, lat = feature["geometry"]["coordinates"]
    assert polygon.buffer(1e-6).contains(Point(lon, lat))
    assert not polygon.contains(Point(lat, lon))
    assert INDONESIA.contains(Point(lon, lat))
