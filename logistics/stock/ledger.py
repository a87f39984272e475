"""The ledger: where stock is posted. Every quantity change in the system passes `post_changes`.

Movement lines are append-only. Beside them, two derived tables answer "how much is here" fast:
`stock_balances` per (warehouse, in transit?, item, lot) and `stock_totals` per (warehouse,
in transit?, item); the three are declared in `ledger_tables.py`. Both derived tables change in
the same transaction as the lines, only through guarded statements (`qty >= :n`), with a CHECK
(qty >= 0) as the last guard. `verify.py` proves both equal the sum of the lines.

Lines are cumulative. A document may name the same item or the same lot on several lines; their
quantities add up, and each line is resolved against balances already reduced by earlier lines
of the same document. A line without a lot (first expiry, first out) takes only what the lines
naming lots leave. Within a group what comes in is posted before what goes out, so a running
balance never dips below zero when the document's end result is valid. A shortage is reported
on the line (`lines.<i>.qty`) at which the document asks for more than there is. (A stock count
states what a shelf holds, which cannot add up: `count_stock` refuses a lot named twice.)

Locking: each (warehouse, in transit?, item) group's total row is written first and acts as the
group's lock on PostgreSQL; groups are taken in sorted key order, so two documents never wait
on each other in a cycle. A receipt creates or finds its lots before that, in sorted (item,
batch) order. A document that only adds to named lots (a receipt) writes all its groups' totals
in one statement, in the same key order, then all its lots' balances in one more: an
opening-stock sheet of 50,000 lines posts in a few statements. SQLite takes its single write
lock at BEGIN IMMEDIATE.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite

from logistics.core.bulk import insert_many
from logistics.stock.errors import ExpiredStockOnly, InsufficientStock
from logistics.stock.ledger_tables import Movement, StockBalance, StockTotal
from logistics.stock.models import Item, Lot, Warehouse


@dataclass(frozen=True)
class Change:
    """A requested change.

    ``lot_id=None`` on a negative change means "first expiry, first out"; ``counted_qty`` set
    means "make this lot's balance this", the difference being read under the group's lock;
    ``line`` is the document line it came from, so that a refusal can point at it.
    """

    warehouse_id: int
    item_id: int
    qty: int
    lot_id: int | None = None
    is_in_transit: bool = False
    counted_qty: int | None = None
    line: int | None = None

    @property
    def group(self) -> tuple[int, bool, int]:
        return (self.warehouse_id, self.is_in_transit, self.item_id)


def post_changes(session, document, changes: list[Change], *, today: date) -> list[Change]:
    """Apply every change of one document or raise; returns the changes as posted (lots resolved).

    Raising leaves earlier groups' statements in the transaction: the verbs run in a savepoint
    (idempotency.atomic) so that a failed document leaves nothing behind.
    """
    by_group: dict[tuple, list[Change]] = defaultdict(list)
    for change in changes:
        by_group[change.group].append(change)
    if all(change.qty > 0 and change.lot_id is not None and change.counted_qty is None
           for change in changes):
        pairs = _post_increases(session, by_group)  # a receipt: every group in one go
    else:
        pairs = [pair for group in sorted(by_group)
                 for pair in _post_group(session, group, by_group[group], today=today)]
    posted, rows = [], []
    for change, balance_after in pairs:
        posted.append(change)
        rows.append({"document_id": document.id, "warehouse_id": change.warehouse_id,
                     "is_in_transit": change.is_in_transit, "item_id": change.item_id,
                     "lot_id": change.lot_id, "qty": change.qty,
                     "balance_after": balance_after, "counted_qty": change.counted_qty})
    if rows:
        # One bulk INSERT; the lines are read back only when someone looks at them.
        insert_many(session, Movement.__table__, rows)
        session.expire(document, ["movements"])
    return posted


def _post_increases(session, by_group: dict) -> list[tuple[Change, int]]:
    """Post changes that only add to named lots: one statement for every group's total (taken
    in key order, as one at a time would), one for every lot's balance, not two per line."""
    groups = sorted(by_group)
    net = {group: sum(change.qty for change in by_group[group]) for group in groups}
    totals = _upsert_many(session, StockTotal, [(_group_keys(group), net[group])
                                                for group in groups], returning=True)
    per_lot: dict[tuple, int] = defaultdict(int)
    for group in groups:
        for change in by_group[group]:
            per_lot[(*group, change.lot_id)] += change.qty
    _upsert_many(session, StockBalance, [
        ({**_group_keys(key[:3]), "lot_id": key[3]}, qty) for key, qty in sorted(per_lot.items())])
    posted = []
    for group in groups:
        running = totals[group] - net[group]
        for change in by_group[group]:
            running += change.qty
            posted.append((change, running))
    return posted


