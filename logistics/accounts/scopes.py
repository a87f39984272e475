"""Scoped permissions: "role R may do P, but only within the objects it is assigned to".

`roles.SCOPED` says which (permission, role) pairs are scoped and to what; the module that owns
the scope registers how to list a user's assignments (stock: the warehouses a keeper keeps).
Every check goes through `allowed_ids` / `is_within`, so no module writes its own version.
"""

from __future__ import annotations

from collections.abc import Callable

from logistics.accounts.roles import Permission, Scope, scope_of

AssignedIds = Callable[..., set[int]]  # (session, user) -> ids of the objects assigned
_assignments: dict[Scope, AssignedIds] = {}


def register(scope: Scope, assigned_ids: AssignedIds) -> None:
    """Declare how to list a user's assignments in ``scope`` (called once by its module)."""
    _assignments[scope] = assigned_ids


def allowed_ids(session, actor, permission: Permission) -> set[int] | None:
    """The ids the actor may exercise ``permission`` on: None means everywhere."""
    if actor is None or not actor.can(permission):
        return set()
    scope = scope_of(actor.role, permission)
    if scope is None:
        return None
    return _assignments[scope](session, actor)


def is_within(session, actor, permission: Permission, object_id: int) -> bool:
    allowed = allowed_ids(session, actor, permission)
    return allowed is None or object_id in allowed
