"""The role matrix's SLRT household rows (issue 19 part 1): who gets what from each household
page and API route, and how the matrix calls them. Merged into `tests/app/role_matrix.py`;
the rules for a row and its answers are written there.

The routes name the world's household (``slrt_household``, at the Puskesos where the world's
Puskesos staff work) and its youngest member (``slrt_member``). Forms are posted empty (422:
the guard let them through) except the register status, whose body is valid, so that the
operation's own check (back or front office of that Puskesos) answers, not the schema.
"""

from __future__ import annotations

from logistics.calendar import local_today

TABLE = """
endpoint                                      method  anon adm coo kpr kpX pos pfr pbk pmg lea
referrals.households_index                    GET     401 ok  403 403 403 403 ok  ok  ok  ok
referrals.household                           GET     401 ok  403 403 403 403 ok  ok  ok  ok
referrals.household_audit                     GET     401 ok  403 403 403 403 403 403 ok  403
referrals.new_household                       GET     401 ok  403 403 403 403 ok  403 403 403
referrals.new_household                       POST    401 ok  403 403 403 403 ok  403 403 403
referrals.new_member                          GET     401 ok  403 403 403 403 ok  403 403 403
referrals.new_member                          POST    401 ok  403 403 403 403 ok  403 403 403
referrals.edit_member                         GET     401 ok  403 403 403 403 ok  403 403 403
referrals.edit_member                         POST    401 ok  403 403 403 403 ok  403 403 403
referrals.move_member                         GET     401 ok  403 403 403 403 ok  403 403 403
referrals.move_member                         POST    401 ok  403 403 403 403 ok  403 403 403
referrals.end_membership                      GET     401 ok  403 403 403 403 ok  403 403 403
referrals.end_membership                      POST    401 ok  403 403 403 403 ok  403 403 403
referrals.register_status                     GET     401 ok  403 403 403 403 ok  ok  403 403
referrals.register_status                     POST    401 ok  403 403 403 403 ok  ok  403 403
slrt_households_api.get_households            GET     401 ok  403 403 403 403 ok  ok  ok  ok
slrt_households_api.get_household             GET     401 ok  403 403 403 403 ok  ok  ok  ok
slrt_households_api.post_household            POST    401 ok  403 403 403 403 ok  403 403 403
slrt_households_api.patch_register_status     PATCH   401 ok  403 403 403 403 ok  ok  403 403
slrt_households_api.post_member               POST    401 ok  403 403 403 403 ok  403 403 403
slrt_households_api.post_move                 POST    401 ok  403 403 403 403 ok  403 403 403
"""

_HOUSEHOLD = {"household_id": "slrt_household"}
_MEMBER = {"household_id": "slrt_household", "person_id": "slrt_member"}
CALLS: dict = {
    "referrals.household GET": {"path": _HOUSEHOLD},
    "referrals.household_audit GET": {"path": _HOUSEHOLD},
    "referrals.new_member GET": {"path": _HOUSEHOLD},
    "referrals.new_member POST": {"path": _HOUSEHOLD},
    "referrals.register_status GET": {"path": _HOUSEHOLD},
    "referrals.register_status POST": {"path": _HOUSEHOLD},
    "slrt_households_api.get_household GET": {"path": _HOUSEHOLD},
    "slrt_households_api.post_member POST": {"path": _HOUSEHOLD},
    "slrt_households_api.patch_register_status PATCH": {
        "path": _HOUSEHOLD, "json": lambda ids: {"register": "dtks", "welfare_decile": 2,
                                                 "checked_on": local_today().isoformat()}},
    **{f"referrals.{name} {method}": {"path": _MEMBER}
       for name in ("edit_member", "move_member", "end_membership") for method in ("GET", "POST")},
    "slrt_households_api.post_move POST": {"path": _MEMBER},
}