def _post_group(session, group, changes, *, today) -> list[tuple[Change, int]]:
    """Post one (warehouse, in transit?, item) group; pairs each resolved change with its
    running balance."""
    if any(change.counted_qty is not None for change in changes):
        _upsert(session, StockTotal, _group_keys(group), 0)  # lock before reading the shelf
        changes = _count_differences(session, changes)
    if not changes:
        return []
    net = sum(change.qty for change in changes)
    total_after = _apply_total(session, group, changes, net)  # takes the group's lock first
    _apply_balances(session, group, [change for change in changes if change.lot_id is not None])
    # Read after the named lines posted, so that first-expiry-first-out never offers them again.
    picks = _first_expiry_first_out(
        session, group, [change for change in changes if change.lot_id is None], today=today)
    _apply_balances(session, group, [pick for picked in picks for pick in picked])
    resolved, unnamed = [], iter(picks)
    for change in changes:
        resolved += [change] if change.lot_id is not None else next(unnamed)
    # In before out: the running balance then never dips below zero on its way to a valid end.
    posted, running = [], total_after - net
    for change in sorted(resolved, key=lambda change: change.qty < 0):
        running += change.qty
        posted.append((change, running))
    return posted


def lock_groups(session, groups) -> None:
    """Take several groups' locks up front, in key order, for a verb that posts in two steps.

    A transfer posts its source lines before it knows (FEFO) which lots arrive; locking every
    group it will touch first keeps the one global order that rules out deadlocks.
    """
    for group in sorted(set(groups)):
        _upsert(session, StockTotal, _group_keys(group), 0)


def _count_differences(session, changes: list[Change]) -> list[Change]:
    """Turn "the shelf holds N" into the change that makes the lot's balance N."""
    resolved = []
    for change in changes:
        if change.counted_qty is None:
            resolved.append(change)
            continue
        keys = {**_group_keys(change.group), "lot_id": change.lot_id}
        current = session.scalar(select(StockBalance.qty).filter_by(**keys)) or 0
        if change.counted_qty != current:
            resolved.append(replace(change, qty=change.counted_qty - current))
    return resolved


# The hot statements are built once with bind parameters: building them per call cost more
# Python time than the database spent running them.

@cache
def _upsert_statement(table, dialect_name: str):
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    keys = [column.name for column in table.__table__.primary_key]
    statement = dialect.insert(table).values(
        {**{name: bindparam(f"k_{name}") for name in keys}, "qty": bindparam("amount")})
    return statement.on_conflict_do_update(
        index_elements=keys, set_={"qty": table.qty + statement.excluded.qty}
    ).returning(table.qty)


@cache
def _decrement_statement(table):
    keys = [column.name for column in table.__table__.primary_key]
    return (
        update(table)
        .where(*[getattr(table, name) == bindparam(f"k_{name}") for name in keys],
               table.qty >= bindparam("amount"))
        .values(qty=table.qty - bindparam("amount"))
        .returning(table.qty)
        .execution_options(synchronize_session=False)
    )


def _upsert(session, table, keys: dict, delta: int):
    """Add ``delta`` (>= 0) to a row, creating it; returns the new quantity."""
    statement = _upsert_statement(table, session.get_bind().dialect.name)
    return session.execute(statement, _params(keys, delta)).scalar_one()


def _upsert_many(session, table, rows: list[tuple[dict, int]], *,
                 returning: bool = False) -> dict[tuple, int]:
    """Add each row's amount (>= 0) to it, creating it, rows in the order given, in one
    statement (`insert_many`); ``returning`` the new quantities by primary key."""
    plain = table.__table__
    keys = [column.name for column in plain.primary_key]

    def upsert(statement):
        statement = statement.on_conflict_do_update(
            index_elements=keys, set_={"qty": plain.c.qty + statement.excluded.qty})
        return statement.returning(*[plain.c[name] for name in keys], plain.c.qty) \
            if returning else statement

    result = insert_many(session, plain, [{**row, "qty": amount} for row, amount in rows],
                         upsert)
    return {tuple(found[:-1]): found[-1] for found in result} if returning and result else {}


def _decrement(session, table, keys: dict, amount: int):
    """Take ``amount`` from a row only if it holds that much; None when it does not."""
    return session.execute(_decrement_statement(table),
                           _params(keys, amount)).scalar_one_or_none()


def _params(keys: dict, amount: int) -> dict:
    return {**{f"k_{name}": value for name, value in keys.items()}, "amount": amount}


def _group_keys(group) -> dict:
    warehouse_id, is_in_transit, item_id = group
    return {"warehouse_id": warehouse_id, "is_in_transit": is_in_transit, "item_id": item_id}


def _apply_total(session, group, changes, net: int) -> int:
    keys = _group_keys(group)
    if net >= 0:
        return _upsert(session, StockTotal, keys, net)
    after = _decrement(session, StockTotal, keys, -net)
    if after is None:
        raise _shortage(session, group, changes)
    return after


