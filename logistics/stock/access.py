"""Who may post stock where: keepers in their own warehouses, coordinators and admins anywhere."""

from __future__ import annotations

from sqlalchemy import select

from logistics.accounts.roles import Permission, Role
from logistics.errors import PermissionDenied
from logistics.stock.errors import InactiveWarehouse, NotYourWarehouse
from logistics.stock.models import Warehouse, warehouse_keepers

POST_ANYWHERE = frozenset({Role.ADMIN, Role.COORDINATOR})


def keeps(session, actor, warehouse_id: int) -> bool:
    """Answer whether the actor is assigned as keeper of this warehouse."""
    return session.scalar(
        select(warehouse_keepers.c.user_id).where(
            warehouse_keepers.c.warehouse_id == warehouse_id,
            warehouse_keepers.c.user_id == actor.id,
        )
    ) is not None


def may_post_in(session, actor, warehouse: Warehouse) -> bool:
    if not actor.can(Permission.POST_STOCK):
        return False
    return actor.role in POST_ANYWHERE or keeps(session, actor, warehouse.id)


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
    if not actor.can(Permission.POST_STOCK):
        return set()
    if actor.role in POST_ANYWHERE:
        return None
    return set(session.scalars(
        select(warehouse_keepers.c.warehouse_id).where(warehouse_keepers.c.user_id == actor.id)
    ))
