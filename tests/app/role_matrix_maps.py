"""The role matrix's map page rows (issue 20, part C). Merged into `tests/app/role_matrix.py`;
the rules for a row and its answers are written there.

Each map follows the permission of what it shows: the event map and its printed sheet the
emergency (VIEW_EMERGENCY), the warehouse map the stock (VIEW_STOCK), the roster map the
roster (VIEW_ROSTER); the maps' index and offline worker are for anyone who may see a map.
"""

from __future__ import annotations

TABLE = """
endpoint                     method  anon adm coo kpr kpX pos pfr pbk pmg lea
maps.index                   GET     401  ok  ok  ok  ok  ok  403 403 403 ok
maps.event_map               GET     401  ok  ok  ok  ok  ok  403 403 403 ok
maps.event_map_print         GET     401  ok  ok  ok  ok  ok  403 403 403 ok
maps.warehouse_map           GET     401  ok  ok  ok  ok  ok  403 403 403 ok
maps.roster_map              GET     401  ok  ok  403 403 403 403 403 403 ok
maps.offline_worker          GET     401  ok  ok  ok  ok  ok  403 403 403 ok
"""

_EVENT = {"path": {"event_id": "event"}}
CALLS = {"maps.event_map GET": _EVENT, "maps.event_map_print GET": _EVENT}