def _apply_balances(session, group, changes) -> None:
    """Apply the changes' net per lot, lots in key order; a lot that runs short is refused."""
    per_lot: dict[int, int] = defaultdict(int)
    for change in changes:
        per_lot[change.lot_id] += change.qty
    for lot_id in sorted(per_lot):
        keys, delta = {**_group_keys(group), "lot_id": lot_id}, per_lot[lot_id]
        if delta >= 0:
            _upsert(session, StockBalance, keys, delta)
        elif _decrement(session, StockBalance, keys, -delta) is None:
            raise _shortage(session, group, [c for c in changes if c.lot_id == lot_id],
                            lot_id=lot_id)


_FEFO_CANDIDATES = (
    select(StockBalance.lot_id, StockBalance.qty, Lot.expires_on)
    .join(Lot, Lot.id == StockBalance.lot_id)
    .where(StockBalance.warehouse_id == bindparam("warehouse_id"),
           StockBalance.is_in_transit == bindparam("is_in_transit"),
           StockBalance.item_id == bindparam("item_id"),
           StockBalance.qty > 0)
    .order_by(Lot.expires_on.is_(None), Lot.expires_on, Lot.id)
)


def _first_expiry_first_out(session, group, demands: list[Change], *,
                            today: date) -> list[list[Change]]:
    """Split each demand over the lots here, earliest expiry first, never touching expired lots;
    each demand takes from what the earlier ones left."""
    if not demands:
        return []
    warehouse_id, is_in_transit, item_id = group
    rows = session.execute(_FEFO_CANDIDATES, {
        "warehouse_id": warehouse_id, "is_in_transit": is_in_transit, "item_id": item_id}).all()
    left = {lot_id: qty for lot_id, qty, _ in rows}
    usable = [lot_id for lot_id, _, expires_on in rows
              if expires_on is None or expires_on >= today]
    picks = []
    for demand in demands:
        wanted, picked = -demand.qty, []
        for lot_id in usable:
            if not wanted:
                break
            take = min(left[lot_id], wanted)
            if take:
                picked.append(replace(demand, qty=-take, lot_id=lot_id))
                left[lot_id] -= take
                wanted -= take
        if wanted:
            expired = sum(qty for _, qty, expires_on in rows
                          if expires_on is not None and expires_on < today)
            raise ExpiredStockOnly(item=_item_name(session, item_id), requested=-demand.qty,
                                   usable=-demand.qty - wanted, expired=expired,
                                   field=_line_field(demand))
        picks.append(picked)
    return picks


def _item_name(session, item_id: int) -> str:
    return session.get(Item, item_id).name_id


def _line_field(change: Change) -> str | None:
    return None if change.line is None else f"lines.{change.line}.qty"


def _shortage(session, group, changes, *, lot_id: int | None = None) -> InsufficientStock:
    """Name the line at which the document asks for more than there is.

    Without ``lot_id`` the group's total ran short (still unchanged, so read as it was): the
    line is the first at which a lot it names, or else the item, runs out. With ``lot_id`` only
    that lot did; ``changes`` are then the lines naming it.
    """
    keys = _group_keys(group)
    lots = [lot_id] if lot_id is not None else sorted(
        {change.lot_id for change in changes if change.lot_id is not None})
    have = {lot: session.scalar(select(StockBalance.qty).filter_by(**keys, lot_id=lot)) or 0
            for lot in lots}
    if lot_id is None:
        have[None] = session.scalar(select(StockTotal.qty).filter_by(**keys)) or 0
    # Replay the document in posting order: what it brings in first, then each line taking out.
    for change in changes:
        if change.qty > 0:
            for key in {change.lot_id, None} & set(have):
                have[key] += change.qty
    asked: dict[int | None, int] = defaultdict(int)
    for change in changes:
        if change.qty < 0:
            named = [change.lot_id] if change.lot_id is not None else []
            for key in [key for key in [*named, None] if key in have]:  # the lot first
                asked[key] -= change.qty
                if asked[key] > have[key]:
                    return _insufficient(session, group, key, have[key], asked[key],
                                         _line_field(change))
    # No line found: the balances changed since the refusal (another document got in between).
    return _insufficient(session, group, lot_id, have.get(lot_id, 0), asked[lot_id], None)


def _insufficient(session, group, lot_id, available, requested, field) -> InsufficientStock:
    warehouse_id, _, item_id = group
    names = {"item": _item_name(session, item_id),
             "warehouse": session.get(Warehouse, warehouse_id).name,
             "available": available, "requested": requested, "field": field}
    if lot_id is None:
        return InsufficientStock(**names)
    return InsufficientStock(InsufficientStock.lot_message, lot=session.get(Lot, lot_id).batch_no,
                             **names)
