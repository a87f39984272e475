"""The role matrix's GeoJSON API rows (issue 20). Merged into `tests/app/role_matrix.py`; the
rules for a row and its answers are written there.

Event layers and deployment counts follow VIEW_EMERGENCY, warehouses and transfers
VIEW_STOCK, volunteers per kecamatan VIEW_ROSTER.
"""

from __future__ import annotations

TABLE = """
endpoint                          method  anon adm coo kpr kpX pos pfr pbk pmg lea
geo_api.get_event_posko           GET     401  ok  ok  ok  ok  ok  403 403 403 ok
geo_api.get_event_desa            GET     401  ok  ok  ok  ok  ok  403 403 403 ok
geo_api.get_event_deployments     GET     401  ok  ok  ok  ok  ok  403 403 403 ok
geo_api.get_deployments           GET     401  ok  ok  ok  ok  ok  403 403 403 ok
geo_api.get_warehouses            GET     401  ok  ok  ok  ok  ok  403 403 403 ok
geo_api.get_transfers             GET     401  ok  ok  ok  ok  ok  403 403 403 ok
geo_api.get_kecamatan_volunteers  GET     401  ok  ok  403 403 403 403 403 403 ok
"""

_EVENT = {"path": {"event_id": "event"}}
CALLS: dict = {f"geo_api.{name} GET": _EVENT
               for name in ("get_event_posko", "get_event_desa", "get_event_deployments")}
