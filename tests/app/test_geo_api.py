"""The GeoJSON API: media type, QGIS-loadable collections, 404s, the real boundaries, and a
privacy walk over every layer with households, NIKs and volunteers' homes in the world."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from shapely import make_valid
from shapely.geometry import Point, box, shape

from app.extensions import db
from logistics.regions.models import Region
from tests.geo.factories import SECRETS, geo  # noqa: F401

BOUNDARIES = Path(__file__).parents[2] / "seeds" / "data" / "boundaries"
INDONESIA = box(94.0, -11.5, 141.5, 6.5)
GEO_JSON = "application/geo+json"


def _layers(ids) -> list[str]:
    event = ids["event"]
    return [f"/api/v1/geo/events/{event}/posko", f"/api/v1/geo/events/{event}/desa",
            f"/api/v1/geo/events/{event}/deployments", "/api/v1/geo/deployments",
            "/api/v1/geo/warehouses", "/api/v1/geo/transfers",
            "/api/v1/geo/kecamatan/volunteers"]


@pytest.fixture
def admin_headers(make_user, auth):
    return auth.headers(make_user("admin"))


def _check_collection(body: dict) -> None:
    assert body["type"] == "FeatureCollection"
    assert set(body) <= {"type", "name", "features"}
    for feature in body["features"]:
        assert feature["type"] == "Feature"
        if feature["geometry"] is None:
            continue
        drawn = shape(feature["geometry"])
        assert drawn.is_valid
        assert INDONESIA.contains(drawn)


def test_every_layer_is_a_plain_feature_collection_served_as_geo_json(
        client, geo, admin_headers):  # noqa: F811
    ids = geo.build()
    for url in _layers(ids):
        response = client.get(url, headers=admin_headers)
        assert response.status_code == 200, url
        assert response.mimetype == GEO_JSON, url
        body = json.loads(response.data)
        _check_collection(body)
        assert body["features"], url


def test_the_layers_carry_the_figures_a_map_shows(client, geo, admin_headers):  # noqa: F811
    ids = geo.build()
    posko = json.loads(client.get(f"/api/v1/geo/events/{ids['event']}/posko",
                                  headers=admin_headers).data)
    by_id = {f["id"]: f for f in posko["features"]}
    main = by_id[ids["posko"]]
    assert main["geometry"]["coordinates"] == [102.05, -3.45]
    assert (main["properties"]["persons"], main["properties"]["volunteers"]) == (120, 1)
    assert main["properties"]["kind_label"].startswith("Tempat pengungsian")
    transfers = json.loads(client.get("/api/v1/geo/transfers", headers=admin_headers).data)
    assert transfers["features"][0]["geometry"]["type"] == "LineString"
    desa = json.loads(client.get(f"/api/v1/geo/events/{ids['event']}/desa",
                                 headers=admin_headers).data)
    assert {f["properties"]["displaced"] for f in desa["features"]} == {120, 45}


def test_an_unknown_event_is_a_json_404(client, admin_headers):
    for layer in ("posko", "desa", "deployments"):
        response = client.get(f"/api/v1/geo/events/999999/{layer}", headers=admin_headers)
        assert response.status_code == 404
        assert response.mimetype == "application/json"
        assert response.get_json()["status"] == 404


def test_the_openapi_documents_each_layer_as_geo_json(client):
    spec = client.get("/api/openapi.json").get_json()
    geo_paths = {path: item for path, item in spec["paths"].items()
                 if path.startswith("/api/v1/geo/")}
    assert len(geo_paths) == 7
    for path, item in geo_paths.items():
        content = item["get"]["responses"]["200"]["content"]
        assert list(content) == [GEO_JSON], path
        assert content[GEO_JSON]["schema"]["properties"]["type"]["enum"] == ["FeatureCollection"]


_SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")


@pytest.mark.parametrize("role", ["admin", "coordinator", "leadership", "posko_staff",
                                  "warehouse_keeper"])
def test_no_layer_holds_a_household_a_nik_a_volunteer_or_a_home(
        client, geo, make_user, auth, role):  # noqa: F811
    ids = geo.build()
    headers = auth.headers(make_user(role))
    for url in _layers(ids):
        response = client.get(url, headers=headers)
        if response.status_code == 403:
            continue
        text = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert not _SIXTEEN_DIGITS.search(text), url
        for secret in SECRETS:
            assert secret not in text, (url, secret)
        for forbidden in ("head_name", "kk_number", "nik", "home_lat", "home_lon", "phone",
                          "address", "Relawan", "contact"):
            assert forbidden not in text, (url, forbidden)


def _real_kecamatan():
    kecamatan = json.loads((BOUNDARIES / "17.03-kecamatan.geojson").read_text())["features"]
    desa = json.loads((BOUNDARIES / "17.03-desa-kelurahan.geojson").read_text())["features"]
    code = "17.03.06"  # Kerkap: 18 desa
    chosen = next(f for f in kecamatan if f["properties"]["code"] == code)
    return chosen, [f for f in desa if f["properties"]["code"].startswith(code + ".")]


def test_posko_on_the_real_boundaries_fall_inside_their_desa_in_lon_lat_order(
        app, client, emergency, admin_headers):
    emergency.ensure_regions()
    kecamatan, desa = _real_kecamatan()
    shapes = {f["properties"]["code"]: make_valid(shape(f["geometry"])) for f in desa}
    with app.app_context():
        db.session.add(Region(code=kecamatan["properties"]["code"], parent_code="17.03",
                              level=3, kind="kecamatan", name=kecamatan["properties"]["name"],
                              source="test", boundary=make_valid(shape(kecamatan["geometry"]))))
        for feature in desa:
            code = feature["properties"]["code"]
            db.session.add(Region(code=code, parent_code=kecamatan["properties"]["code"],
                                  level=4, kind="desa", name=feature["properties"]["name"],
                                  source="test", boundary=shapes[code],
                                  centroid=shapes[code].representative_point()))
        db.session.commit()
    event = emergency.event(region_codes=[kecamatan["properties"]["code"]])
    placed = {}
    for n, (code, polygon) in enumerate(shapes.items()):
        inside = polygon.representative_point()
        placed[emergency.posko(event, name=f"Posko {n}", desa_code=code,
                               point=None if n % 2 else (inside.x, inside.y))] = code
    posko = json.loads(client.get(f"/api/v1/geo/events/{event}/posko",
                                  headers=admin_headers).data)
    areas = json.loads(client.get(f"/api/v1/geo/events/{event}/desa",
                                  headers=admin_headers).data)
    _check_collection(posko)
    _check_collection(areas)
    drawn = {f["id"]: shape(f["geometry"]) for f in areas["features"]}
    assert set(drawn) == set(shapes)
    assert len(posko["features"]) == len(shapes)
    for feature in posko["features"]:
        code = placed[feature["id"]]
        lon, lat = feature["geometry"]["coordinates"]
        assert shapes[code].buffer(1e-6).contains(Point(lon, lat)), code
        assert drawn[code].buffer(0.0003).contains(Point(lon, lat)), code
        assert not shapes[code].contains(Point(lat, lon))
