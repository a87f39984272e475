"""What each role is for and what it can do next: the content of the per-role home page.

Duties and cards name only what a role can use today; each feature adds its own when it lands
(roster, posko, households...), so nobody is sent looking for a page that is not there.
Icons are written with their `bi-` prefix: the icon stylesheet is built from the names it
finds in the code and templates (app/assets.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from logistics.accounts.roles import Permission, Role

# Who gets the API cards (tokens, the API's documentation). Admins and coordinators connect
# other systems: a spreadsheet or dashboard at the Dinas or BPBD pulling stock figures, a script
# loading the catalogue. Keepers do not: they post on the phone pages, and a long-lived bearer
# token on a shared posko phone is a secret easily lost. The pages stay reachable for anyone
# sent there (the API checks the same permissions as the pages); only the cards are hidden.
API_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR})


@dataclass(frozen=True)
class Action:
    label: object
    endpoint: str
    icon: str
    permission: Permission | None = None
    roles: frozenset[Role] | None = None  # shown only to these roles (None: any who may)


DUTIES = {
    Role.ADMIN: _l("Manage user accounts and roles, open warehouses, keep the item catalogue "
                   "and see the stock of every warehouse."),
    Role.COORDINATOR: _l("Open disaster events, record their emergency status (SK) and open "
                         "posko; open warehouses, keep the item catalogue, and record and "
                         "follow the stock of every warehouse."),
    Role.WAREHOUSE_KEEPER: _l("Record receipts, releases, transfers and stock counts "
                              "of your lumbung sosial, and sign handover records (BAST)."),
    Role.POSKO_STAFF: _l("Record the evacuee census of your posko, follow the events and "
                         "their posko, see what each warehouse holds and which items run low "
                         "or expire soon, and look up kecamatan and desa."),
    Role.PUSKESOS_FRONT: _l("See the SLRT queue of your Puskesos: the households waiting in "
                            "registration (pendaftaran), oldest first, with the overdue ones "
                            "marked, and follow its figures on the monitoring page."),
    Role.PUSKESOS_BACK: _l("See the SLRT queue of your Puskesos: cases in handling "
                           "(penanganan) and referrals sent that await an answer, oldest first "
                           "with the overdue ones marked; download the case and household "
                           "lists."),
    Role.PUSKESOS_MANAGER: _l("See the SLRT queue of your Puskesos: cases awaiting your decision "
                              "(penetapan) and referred cases to follow up, with the overdue "
                              "ones marked; follow the monitoring figures and download the "
                              "lists."),
    Role.LEADERSHIP: _l("See what stock is left in every warehouse and what runs low or "
                        "expires soon, and follow the SLRT figures of every Puskesos. This "
                        "role changes nothing."),
}

ACTIONS = [
    Action(_l("Warehouses and stock"), "stock.index", "bi-box-seam", Permission.VIEW_STOCK),
    Action(_l("Stock alerts"), "stock.alert_list", "bi-bell", Permission.VIEW_STOCK),
    Action(_l("Stock on hand, all warehouses"), "stock.on_hand", "bi-table",
           Permission.VIEW_STOCK),
    Action(_l("Events and posko"), "emergency.events_list", "bi-exclamation-triangle",
           Permission.VIEW_EMERGENCY),
    Action(_l("Requests from posko"), "emergency.request_queue", "bi-clipboard-check",
           Permission.VIEW_EMERGENCY),
    Action(_l("Maps"), "maps.index", "bi-map", Permission.VIEW_EMERGENCY),
    Action(_l("Tagana roster"), "roster.volunteers", "bi-person-badge", Permission.VIEW_ROSTER),
    Action(_l("Dispatch boards"), "roster.boards", "bi-people", Permission.VIEW_ROSTER),
    Action(_l("Certificates expiring"), "roster.certificates", "bi-award",
           Permission.VIEW_ROSTER),
    Action(_l("SLRT queue"), "referrals.queue", "bi-list-check", Permission.VIEW_CASES),
    Action(_l("SLRT monitoring"), "referrals.monitoring_page", "bi-bar-chart",
           Permission.VIEW_CASES),
    Action(_l("Manage users"), "users.index", "bi-people", Permission.MANAGE_USERS),
    Action(_l("Browse regions"), "regions.index", "bi-geo-alt", Permission.VIEW_REGIONS),
    Action(_l("Change my password"), "auth.change_password", "bi-shield-lock"),
    Action(_l("My API tokens"), "auth.tokens", "bi-key", roles=API_ROLES),
    Action(_l("API documentation"), "api-docs.openapi_swagger_ui", "bi-braces", roles=API_ROLES),
]


def actions_for(user) -> list[Action]:
    return [a for a in ACTIONS
            if (a.permission is None or user.can(a.permission))
            and (a.roles is None or user.role in a.roles)]
