"""What needs a keeper's attention: expiring lots, items under minimum, days of cover left,
transfer shortfalls not yet settled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from sqlalchemy import func, select

from logistics.stock import queries
from logistics.stock.documents import Document, DocumentKind
from logistics.stock.ledger_tables import Movement, StockBalance, StockTotal
from logistics.stock.models import Item, Lot, MinimumLevel, Warehouse

EXPIRY_WINDOWS = (30, 60, 90)
ISSUE_RATE_DAYS = 30  # days of history behind "days of cover"
SHORTFALLS_LISTED = 50  # the oldest; queries.open_shortfalls pages through all of them


class Level(StrEnum):
    """A warehouse's colour on the list: red needs action today, amber this month."""

    OK = "ok"
    WARNING = "warning"
    DANGER = "danger"


@dataclass
class ExpiringLot:
    warehouse: Warehouse
    item: Item
    lot: Lot
    qty: int
    days_left: int

    @property
    def window(self) -> int | None:
        """0 for expired, else the smallest of 30/60/90 days it falls in."""
        if self.days_left < 0:
            return 0
        return next((w for w in EXPIRY_WINDOWS if self.days_left <= w), None)


@dataclass
class LowItem:
    warehouse: Warehouse
    item: Item
    on_hand: int
    min_qty: int


@dataclass
class Cover:
    warehouse: Warehouse
    item: Item
    on_hand: int
    issued_per_day: float

    @property
    def days(self) -> float | None:
        return None if not self.issued_per_day else self.on_hand / self.issued_per_day


def expiring_lots(session, *, today: date, warehouse_id: int | None = None,
                  within_days: int = EXPIRY_WINDOWS[-1]) -> list[ExpiringLot]:
    """Lots on hand that expired or expire within ``within_days``, soonest first."""
    query = (select(StockBalance.qty, Warehouse, Item, Lot)
             .join(Warehouse, Warehouse.id == StockBalance.warehouse_id)
             .join(Item, Item.id == StockBalance.item_id)
             .join(Lot, Lot.id == StockBalance.lot_id)
             .where(StockBalance.qty > 0, StockBalance.is_in_transit.is_(False),
                    Lot.expires_on.is_not(None),
                    Lot.expires_on <= today + timedelta(days=within_days))
             .order_by(Lot.expires_on, Warehouse.name, Item.code))
    if warehouse_id is not None:
        query = query.where(StockBalance.warehouse_id == warehouse_id)
    return [ExpiringLot(w, i, lot, qty, (lot.expires_on - today).days)
            for qty, w, i, lot in session.execute(query)]


def items_under_minimum(session, *, warehouse_id: int | None = None) -> list[LowItem]:
    on_hand = func.coalesce(StockTotal.qty, 0)
    query = (select(MinimumLevel.min_qty, on_hand, Warehouse, Item)
             .join(Warehouse, Warehouse.id == MinimumLevel.warehouse_id)
             .join(Item, Item.id == MinimumLevel.item_id)
             .outerjoin(StockTotal, (StockTotal.warehouse_id == MinimumLevel.warehouse_id)
                        & (StockTotal.item_id == MinimumLevel.item_id)
                        & StockTotal.is_in_transit.is_(False))
             .where(on_hand < MinimumLevel.min_qty, Warehouse.is_active.is_(True))
             .order_by(Warehouse.name, Item.code))
    if warehouse_id is not None:
        query = query.where(MinimumLevel.warehouse_id == warehouse_id)
    return [LowItem(w, i, qty, min_qty) for min_qty, qty, w, i in session.execute(query)]


def days_of_cover(session, *, today: date, warehouse_id: int | None = None) -> list[Cover]:
    """On hand divided by the average daily issue of the last 30 days, for items that moved."""
    since = today - timedelta(days=ISSUE_RATE_DAYS)
    issued = (select(Movement.warehouse_id, Movement.item_id,
                     func.sum(-Movement.qty).label("issued"))
              .join(Document, Document.id == Movement.document_id)
              .where(Document.kind == DocumentKind.ISSUE, Document.document_date > since,
                     Movement.is_in_transit.is_(False))
              .group_by(Movement.warehouse_id, Movement.item_id))
    if warehouse_id is not None:
        issued = issued.where(Movement.warehouse_id == warehouse_id)
    issued = issued.subquery()
    query = (select(issued.c.issued, func.coalesce(StockTotal.qty, 0), Warehouse, Item)
             .join(Warehouse, Warehouse.id == issued.c.warehouse_id)
             .join(Item, Item.id == issued.c.item_id)
             .outerjoin(StockTotal, (StockTotal.warehouse_id == issued.c.warehouse_id)
                        & (StockTotal.item_id == issued.c.item_id)
                        & StockTotal.is_in_transit.is_(False)))
    covers = [Cover(w, i, on_hand, total / ISSUE_RATE_DAYS)
              for total, on_hand, w, i in session.execute(query) if total > 0]
    covers.sort(key=lambda cover: (cover.days is None, cover.days or 0))
    return covers


def open_shortfalls(session, *, warehouse_id: int | None = None,
                    limit: int = SHORTFALLS_LISTED) -> list[queries.Shortfall]:
    """Lots of received transfers that neither arrived nor were written off, oldest first:
    each waits for an adjustment (with the transfer) at the receiving warehouse."""
    return queries.open_shortfalls(session, warehouse_id=warehouse_id, limit=limit)


def warehouse_levels(session, *, today: date) -> dict[int, Level]:
    """Red: expired stock on the shelf or an item out below its minimum. Amber: under minimum,
    a lot expiring within 30 days, or a transfer shortfall left open. Green otherwise."""
    levels: dict[int, Level] = {}

    def raise_to(warehouse_id: int, level: Level) -> None:
        order = list(Level)
        if order.index(level) > order.index(levels.get(warehouse_id, Level.OK)):
            levels[warehouse_id] = level

    for lot in expiring_lots(session, today=today, within_days=EXPIRY_WINDOWS[0]):
        raise_to(lot.warehouse.id, Level.DANGER if lot.days_left < 0 else Level.WARNING)
    for low in items_under_minimum(session):
        raise_to(low.warehouse.id, Level.DANGER if low.on_hand == 0 else Level.WARNING)
    for shortfall in queries.open_shortfalls(session, limit=None):
        raise_to(shortfall.transfer.to_warehouse_id, Level.WARNING)
    return levels
