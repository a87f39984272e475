"""Boundaries simplified for display (valid, smaller, cached) and the choropleth classes."""

from __future__ import annotations

import json

import shapely
from shapely.geometry import shape

from maps import geometry
from maps.classes import breaks_for, class_of, class_ranges, nice_ceiling
from maps.legend import shade_of
from tests.maps.rows import BOUNDARIES, desa_areas


def test_every_real_desa_boundary_stays_valid_and_loses_most_of_its_vertices():
    before = after = 0
    for row in desa_areas():
        drawn = geometry.display_geometry(row["code"], row["geometry"])
        assert drawn.is_valid, row["code"]
        assert not drawn.is_empty, row["code"]
        # ~30 m of simplification: the outline moves by about that much, never by much more.
        assert drawn.hausdorff_distance(row["geometry"]) <= 2 * geometry.TOLERANCE
        before += shapely.get_num_coordinates(row["geometry"])
        after += shapely.get_num_coordinates(drawn)
    assert after < 0.6 * before


def test_the_geojson_drawn_is_lon_lat_with_five_decimals_and_valid():
    row = desa_areas(limit=1)[0]
    drawn = geometry.display_geojson(row["code"], row["geometry"])
    ring = drawn["coordinates"][0] if drawn["type"] == "Polygon" else drawn["coordinates"][0][0]
    lon, lat = ring[0]
    assert 101 < lon < 103
    assert -6 < lat < -2
    assert all(len(repr(value).split(".")[-1]) <= 5 for point in ring for value in point)
    assert shape(drawn).is_valid


def test_a_boundary_is_simplified_once_and_again_only_when_it_changes():
    geometry.clear_cache()
    row = desa_areas(limit=1)[0]
    first = geometry.display_geojson(row["code"], row["geometry"])
    again = geometry.display_geojson(row["code"], shape(json.loads(json.dumps(
        row["geometry"].__geo_interface__))))  # an equal geometry read afresh
    assert again is first
    assert geometry.cache_info().hits == 1
    assert geometry.cache_info().misses == 1
    moved = shapely.affinity.translate(row["geometry"], xoff=0.01)
    assert geometry.display_geojson(row["code"], moved) != first
    assert geometry.cache_info().misses == 2


def test_the_kecamatan_file_simplifies_too():
    features = json.loads((BOUNDARIES / "17.03-kecamatan.geojson").read_text())["features"]
    for feature in features:
        code = feature["properties"]["code"]
        assert geometry.display_geometry(code, shape(feature["geometry"])).is_valid


def test_breaks_are_round_numbers_and_every_value_has_a_class():
    values = [0, 3, 7, 40, 41, 120, 480, 900, 2_345]
    bounds = breaks_for(values)
    assert bounds == sorted(set(bounds))
    assert all(nice_ceiling(b) == b for b in bounds)
    assert len(bounds) <= 5
    assert bounds[-1] >= max(values)
    assert class_of(0, bounds) == 0
    assert class_of(None, bounds) is None
    assert {class_of(v, bounds) for v in values if v} == set(range(1, len(bounds) + 1))
    ranges = class_ranges(bounds)
    assert ranges[0][0] == 1
    assert all(low <= high for low, high in ranges)
    assert all(ranges[n][1] + 1 == ranges[n + 1][0] for n in range(len(ranges) - 1))


def test_few_classes_still_span_the_palette_and_no_values_give_no_classes():
    assert breaks_for([0, 0]) == []
    assert breaks_for([5, 5, 5]) == [5]
    assert [shade_of(k, 2) for k in (0, 1, 2)] == [0, 3, 5]
    assert [nice_ceiling(v) for v in (1, 3, 7, 11, 240, 251, 999)] == [1, 5, 10, 20, 250, 500,
                                                                        1000]


def test_the_compact_form_the_script_reads_decodes_to_the_drawn_geojson():
    for row in desa_areas(limit=20):
        drawn = geometry.display_geojson(row["code"], row["geometry"])
        assert geometry.decode(geometry.display_encoded(row["code"], row["geometry"])) == drawn
