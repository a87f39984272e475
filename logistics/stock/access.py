"""Who may post stock where: the POST_STOCK grant, scoped to assigned warehouses for keepers.

The scope itself is declared in `logistics.accounts.roles.SCOPED`; this module only says which
warehouses a user keeps (and which there are, and how to change a keeper's), and turns a
refusal into the message a keeper understands. The user pages and the warehouse settings page
change a keeper's warehouses through the same `setup.assign_keeper` / `unassign_keeper`.
"""

from __future__ import annotations

from sqlalchemy import select

from logistics.accounts import scopes
from logistics.accounts.roles import Permission, Scope
from logistics.errors import PermissionDenied
from logistics.i18n import N_
from logistics.stock import setup
from logistics.stock.errors import InactiveWarehouse, NotYourWarehouse
from logistics.stock.models import Warehouse, warehouse_keepers


def kept_warehouse_ids(session, actor) -> set[int]:
    """The warehouses the actor is assigned to as keeper."""
    return set(session.scalars(
        select(warehouse_keepers.c.warehouse_id).where(warehouse_keepers.c.user_id == actor.id)
    ))


def warehouse_choices(session) -> list[tuple[int, str]]:
    """Every warehouse a keeper can be assigned to, by name (a closed one too: it may reopen)."""
    return [(warehouse.id, warehouse.name) for warehouse in
            session.scalars(select(Warehouse).order_by(Warehouse.name, Warehouse.id))]


def set_kept_warehouses(session, user, warehouse_ids: set[int]) -> None:
    """Make ``warehouse_ids`` the warehouses the user keeps, adding and removing the difference."""
    kept = kept_warehouse_ids(session, user)
    changed = sorted(kept ^ set(warehouse_ids))
    for warehouse in session.scalars(select(Warehouse).where(Warehouse.id.in_(changed))
                                     .order_by(Warehouse.id)):
        if warehouse.id in warehouse_ids:
            setup.assign_keeper(session, warehouse, user)
        else:
            setup.unassign_keeper(session, warehouse, user)


scopes.register(
    Scope.WAREHOUSE, kept_warehouse_ids,
    choices=warehouse_choices,
    assign=set_kept_warehouses,
    label=N_("Warehouses kept (warehouse keepers only)"),
    yours=N_("Your warehouses"),
    none_yet=N_("No warehouse is assigned to you yet, so you cannot record receipts, "
                "releases, transfers or counts anywhere."),
    assigned_by=Permission.MANAGE_STOCK_SETUP,
)


def may_post_in(session, actor, warehouse: Warehouse) -> bool:
    return scopes.is_within(session, actor, Permission.POST_STOCK, warehouse.id)


def ensure_may_post_in(session, actor, warehouse: Warehouse) -> None:
    """Refuse with 403 before anything is written; a closed warehouse takes no new postings."""
    if not actor.can(Permission.POST_STOCK):
        raise PermissionDenied()
    if not may_post_in(session, actor, warehouse):
        raise NotYourWarehouse(warehouse=warehouse.name)
    if not warehouse.is_active:
        raise InactiveWarehouse(warehouse=warehouse.name)


def postable_warehouse_ids(session, actor) -> set[int] | None:
    """The warehouses the actor may post in; None means all of them."""
    return scopes.allowed_ids(session, actor, Permission.POST_STOCK)
