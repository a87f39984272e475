"""Hand-written map rows (maps/rows.py) for the builder tests: no database, no app."""

from __future__ import annotations

import json
from pathlib import Path

from shapely.geometry import box, shape

from maps.base import TileSource

BOUNDARIES = Path(__file__).resolve().parents[2] / "seeds/data/boundaries"
OSM = TileSource.openstreetmap()
NO_TILES = TileSource.none()
LINK_PAGES = {"posko": "/emergency/posko/", "warehouse": "/stock/warehouses/",
              "transfer": "/stock/transfers/", "desa": "/regions/", "kecamatan": "/regions/"}


def links(kind: str, ident) -> str | None:
    return f"{LINK_PAGES[kind]}{ident}" if kind in LINK_PAGES else None


def local_url(package: str, filename: str) -> str:
    return f"/static/vendor/{package}/{filename}"


def area(code="17.03.01.2001", name="Banjar Sari", displaced=340, geometry=None, **figures):
    return {"code": code, "name": name, "kind": "desa", "parent_name": "Enggano",
            "geometry": geometry if geometry is not None else box(102.0, -5.4, 102.1, -5.3),
            "figures": {"displaced": displaced, **figures}}


def posko(ident=1, name="Posko Masjid Al-Ikhlas", kind="tempat_pengungsian", lat=-5.35,
          lon=102.05, **changes):
    row = {"id": ident, "code": f"PSK-{ident}", "name": name, "kind": kind,
           "kind_label": "Tempat pengungsian", "lat": lat, "lon": lon, "desa_name": "Banjar Sari",
           "is_open": True, "persons": 212, "groups": {"Balita": 14, "Lansia": 9},
           "unmet_needs": ["Beras: kurang 120 kg"], "days_of_cover": 1.5, "volunteers": 6,
           "equipment": 2}
    row.update(changes)
    return row


def warehouse(ident=1, name="Gudang BPBD", status="low", **changes):
    row = {"id": ident, "code": f"GD-{ident}", "name": name, "kind_label": "Gudang pusat",
           "lat": -3.44, "lon": 102.2, "status": status, "items_low": 2, "lots_expiring": 1,
           "lots_expired": 0}
    row.update(changes)
    return row


def transfer(ident=1, **changes):
    row = {"id": ident, "number": "MUT-2026-0001", "from_name": "Gudang BPBD",
           "to_name": "Lumbung Lais", "from_lat": -3.44, "from_lon": 102.2, "to_lat": -3.55,
           "to_lon": 102.05, "sent_on": "2026-12-01", "lines": 3}
    row.update(changes)
    return row


def deployment(posko_id=1, **changes):
    row = {"posko_id": posko_id, "posko_code": f"PSK-{posko_id}", "posko_name": "Posko Lais",
           "lat": -3.5, "lon": 102.0, "volunteers": 9, "equipment": 1,
           "by_skill": {"Dapur umum": 4, "Logistik": 5}}
    row.update(changes)
    return row


def desa_areas(limit=None):
    """The real desa boundaries of Bengkulu Utara, as area rows with made-up figures."""
    features = json.loads((BOUNDARIES / "17.03-desa-kelurahan.geojson").read_text())["features"]
    return [area(code=f["properties"]["code"], name=f["properties"]["name"],
                 displaced=(n * 37) % 900, geometry=shape(f["geometry"]))
            for n, f in enumerate(features[:limit])]


def kecamatan_areas():
    features = json.loads((BOUNDARIES / "17.03-kecamatan.geojson").read_text())["features"]
    return [{"code": f["properties"]["code"], "name": f["properties"]["name"],
             "kind": "kecamatan", "parent_name": "Bengkulu Utara",
             "geometry": shape(f["geometry"]), "figures": {"volunteers_available": n * 3}}
            for n, f in enumerate(features)]


def payload(script: str, builder: str) -> tuple:
    """The (data, ctx) a layer passes to `LumbungMaps.<builder>(data, ctx, ...)`, as JSON."""
    decoder = json.JSONDecoder()
    start = script.index(f"LumbungMaps.{builder}(") + len(f"LumbungMaps.{builder}(")
    data, end = decoder.raw_decode(script, start)
    ctx, _end = decoder.raw_decode(script, end + 1)
    return data, ctx
