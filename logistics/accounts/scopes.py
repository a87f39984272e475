"""Scoped permissions: "role R may do P, but only within the objects it is assigned to".

`roles.SCOPED` says which (permission, role) pairs are scoped and to what; the module that owns
the scope registers how to list, offer and change a user's assignments (stock: the warehouses
a keeper keeps). Every check goes through `allowed_ids` / `is_within`, so no module writes its
own version; the user pages and API set assignments through `check_assignments` / `assign`,
so a new scope (posko, desa, team) appears on them by its one `register` call.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from logistics.accounts.roles import Permission, Scope, role_scopes, scope_of
from logistics.errors import InvalidInput
from logistics.i18n import N_

AssignedIds = Callable[..., set[int]]  # (session, user) -> ids of the objects assigned
Choices = Callable[..., list[tuple[int, str]]]  # (session) -> (id, name) of every object
Assign = Callable[..., None]  # (session, user, ids) -> None: the user's assignment becomes ids


@dataclass(frozen=True)
class ScopeKind:
    """What the module owning a scope tells the rest: how to read, offer and write assignments.

    The texts are English templates marked with ``N_``, translated where they are shown.
    """

    scope: Scope
    assigned_ids: AssignedIds
    choices: Choices | None = None
    assign: Assign | None = None
    label: str = ""  # the picker's label, e.g. "Warehouses"
    yours: str = ""  # the home page's heading, e.g. "Your warehouses"
    none_yet: str = ""  # the home page's warning when nothing is assigned
    # Who else may change the assignment where the module keeps it (stock: the warehouse
    # settings page); anyone who manages users may always set it on the user's own page.
    assigned_by: Permission | None = None

    @property
    def field(self) -> str:
        """The name of the assignment in the users API and forms: ``warehouse_ids``."""
        return field_name(self.scope)


_kinds: dict[Scope, ScopeKind] = {}
# Kept for the checks that only read assignments (and the test that every scope has one).
_assignments: dict[Scope, AssignedIds] = {}


class NotAssignable(InvalidInput):
    message = N_("This role is not limited to any of these: leave them all unticked.")


class UnknownAssignment(InvalidInput):
    message = N_("Not one of the choices: %(ids)s.")


def field_name(scope: Scope) -> str:
    return f"{scope.value}_ids"


def register(scope: Scope, assigned_ids: AssignedIds, **kind) -> None:
    """Declare how to list (and offer and change) a user's assignments in ``scope``; called
    once by the module that owns the scope. See `ScopeKind` for the keyword arguments."""
    _kinds[scope] = ScopeKind(scope=scope, assigned_ids=assigned_ids, **kind)
    _assignments[scope] = assigned_ids


def kind_of(scope: Scope) -> ScopeKind:
    return _kinds[scope]


def kinds_for(role) -> list[ScopeKind]:
    """The scopes (of registered modules) that limit what ``role`` may do, in declared order."""
    wanted = role_scopes(role)
    return [kind for scope, kind in _kinds.items() if scope in wanted]


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


def assigned(session, user, scope: Scope) -> set[int]:
    """The objects of ``scope`` the user is assigned to (empty for a role it does not limit)."""
    if scope not in role_scopes(user.role):
        return set()
    return _kinds[scope].assigned_ids(session, user)


def check_assignments(session, role, assignments: Mapping[Scope, Collection[int]]) -> None:
    """Refuse, before anything is written, ids of a scope the role has none of, or ids that
    name no object: on the assignment's own field (``warehouse_ids``)."""
    held = role_scopes(role)
    for scope, ids in assignments.items():
        kind = _kinds[scope]
        if not ids:
            continue
        if scope not in held:
            raise NotAssignable(field=kind.field)
        known = {object_id for object_id, _ in kind.choices(session)}
        if unknown := sorted(set(ids) - known):
            raise UnknownAssignment(field=kind.field, ids=", ".join(map(str, unknown)))


def assign(session, user, assignments: Mapping[Scope, Collection[int]]) -> None:
    """Make the user's assignments the ones given (a scope left out stays as it is); a scope
    the user's role has nothing to do with is emptied, so a former keeper keeps no warehouse."""
    held = role_scopes(user.role)
    for scope, kind in _kinds.items():
        if scope in assignments and scope in held:
            kind.assign(session, user, set(assignments[scope]))
        elif scope not in held and kind.assign is not None and kind.assigned_ids(session, user):
            kind.assign(session, user, set())


def named(session, user) -> list[tuple[ScopeKind, list[str]]]:
    """Each scope limiting the user's role, with the names of the objects assigned."""
    result = []
    for kind in kinds_for(user.role):
        ids = kind.assigned_ids(session, user)
        result.append((kind, [name for object_id, name in kind.choices(session)
                              if object_id in ids]))
    return result
