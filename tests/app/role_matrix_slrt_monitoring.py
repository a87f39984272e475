"""The role matrix's SLRT queue, monitoring and export rows (issue 19, part 7). Merged into
`tests/app/role_matrix.py`; the rules for a row and its answers are written there.

Everyone who may see cases gets them (Puskesos staff for their own Puskesos, admin and
leadership for all); nobody else, and the routes name no object, so no CALLS are needed.
"""

from __future__ import annotations

TABLE = """
endpoint                                      method  anon adm coo kpr kpX pos pfr pbk pmg lea
referrals.queue                               GET     401 ok  403 403 403 403 ok  ok  ok  ok
referrals.monitoring_page                     GET     401 ok  403 403 403 403 ok  ok  ok  ok
referrals.export_cases                        GET     401 ok  403 403 403 403 ok  ok  ok  ok
referrals.export_households                   GET     401 ok  403 403 403 403 ok  ok  ok  ok
slrt_monitoring_api.get_monitoring            GET     401 ok  403 403 403 403 ok  ok  ok  ok
slrt_monitoring_api.get_queue                 GET     401 ok  403 403 403 403 ok  ok  ok  ok
"""

CALLS: dict = {}
