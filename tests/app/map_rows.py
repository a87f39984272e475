"""Hand-written rows of maps/rows.py for the map page tests: the pages draw whatever the
queries give them, so these stand in for the database (app/maps/data.py is replaced)."""

from __future__ import annotations

import pytest
from shapely.geometry import box

from app.maps import data

DESA = {"code": "17.03.01.2001", "name": "Kahyapu", "kind": "desa", "parent_name": "Enggano",
        "geometry": box(102.0, -3.5, 102.1, -3.4), "figures": {"displaced": 340, "dead": 1}}
KECAMATAN = {"code": "17.03.01", "name": "Enggano", "kind": "kecamatan",
             "parent_name": "Bengkulu Utara", "geometry": box(101.9, -3.6, 102.2, -3.3),
             "figures": {"volunteers_available": 7, "volunteers_deployed": 4}}
POSKO = {"id": 1, "code": "PSK-01", "name": "Posko Balai Kahyapu", "kind": "tempat_pengungsian",
         "kind_label": "Tempat pengungsian", "lat": -3.45, "lon": 102.05,
         "desa_name": "Kahyapu", "is_open": True, "persons": 120, "groups": {"Balita": 9},
         "unmet_needs": ["Beras: kurang 120 kg"], "days_of_cover": 1.5, "volunteers": 4,
         "equipment": 2}
WAREHOUSE = {"id": 2, "code": "LS-01", "name": "Lumbung Arga Makmur", "kind_label": "Lumbung",
             "lat": -3.42, "lon": 102.18, "status": "low", "items_low": 2, "lots_expiring": 1,
             "lots_expired": 0}
OTHER_WAREHOUSE = {**WAREHOUSE, "id": 3, "code": "LS-02", "name": "Gudang Ketahun",
                   "lat": -3.3, "lon": 101.9, "status": "ok"}
TRANSFER = {"id": 5, "number": "MUT/2026/0005", "from_name": "Lumbung Arga Makmur",
            "to_name": "Gudang Ketahun", "from_lat": -3.42, "from_lon": 102.18,
            "to_lat": -3.3, "to_lon": 101.9, "sent_on": "2026-05-01", "lines": 3}
DEPLOYMENT = {"posko_id": 1, "posko_code": "PSK-01", "posko_name": "Posko Balai Kahyapu",
              "lat": -3.45, "lon": 102.05, "volunteers": 4, "equipment": 2,
              "by_skill": {"Dapur umum": 3}}


@pytest.fixture
def written_rows(monkeypatch):
    """Every map page draws these rows instead of the database's."""
    monkeypatch.setattr(data, "event_situation", lambda event_id: data.SituationRows(
        areas=[DESA], posko=[POSKO], warehouses=[WAREHOUSE]))
    monkeypatch.setattr(data, "warehouse_sites", lambda: data.WarehouseRows(
        warehouses=[WAREHOUSE, OTHER_WAREHOUSE], transfers=[TRANSFER]))
    monkeypatch.setattr(data, "roster_aggregates", lambda: data.RosterRows(
        areas=[KECAMATAN], deployments=[DEPLOYMENT]))
