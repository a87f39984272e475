"""A constraint failure becomes the rule it guards, or stays an error (no vague 409)."""

import hashlib

import pytest
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from logistics.accounts.models import User
from logistics.core.atomic import all_or_nothing
from logistics.core.constraints import constraint_of, rule_for
from logistics.stock.imports import SheetAlreadyImported, SheetImport
from logistics.stock.ledger_tables import StockTotal


def _failure(session, statement):
    with pytest.raises(IntegrityError) as failed, session.begin_nested():
        session.execute(statement)
    return failed.value


def test_a_check_failure_is_resolved_to_its_constraint_on_either_database(session, stock):
    warehouse, rice = stock.warehouse(), stock.item()
    stock.receive(warehouse, rice, 5)
    error = _failure(session, update(StockTotal).values(qty=-1))
    assert constraint_of(error).name == "ck_stock_totals_qty_nonneg"
    session.rollback()


def test_a_unique_failure_with_a_declared_rule_names_that_rule(session, make_user):
    user = session.scalar(select(User).where(User.username == make_user("admin")))
    row = {"number": "IMP-2026-00001", "kind": "opening", "filename": "saldo.xlsx",
           "content_sha256": hashlib.sha256(b"sheet").hexdigest(), "rows": 3, "actor_id": user.id}
    session.execute(insert(SheetImport), [row])
    error = _failure(session, insert(SheetImport).values({**row, "number": "IMP-2026-00002"}))
    constraint = constraint_of(error)
    assert {column.name for column in constraint.columns} == {"kind", "content_sha256"}
    rule = rule_for(constraint, session, {"kind": "opening", "content": b"sheet"})
    assert isinstance(rule, SheetAlreadyImported)
    assert rule.params["number"] == "IMP-2026-00001"
    session.rollback()


def test_an_undeclared_constraint_stays_an_integrity_error(session, stock):
    warehouse, rice = stock.warehouse(), stock.item()
    stock.receive(warehouse, rice, 5)

    @all_or_nothing
    def break_the_guard(session):
        session.execute(update(StockTotal).values(qty=-1))

    with pytest.raises(IntegrityError):
        break_the_guard(session)
    session.rollback()


def test_a_unique_index_on_an_expression_names_its_rule_on_either_database(session):
    """SQLite names such an index, not columns ("index 'uq_teams_name_folded'"); PostgreSQL
    names it as a constraint. Both must come back as the regu rule, not a 500."""
    from logistics.roster.errors import DuplicateTeamName
    from logistics.roster.models import Team

    session.execute(insert(Team).values(name="Regu Melati"))
    error = _failure(session, insert(Team).values(name="regu melati"))
    constraint = constraint_of(error)
    assert constraint is not None
    assert constraint.name == "uq_teams_name_folded"
    rule = rule_for(constraint, session, {"name": "regu melati"})
    assert isinstance(rule, DuplicateTeamName)
    session.rollback()
