"""Read requests: lists, the coordinator's queue, unmet lines, and where to deliver from.

Nothing here writes. Stock's tables are read, never changed; the lots a proposal offers come
from `logistics.stock.queries.lots_on_hand`, whose order (first expiry first) is the one the
release posts in, so the proposal does not keep a second copy of first-expiry-first-out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import selectinload

from logistics.emergency.request_models import (
    OPEN_STATUSES,
    RequestLine,
    RequestStatus,
    StockRequest,
)
from logistics.stock.ledger_tables import StockBalance
from logistics.stock.models import Lot, Warehouse
from logistics.stock.queries import lots_on_hand

EARTH_RADIUS_KM = 6371.0088
SOURCES_PER_LINE = 5


def km_between(a, b) -> float | None:
    """Great-circle distance of two (longitude, latitude) points; None when one is unknown."""
    if a is None or b is None:
        return None
    lon1, lat1, lon2, lat2 = map(math.radians, (a.x, a.y, b.x, b.y))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _with_lines(query):
    return query.options(selectinload(StockRequest.lines).selectinload(RequestLine.item),
                         selectinload(StockRequest.posko))


def list_requests(session, *, event_id: int | None = None, posko_id: int | None = None,
                  status: str | None = None, after: int | None = None,
                  limit: int = 50) -> list[StockRequest]:
    """Requests newest first; ``after`` is the last id of the previous page."""
    query = _with_lines(select(StockRequest)).order_by(StockRequest.id.desc()).limit(limit)
    if event_id is not None:
        query = query.where(StockRequest.event_id == event_id)
    if posko_id is not None:
        query = query.where(StockRequest.posko_id == posko_id)
    if status is not None:
        query = query.where(StockRequest.status == status)
    if after is not None:
        query = query.where(StockRequest.id < after)
    return list(session.scalars(query))


def queue(session, *, event_id: int | None = None, limit: int = 200) -> list[StockRequest]:
    """The coordinator's queue: requests waiting for a decision first, then those approved and
    not yet delivered in full; within each, the one needed soonest first."""
    query = (_with_lines(select(StockRequest))
             .where(StockRequest.status.in_(OPEN_STATUSES))
             .order_by(case((StockRequest.status == RequestStatus.SUBMITTED, 0), else_=1),
                       StockRequest.needed_by.is_(None), StockRequest.needed_by,
                       StockRequest.id)
             .limit(limit))
    if event_id is not None:
        query = query.where(StockRequest.event_id == event_id)
    return list(session.scalars(query))


@dataclass
class UnmetLine:
    line: RequestLine
    request: StockRequest
    missing: int  # approved and not delivered, or asked and not yet decided
    undecided: bool


def unmet_lines(session, event_id: int) -> list[UnmetLine]:
    """What the event's posko still wait for: approved minus delivered, plus what was asked
    and not yet decided; the line needed soonest first."""
    rows = session.execute(
        select(RequestLine, StockRequest).join(StockRequest)
        .options(selectinload(RequestLine.item), selectinload(StockRequest.posko))
        .where(StockRequest.event_id == event_id,
               or_(StockRequest.status == RequestStatus.SUBMITTED,
                   (StockRequest.status.in_([RequestStatus.APPROVED,
                                             RequestStatus.PARTLY_FULFILLED]))
                   & (RequestLine.fulfilled_qty < RequestLine.approved_qty)))
        .order_by(RequestLine.needed_by.is_(None), RequestLine.needed_by, StockRequest.id,
                  RequestLine.position))
    found = []
    for line, request in rows:
        undecided = request.status == RequestStatus.SUBMITTED
        found.append(UnmetLine(line=line, request=request, undecided=undecided,
                               missing=line.qty if undecided else line.open_qty))
    return found


@dataclass
class Source:
    """One warehouse that holds unexpired stock of a line's item, and the lots it would give."""

    warehouse: Warehouse
    km: float | None
    available: int
    lots: list[tuple[Lot, int]] = field(default_factory=list)  # (lot, qty), first expiry first

    @property
    def takes(self) -> int:
        return sum(qty for _, qty in self.lots)


