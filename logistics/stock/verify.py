"""Prove the ledger: every balance, total and running balance equals the sum of its lines,
and the triggers that keep the lines append-only are in place (`flask stock verify`)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select, text

from logistics.stock import ledger_guard
from logistics.stock.ledger_tables import Movement, StockBalance, StockTotal


def ledger_problems(session) -> list[str]:
    """Everything `flask stock verify` reports: balance differences and a missing guard."""
    return balance_mismatches(session) + missing_guards(session)


def missing_guards(session) -> list[str]:
    """The append-only triggers a migration or a hand-made change lost, if any."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        present = set(session.scalars(text(
            "SELECT tgname FROM pg_trigger "
            f"WHERE tgrelid = '{ledger_guard.TABLE}'::regclass AND NOT tgisinternal")))
    else:
        present = set(session.scalars(text(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :table"),
            {"table": ledger_guard.TABLE}))
    return [f"trigger {name} is missing: ledger lines could be changed"
            for name in ledger_guard.trigger_names(dialect) if name not in present]


def balance_mismatches(session) -> list[str]:
    """Recompute balances, totals and running balances from the lines; describe each difference."""
    problems = []
    keys = (Movement.warehouse_id, Movement.is_in_transit, Movement.item_id)
    lot_sums = {tuple(row[:4]): row[4] for row in session.execute(
        select(*keys, Movement.lot_id, func.sum(Movement.qty)).group_by(*keys, Movement.lot_id)
    )}
    balances = {tuple(row[:4]): row[4] for row in session.execute(
        select(StockBalance.warehouse_id, StockBalance.is_in_transit, StockBalance.item_id,
               StockBalance.lot_id, StockBalance.qty)
    )}
    for key in sorted(set(lot_sums) | set(balances)):
        if lot_sums.get(key, 0) != balances.get(key, 0):
            problems.append(f"balance {key}: ledger {lot_sums.get(key, 0)}, "
                            f"stored {balances.get(key, 0)}")
    group_sums: dict[tuple, int] = defaultdict(int)
    for key, qty in lot_sums.items():
        group_sums[key[:3]] += qty
    totals = {tuple(row[:3]): row[3] for row in session.execute(
        select(StockTotal.warehouse_id, StockTotal.is_in_transit, StockTotal.item_id,
               StockTotal.qty)
    )}
    for key in sorted(set(group_sums) | set(totals)):
        if group_sums.get(key, 0) != totals.get(key, 0):
            problems.append(f"total {key}: ledger {group_sums.get(key, 0)}, "
                            f"stored {totals.get(key, 0)}")
    previous = func.lag(Movement.balance_after, 1, 0).over(partition_by=keys, order_by=Movement.id)
    running = select(Movement.id, Movement.qty, Movement.balance_after,
                     previous.label("previous")).subquery()
    for movement_id, qty, after, before in session.execute(
        select(running).where(running.c.balance_after != running.c.previous + running.c.qty)
    ):
        problems.append(f"movement {movement_id}: running balance {after} "
                        f"after {before} {qty:+d}")
    return problems
