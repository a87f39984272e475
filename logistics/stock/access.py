"""Who may post stock where: the POST_STOCK grant, scoped to assigned warehouses for keepers.

The scope itself is declared in `logistics.accounts.roles.SCOPED`; this module only says which
warehouses a user keeps and turns a refusal into the message a keeper understands.
"""

from __future__ import annotations

from sqlalchemy import select

from logistics.accounts import scopes
from logistics.accounts.roles import Permission, Scope
from logistics.errors import PermissionDenied
from logistics.stock.errors import InactiveWarehouse, NotYourWarehouse
from logistics.stock.models import Warehouse, warehouse_keepers


def kept_warehouse_ids(session, actor) -> set[int]:
    """The warehouses the actor is assigned to as keeper."""
    return set(session.scalars(
        select(warehouse_keepers.c.warehouse_id).where(warehouse_keepers.c.user_id == actor.id)
    ))


scopes.register(Scope.WAREHOUSE, kept_warehouse_ids)


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
