"""A user's scope (a keeper's warehouses) is written with the account, through the registry:
accounts never asks the stock module directly, and a scope's module supplies everything the
user pages, the API and the home page need."""

import ast
from pathlib import Path

import pytest
from sqlalchemy import func, select

import logistics.stock.access  # noqa: F401  (registers the warehouse scope)
from logistics.accounts import operations, scopes
from logistics.accounts.models import User
from logistics.accounts.roles import SCOPED, Role, Scope, role_scopes, scoped_scopes
from logistics.accounts.schemas import UserIn, UserOut, UserUpdateIn
from logistics.stock.models import warehouse_keepers

PASSWORD = "a-long-enough-password"
ACCOUNTS = Path(__file__).parents[2] / "logistics" / "accounts"


def test_accounts_reaches_other_modules_only_through_the_registry():
    for path in ACCOUNTS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert not name.startswith("logistics.stock"), f"{path.name} imports {name}"


def test_every_scope_a_role_is_limited_to_can_be_offered_written_and_explained():
    assert scoped_scopes() == sorted({s for per_role in SCOPED.values()
                                      for s in per_role.values()}, key=list(Scope).index)
    for scope in scoped_scopes():
        kind = scopes.kind_of(scope)
        for part in ("choices", "assign", "label", "yours", "none_yet"):
            assert getattr(kind, part), (scope, part)
        for schema in (UserIn, UserUpdateIn, UserOut):
            assert kind.field in schema().fields, (scope, schema)


def test_role_scopes():
    assert role_scopes(Role.WAREHOUSE_KEEPER) == {Scope.WAREHOUSE}
    assert role_scopes(Role.COORDINATOR) == frozenset()
    assert role_scopes("nobody") == frozenset()


def test_the_schema_hands_the_operation_assignments_by_scope():
    data = UserUpdateIn().load({"full_name": "Joko", "role": "warehouse_keeper",
                                "is_active": True, "warehouse_ids": [3, 1]})
    assert data["assignments"] == {Scope.WAREHOUSE: [3, 1]}
    assert "warehouse_ids" not in data
    left_out = UserUpdateIn().load({"full_name": "Joko", "role": "warehouse_keeper",
                                    "is_active": True})
    assert left_out["assignments"] == {}


def _keeper_rows(session) -> int:
    return session.scalar(select(func.count()).select_from(warehouse_keepers))


def test_a_keeper_is_created_with_warehouses_and_unknown_ones_write_nothing(session, stock):
    one, two = stock.warehouse(), stock.warehouse()
    joko = operations.create_user(session, username="joko", full_name="Joko",
                                  role="warehouse_keeper", password=PASSWORD,
                                  assignments={Scope.WAREHOUSE: [one, two]})
    session.commit()
    assert scopes.assigned(session, joko, Scope.WAREHOUSE) == {one, two}
    with pytest.raises(scopes.UnknownAssignment) as refused:
        operations.create_user(session, username="budi", full_name="Budi",
                               role="warehouse_keeper", password=PASSWORD,
                               assignments={Scope.WAREHOUSE: [one, two + 99]})
    assert refused.value.field == "warehouse_ids"
    assert refused.value.params == {"ids": str(two + 99)}
    session.rollback()
    assert session.scalar(select(func.count()).select_from(User)) == 1
    assert _keeper_rows(session) == 2


def test_an_update_replaces_keeps_or_clears_the_assignment(session, stock):
    one, two = stock.warehouse(), stock.warehouse()
    joko = operations.create_user(session, username="joko", full_name="Joko",
                                  role="warehouse_keeper", password=PASSWORD,
                                  assignments={Scope.WAREHOUSE: [one]})
    details = {"user": joko, "full_name": "Joko", "is_active": True}
    operations.update_user(session, **details, role="warehouse_keeper",
                           assignments={Scope.WAREHOUSE: [two]})
    assert scopes.assigned(session, joko, Scope.WAREHOUSE) == {two}
    operations.update_user(session, **details, role="warehouse_keeper")
    assert scopes.assigned(session, joko, Scope.WAREHOUSE) == {two}
    operations.update_user(session, **details, role="coordinator")
    assert _keeper_rows(session) == 0
    with pytest.raises(scopes.NotAssignable):
        operations.update_user(session, **details, role="coordinator",
                               assignments={Scope.WAREHOUSE: [one]})
    session.rollback()
