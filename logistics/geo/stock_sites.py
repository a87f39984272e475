"""Warehouses coloured by their stock, and the transfers on the road between them.

A warehouse's ``status`` is one word a map colours by, the most urgent first:
- ``empty``: nothing on its shelves (not in transit, any expiry);
- ``low``: an item under its cover floor: fewer than ``COVER_FLOOR_DAYS`` days of cover at
  the last 30 days' issue rate (`alerts.days_of_cover`), or under the minimum the keeper set
  (`alerts.items_under_minimum`); an item counted once even if both hold;
- ``expiring``: a lot on the shelf expired or expiring within ``EXPIRY_ALERT_DAYS``
  (`alerts.expiring_lots`, the amber window of the stock pages);
- ``ok`` otherwise.
Only active warehouses are drawn. Every figure comes from a fixed number of queries,
whatever the number of warehouses.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from logistics.geo.places import Translate, centroids, place_of, untranslated
from logistics.i18n import N_
from logistics.stock import alerts
from logistics.stock.documents import Document, DocumentKind, TransferStatus
from logistics.stock.ledger_tables import Movement, StockTotal
from logistics.stock.models import Warehouse, WarehouseKind
from maps.rows import TransferRow, WarehouseRow

COVER_FLOOR_DAYS = 7
EXPIRY_ALERT_DAYS = alerts.EXPIRY_WINDOWS[0]

WAREHOUSE_KIND_LABELS = {
    WarehouseKind.CENTRAL: N_("Central warehouse"),
    WarehouseKind.LUMBUNG_SOSIAL: N_("Lumbung sosial"),
}


@dataclass
class StockSites:
    warehouses: list[WarehouseRow]
    transfers: list[TransferRow]
    unplaced: list[str] = field(default_factory=list)  # warehouse codes, transfer numbers left out


def _active_warehouses(session) -> list[Warehouse]:
    return list(session.scalars(select(Warehouse).where(Warehouse.is_active.is_(True))
                                .order_by(Warehouse.code)))


def _stocked_ids(session) -> set[int]:
    return set(session.scalars(select(StockTotal.warehouse_id).distinct().where(
        StockTotal.qty > 0, StockTotal.is_in_transit.is_(False))))


def _status(*, stocked: bool, items_low: int, lots_expiring: int, lots_expired: int) -> str:
    if not stocked:
        return "empty"
    if items_low:
        return "low"
    if lots_expiring or lots_expired:
        return "expiring"
    return "ok"


def warehouse_rows(session, *, today: date, translate: Translate = untranslated,
                   unplaced: list[str] | None = None) -> list[WarehouseRow]:
    """Active warehouses with their stock status, by code; those with no place are left out
    (their codes appended to ``unplaced`` when given)."""
    warehouses = _active_warehouses(session)
    places = centroids(session, (w.desa_code for w in warehouses if w.location is None))
    stocked = _stocked_ids(session)
    low: dict[int, set[int]] = defaultdict(set)
    for cover in alerts.days_of_cover(session, today=today):
        if cover.days is not None and cover.days < COVER_FLOOR_DAYS:
            low[cover.warehouse.id].add(cover.item.id)
    for item in alerts.items_under_minimum(session):
        low[item.warehouse.id].add(item.item.id)
    expiring: dict[int, int] = defaultdict(int)
    expired: dict[int, int] = defaultdict(int)
    for lot in alerts.expiring_lots(session, today=today, within_days=EXPIRY_ALERT_DAYS):
        (expired if lot.days_left < 0 else expiring)[lot.warehouse.id] += 1
    rows: list[WarehouseRow] = []
    for warehouse in warehouses:
        place = place_of(warehouse.location, warehouse.desa_code, places)
        if place is None:
            if unplaced is not None:
                unplaced.append(warehouse.code)
            continue
        counts = {"items_low": len(low[warehouse.id]), "lots_expiring": expiring[warehouse.id],
                  "lots_expired": expired[warehouse.id]}
        rows.append(WarehouseRow(
            id=warehouse.id, code=warehouse.code, name=warehouse.name,
            kind_label=translate(WAREHOUSE_KIND_LABELS.get(warehouse.kind, warehouse.kind)),
            lat=place.lat, lon=place.lon, is_approximate=place.is_approximate,
            status=_status(stocked=warehouse.id in stocked, **counts), **counts))
    return rows


def transfer_rows(session, *, unplaced: list[str] | None = None) -> list[TransferRow]:
    """Transfers sent and not received, oldest first: a line from origin to destination.

    ``lines`` is the number of items on the road. A transfer with an end that has no place
    is left out (its number appended to ``unplaced`` when given)."""
    origin, destination = aliased(Warehouse), aliased(Warehouse)
    items = (select(Movement.document_id, func.count(func.distinct(Movement.item_id))
                    .label("item_count"))
             .where(Movement.is_in_transit.is_(True), Movement.qty > 0)
             .group_by(Movement.document_id).subquery())
    found = session.execute(
        select(Document.id, Document.number, Document.document_date, origin, destination,
               func.coalesce(items.c.item_count, 0))
        .join(origin, origin.id == Document.warehouse_id)
        .join(destination, destination.id == Document.to_warehouse_id)
        .outerjoin(items, items.c.document_id == Document.id)
        .where(Document.kind == DocumentKind.TRANSFER,
               Document.status == TransferStatus.IN_TRANSIT)
        .order_by(Document.document_date, Document.id)).all()
    places = centroids(session, (w.desa_code for row in found for w in row[3:5]
                                 if w.location is None))
    rows: list[TransferRow] = []
    for transfer_id, number, sent_on, start, end, lines in found:
        here = place_of(start.location, start.desa_code, places)
        there = place_of(end.location, end.desa_code, places)
        if here is None or there is None:
            if unplaced is not None:
                unplaced.append(number)
            continue
        rows.append(TransferRow(
            id=transfer_id, number=number, from_name=start.name, to_name=end.name,
            from_lat=here.lat, from_lon=here.lon, to_lat=there.lat, to_lon=there.lon,
            sent_on=sent_on.isoformat(), lines=int(lines)))
    return rows


def stock_sites(session, *, today: date, translate: Translate = untranslated) -> StockSites:
    """The warehouse map's data: warehouses by status and transfers in transit."""
    unplaced: list[str] = []
    warehouses = warehouse_rows(session, today=today, translate=translate, unplaced=unplaced)
    return StockSites(warehouses, transfer_rows(session, unplaced=unplaced), unplaced)
