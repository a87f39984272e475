"""Scoped grants: decided in roles.py, answered by one helper for every module."""

from sqlalchemy import select

import logistics.stock  # noqa: F401  (registers the warehouse scope)
from logistics.accounts import scopes
from logistics.accounts.models import User
from logistics.accounts.roles import SCOPED, Permission, Role, Scope, scope_of


def test_a_keeper_posts_stock_only_within_warehouses_others_everywhere_or_nowhere():
    assert scope_of(Role.WAREHOUSE_KEEPER, Permission.POST_STOCK) == Scope.WAREHOUSE
    assert scope_of(Role.COORDINATOR, Permission.POST_STOCK) is None
    assert scope_of("no-such-role", Permission.POST_STOCK) is None


def test_every_declared_scope_has_a_module_that_lists_assignments():
    declared = {scope for per_role in SCOPED.values() for scope in per_role.values()}
    assert declared <= set(scopes._assignments)


def test_allowed_ids_per_role(session, stock, make_user):
    keeper, coordinator, posko = (make_user("warehouse_keeper"), make_user("coordinator"),
                                  make_user("posko_staff"))
    kept = stock.warehouse(keepers=[keeper])
    other = stock.warehouse()
    users = {u.username: u for u in session.scalars(select(User))}
    assert scopes.allowed_ids(session, users[keeper], Permission.POST_STOCK) == {kept}
    assert scopes.is_within(session, users[keeper], Permission.POST_STOCK, kept)
    assert not scopes.is_within(session, users[keeper], Permission.POST_STOCK, other)
    assert scopes.allowed_ids(session, users[coordinator], Permission.POST_STOCK) is None
    assert scopes.allowed_ids(session, users[posko], Permission.POST_STOCK) == set()
    assert not scopes.is_within(session, users[posko], Permission.POST_STOCK, kept)
    session.rollback()
