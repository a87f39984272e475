"""Command-line tasks: region import, GeoJSON boundaries, users and tokens, demo data."""

import json

from shapely.geometry import box, mapping
from sqlalchemy import func, select

from logistics.accounts.models import ApiToken, User
from logistics.regions.models import Region


def _count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_regions_import_reports_counts_and_is_idempotent(runner, session):
    first = runner.invoke(args=["regions", "import", "17.03"])
    assert first.exit_code == 0, first.output
    assert "19 kecamatan" in first.output
    assert "215 desa" in first.output
    assert "5 kelurahan" in first.output
    second = runner.invoke(args=["regions", "import", "17.03"])
    assert "Created 0, updated 0, unchanged 241" in second.output
    assert _count(session, Region) == 241


def test_unknown_region_code_fails_clearly_and_writes_nothing(runner, session):
    result = runner.invoke(args=["regions", "import", "99.99"])
    assert result.exit_code == 1
    assert "99.99" in result.output
    assert _count(session, Region) == 0


def test_import_geojson_attaches_real_boundaries(runner, session, tmp_path):
    runner.invoke(args=["regions", "import", "17.03"])
    path = tmp_path / "padang_jaya.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"KDCPUM": "1703090000", "kode": "17.03.09"},
         "geometry": mapping(box(101.9, -3.7, 102.2, -3.4))}]}))
    result = runner.invoke(args=["regions", "import-geojson", str(path), "--code-property",
                                 "kode"])
    assert result.exit_code == 0, result.output
    region = session.get(Region, "17.03.09")
    assert region.boundary is not None
    assert not region.is_synthetic
    assert region.geometry_source == "padang_jaya.geojson"


def test_import_geojson_repairs_a_self_intersecting_ring_and_lists_it(runner, session,
                                                                     tmp_path):
    runner.invoke(args=["regions", "import", "17.03"])
    bowtie = {"type": "Polygon", "coordinates": [[[102.0, -3.5], [102.1, -3.4], [102.1, -3.5],
                                                  [102.0, -3.4], [102.0, -3.5]]]}
    path = tmp_path / "batas.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"kode": "17.03.09"},
         "geometry": mapping(box(101.9, -3.7, 102.2, -3.4))},
        {"type": "Feature", "properties": {"kode": "17.03.10"}, "geometry": bowtie}]}))
    result = runner.invoke(args=["regions", "import-geojson", str(path), "--code-property",
                                 "kode"])
    assert result.exit_code == 0, result.output
    assert "Attached boundaries to 2 regions" in result.output
    assert "Repaired invalid geometry of 1 region" in result.output
    assert "17.03.10" in result.output
    assert "17.03.09" not in result.output
    assert session.get(Region, "17.03.10").boundary.is_valid


def test_import_geojson_with_an_unrepairable_feature_writes_nothing(runner, session, tmp_path):
    runner.invoke(args=["regions", "import", "17.03"])
    flat = {"type": "Polygon", "coordinates": [[[102.0, -3.5], [102.1, -3.5], [102.2, -3.5],
                                                [102.0, -3.5]]]}
    path = tmp_path / "batas.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"kode": "17.03.09"},
         "geometry": mapping(box(101.9, -3.7, 102.2, -3.4))},
        {"type": "Feature", "properties": {"kode": "17.03.10"}, "geometry": flat},
        "not a feature"]}))
    result = runner.invoke(args=["regions", "import-geojson", str(path), "--code-property",
                                 "kode"])
    assert result.exit_code == 1
    assert "17.03.10" in result.output
    assert "feature 3" in result.output
    assert session.scalar(select(func.count()).select_from(Region)
                          .where(Region.boundary.is_not(None))) == 0


def test_import_geojson_rejects_unreadable_files(runner, tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_text("{not json")
    result = runner.invoke(args=["regions", "import-geojson", str(path), "--code-property", "k"])
    assert result.exit_code == 1
    assert "not readable JSON" in result.output


def test_users_create_and_token(runner, session):
    created = runner.invoke(args=["users", "create", "siti", "--role", "warehouse_keeper",
                                  "--full-name", "Siti R"],
                            input="a-long-enough-password\na-long-enough-password\n")
    assert created.exit_code == 0, created.output
    token = runner.invoke(args=["users", "token", "siti", "--days", "7"])
    assert token.exit_code == 0
    secret = token.output.strip().splitlines()[-1]
    assert secret.startswith("lsk_")
    stored = session.scalars(select(ApiToken)).one()
    assert stored.token_hash != secret


def test_users_create_refuses_a_duplicate(runner, make_user, session):
    make_user("admin", username="ani")
    result = runner.invoke(args=["users", "create", "ani", "--role", "admin", "--full-name",
                                 "Ani", "--password", "a-long-enough-password"])
    assert result.exit_code == 1
    assert "already in use" in result.output
    assert _count(session, User) == 1


def test_seed_demo_loads_once_and_prints_the_logins(runner, session, app, tmp_path):
    app.instance_path = str(tmp_path)
    first = runner.invoke(args=["seed-demo", "--if-empty"])
    assert first.exit_code == 0, first.output
    password = (tmp_path / "demo-password.txt").read_text().strip()
    assert password in first.output
    assert _count(session, User) == 8
    assert "Boundaries: 240 regions from wilayah_boundaries" in first.output
    assert "17.03.25.2005" in first.output  # the village ring repaired on the way in
    real = session.scalar(select(func.count()).select_from(Region).where(
        Region.is_synthetic.is_(False), Region.boundary.is_not(None)))
    assert real == 1 + 19 + 220
    session.rollback()
    second = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "Demo loaded" not in second.output
    assert password in second.output
    assert _count(session, User) == 8
