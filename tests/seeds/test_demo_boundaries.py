"""The demo shows Bengkulu Utara's real boundaries, and its warehouses stand inside them."""

from sqlalchemy import select

from logistics.regions.models import Region
from logistics.stock.models import Warehouse
from seeds import boundaries, demo, synthetic_geometry
from tests.accounts.factories import TEST_PASSWORD


def _regions_under(session, code):
    return list(session.scalars(select(Region).where(Region.code.startswith(code + "."))))


def test_demo_gives_every_kecamatan_and_desa_its_real_boundary(session):
    result = demo.load_demo(session, region_code="17.03", password=TEST_PASSWORD)
    session.commit()
    below = _regions_under(session, "17.03")
    kecamatan = [r for r in below if r.level == 3]
    desa = [r for r in below if r.level == 4]
    assert (len(kecamatan), len(desa)) == (19, 220)
    for region in [session.get(Region, "17.03"), *kecamatan, *desa]:
        assert region.boundary is not None, region.code
        assert region.boundary.geom_type in ("Polygon", "MultiPolygon"), region.code
        assert region.boundary.is_valid, region.code
        assert region.boundary.contains(region.centroid), region.code
        assert not region.is_synthetic, region.code
        assert region.geometry_source == boundaries.SOURCE, region.code
    assert "wilayah_boundaries" in boundaries.SOURCE
    assert "MIT" in boundaries.SOURCE
    assert result.geometry_source == boundaries.SOURCE
    assert list(result.boundaries.repaired) == ["17.03.25.2005"]
    assert len(result.boundaries.attached) == 1 + 19 + 220


def test_every_demo_warehouse_stands_inside_its_real_desa(session):
    demo.load_demo(session, region_code="17.03", password=TEST_PASSWORD)
    session.commit()
    warehouses = list(session.scalars(select(Warehouse).order_by(Warehouse.code)))
    assert len(warehouses) == 6
    for warehouse in warehouses:
        desa = session.get(Region, warehouse.desa_code)
        assert desa is not None, warehouse.code
        assert desa.parent_code == warehouse.region_code, warehouse.code
        assert desa.boundary.contains(warehouse.location), warehouse.code
        assert desa.name in warehouse.address, warehouse.code
    central = next(w for w in warehouses if w.code == "GDG-BU")
    assert "Arga Makmur" in session.get(Region, central.region_code).name
    enggano = next(w for w in warehouses if w.code == "LS-ENGGANO")
    kecamatan_enggano = session.get(Region, "17.03.01").boundary
    island = max(getattr(kecamatan_enggano, "geoms", [kecamatan_enggano]), key=lambda p: p.area)
    mainland = session.get(Region, "17.03.07").boundary
    assert island.contains(enggano.location)  # Pulau Enggano itself, not an islet off it
    assert mainland.distance(enggano.location) > 0.8  # about 100 km out to sea
    assert enggano.location.y < -5.0


def test_a_kabupaten_without_shipped_boundaries_falls_back_to_flagged_synthetic_geometry(
        session, monkeypatch, tmp_path):
    monkeypatch.setattr(boundaries, "DATA_DIR", tmp_path)
    result = demo.load_demo(session, region_code="17.03", password=TEST_PASSWORD)
    session.commit()
    assert result.boundaries is None
    assert result.geometry_source == synthetic_geometry.SOURCE
    below = _regions_under(session, "17.03")
    assert len(below) == 19 + 220
    assert all(r.is_synthetic and r.geometry_source == synthetic_geometry.SOURCE for r in below)
    for warehouse in session.scalars(select(Warehouse)):
        kecamatan = session.get(Region, warehouse.region_code)
        assert kecamatan.boundary.contains(warehouse.location), warehouse.code


def test_shipped_boundaries_carry_their_licence():
    names = {path.name for path in boundaries.DATA_DIR.iterdir()}
    assert {"LICENSE", "README.md", "17.03-kabupaten.geojson", "17.03-kecamatan.geojson",
            "17.03-desa-kelurahan.geojson"} <= names
    licence = (boundaries.DATA_DIR / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in licence
    assert "Cahya DSN" in licence
    assert [p.name for p in boundaries.files_for("17.03")] == [
        "17.03-desa-kelurahan.geojson", "17.03-kabupaten.geojson", "17.03-kecamatan.geojson"]
    assert boundaries.files_for("17.71") == []
