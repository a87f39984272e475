"""What each role is for and what it can do next: the content of the per-role home page.

Actions point only at pages that exist; each feature adds its own when it lands.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from logistics.accounts.roles import Permission, Role


@dataclass(frozen=True)
class Action:
    label: object
    endpoint: str
    icon: str
    permission: Permission | None = None


DUTIES = {
    Role.ADMIN: _l("Manage user accounts and roles, region data and system settings."),
    Role.COORDINATOR: _l("See which Tagana and Sahabat Tagana are trained and free, "
                         "and dispatch teams to disaster posts."),
    Role.WAREHOUSE_KEEPER: _l("Record receipts, releases, transfers and stock counts "
                              "of your lumbung sosial, and sign handover records (BAST)."),
    Role.POSKO_STAFF: _l("Follow the situation on the map: posts, warehouses, volunteers, "
                         "affected villages and unmet needs."),
    Role.PUSKESOS_FRONT: _l("Register households and their complaints or needs."),
    Role.PUSKESOS_BACK: _l("Verify registered households, check the social register and "
                           "recommend programmes."),
    Role.PUSKESOS_MANAGER: _l("Decide which referrals go out and follow them until the case "
                              "is closed."),
    Role.LEADERSHIP: _l("Read situation reports and see what stock is left. "
                        "This role changes nothing."),
}

ACTIONS = [
    Action(_l("Warehouses and stock"), "stock.index", "box-seam", Permission.VIEW_STOCK),
    Action(_l("Stock alerts"), "stock.alert_list", "bell", Permission.VIEW_STOCK),
    Action(_l("Stock on hand, all warehouses"), "stock.on_hand", "table", Permission.VIEW_STOCK),
    Action(_l("Manage users"), "users.index", "people", Permission.MANAGE_USERS),
    Action(_l("Browse regions"), "regions.index", "geo-alt", Permission.VIEW_REGIONS),
    Action(_l("My API tokens"), "auth.tokens", "key"),
    Action(_l("Change my password"), "auth.change_password", "shield-lock"),
    Action(_l("API documentation"), "api-docs.openapi_swagger_ui", "braces"),
]


def actions_for(user) -> list[Action]:
    return [a for a in ACTIONS if a.permission is None or user.can(a.permission)]