@dataclass
class LineProposal:
    line: RequestLine
    open: int
    sources: list[Source]


@dataclass
class WarehouseChoice:
    warehouse: Warehouse
    km: float | None
    lines_held: int  # open lines it holds some of
    lines_covered: int  # open lines it holds all of


@dataclass
class Proposal:
    request: StockRequest
    lines: list[LineProposal]
    warehouses: list[WarehouseChoice]

    def source(self, line_id: int, warehouse_id: int) -> Source | None:
        for proposal in self.lines:
            if proposal.line.id == line_id:
                return next((s for s in proposal.sources if s.warehouse.id == warehouse_id),
                            None)
        return None


def usable_stock(session, item_ids, today: date) -> dict[tuple[int, int], int]:
    """(warehouse id, item id) -> unexpired quantity on the shelves of open warehouses."""
    if not item_ids:
        return {}
    rows = session.execute(
        select(StockBalance.warehouse_id, StockBalance.item_id, func.sum(StockBalance.qty))
        .join(Lot, Lot.id == StockBalance.lot_id)
        .join(Warehouse, Warehouse.id == StockBalance.warehouse_id)
        .where(StockBalance.item_id.in_(set(item_ids)), StockBalance.qty > 0,
               StockBalance.is_in_transit.is_(False), Warehouse.is_active.is_(True),
               or_(Lot.expires_on.is_(None), Lot.expires_on >= today))
        .group_by(StockBalance.warehouse_id, StockBalance.item_id))
    return {(warehouse_id, item_id): qty for warehouse_id, item_id, qty in rows}


def propose_fulfilment(session, request: StockRequest, today: date) -> Proposal:
    """For each open line, the nearest warehouses holding unexpired stock of its item (by
    distance from the posko; warehouses without a location last) and the lots a release from
    there would take, first expiry first. Two lines of one item are not offered the same
    units twice."""
    open_lines = [line for line in request.lines if line.open_qty > 0]
    stock = usable_stock(session, {line.item_id for line in open_lines}, today)
    warehouses = {w.id: w for w in session.scalars(
        select(Warehouse).where(Warehouse.id.in_({wid for wid, _ in stock})))}
    point = request.posko.point
    distance = {wid: km_between(point, w.location) for wid, w in warehouses.items()}

    def nearest(wid):
        km = distance[wid]
        return (km is None, km or 0.0, warehouses[wid].name, wid)

    proposals, left = [], {}  # (warehouse id, lot id) -> what earlier lines left of the lot
    for line in open_lines:
        held = sorted((wid for wid, item_id in stock if item_id == line.item_id), key=nearest)
        sources = []
        for wid in held[:SOURCES_PER_LINE]:
            source = Source(warehouses[wid], distance[wid], stock[(wid, line.item_id)])
            wanted = line.open_qty
            for balance, lot in lots_on_hand(session, wid, line.item_id):
                if wanted <= 0:
                    break
                if lot.is_expired(today):
                    continue
                take = min(left.get((wid, lot.id), balance.qty), wanted)
                if take > 0:
                    source.lots.append((lot, take))
                    left[(wid, lot.id)] = left.get((wid, lot.id), balance.qty) - take
                    wanted -= take
            sources.append(source)
        proposals.append(LineProposal(line, line.open_qty, sources))
    choices = []
    for wid in sorted(warehouses, key=nearest):
        held = [p for p in proposals if (wid, p.line.item_id) in stock]
        covered = [p for p in held if stock[(wid, p.line.item_id)] >= p.open]
        choices.append(WarehouseChoice(warehouses[wid], distance[wid], len(held), len(covered)))
    return Proposal(request, proposals, choices)
