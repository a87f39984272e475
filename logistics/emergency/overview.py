"""An event's needs at a glance: who is affected, who shelters where, what Sphere says they
need, what was delivered and what the warehouses still hold.

Queries only (no HTTP). Everything an event's overview shows comes from a fixed number of
grouped queries, whatever the number of posko, and the arithmetic is `needs.needs_of`.

Decisions, so a reader of the numbers knows what they mean:
- **Needed** is for a horizon of ``days`` ahead, 7 by default (``DEFAULT_DAYS``): what the
  people sheltering now need for the coming week. A coordinator plans the next releases, not
  the past ones; "days of cover" answers how long what was sent lasts.
- **Delivered** is every release to the posko since the event began, net of reversals. No
  consumption is recorded at a posko, so "missing" (needed minus delivered) is a lower bound
  once the first deliveries have been eaten; days of cover is the figure to trust.
- **Population** is each posko's latest census (by ``counted_at``, then id). Posko closed
  before today count for nothing in the event: neither their people nor what they received.
- **Available** is what the active warehouses hold on the shelf: not in transit, not expired.
- A standard's **main item** is its first supplying item (lowest id): amounts are also given
  in that item's units, as a coordinator orders them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, Decimal

from sqlalchemy import and_, case, func, or_, select, union_all

from logistics.emergency.assessment_models import (
    HouseholdAssessment,
    HouseholdMember,
    RapidAssessment,
)
from logistics.emergency.lookups import event_or_fail, posko_or_fail
from logistics.emergency.models import Census, Event, Posko
from logistics.emergency.needs import (
    ZERO,
    Coverage,
    Group,
    Population,
    Standard,
    Supply,
    capacity,
    needs_of,
)
from logistics.emergency.request_models import PoskoDelivery
from logistics.emergency.standards import standards_in_force, supplies_in_force
from logistics.regions.models import Region
from logistics.stock.documents import Document
from logistics.stock.ledger_tables import Movement, StockBalance
from logistics.stock.models import Item, Lot, Warehouse

DEFAULT_DAYS = 7
MAX_DAYS = 365
LOW_COVER_DAYS = 3  # fewer days of cover than this shows red
COVERED_SPACE, FOOD, WATER = "covered_space", "food_energy", "water"


# --- what the queries return ------------------------------------------------------------------

@dataclass(frozen=True)
class MainItem:
    id: int
    code: str
    name_id: str
    name_en: str
    base_unit: str
    content: Decimal  # of the standard's measure in one base unit

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_id

    def units(self, amount: Decimal | None) -> int | None:
        """``amount`` of the measure in whole units of this item, rounded up."""
        if amount is None:
            return None
        return int((amount / self.content).to_integral_value(rounding=ROUND_CEILING))


@dataclass
class NeedLine:
    """One standard's needed / delivered / available / missing, in its measure and items."""

    coverage: Coverage
    main_item: MainItem | None

    @property
    def standard(self) -> Standard:
        return self.coverage.standard

    @property
    def code(self) -> str:
        return self.standard.code

    def units(self, amount: Decimal) -> int | None:
        return self.main_item.units(amount) if self.main_item else None

    @property
    def is_low(self) -> bool:
        """Short of LOW_COVER_DAYS of delivered cover, for what is used day by day."""
        days = self.coverage.days_delivered
        return days is not None and days < LOW_COVER_DAYS


@dataclass
class PoskoNeeds:
    id: int
    code: str
    name: str
    kind: str
    desa_name: str | None
    covered_m2: int | None
    opened_on: date
    closed_on: date | None
    counted_at: object | None  # the latest census's moment, None before the first census
    population: Population
    capacity: int | None  # persons its covered area shelters at the covered-space standard
    lines: list[NeedLine] = field(default_factory=list)

    @property
    def persons(self) -> int:
        return self.population.persons

    @property
    def over_capacity(self) -> bool:
        return self.capacity is not None and self.persons > self.capacity

    def line(self, code: str) -> NeedLine | None:
        return next((line for line in self.lines if line.code == code), None)


@dataclass
class Affected:
    """Totals of the latest rapid assessment of each desa, and the households assessed."""

    desa_assessed: int = 0
    dead: int = 0
    missing: int = 0
    injured: int = 0
    displaced: int = 0
    houses_light: int = 0
    houses_moderate: int = 0
    houses_heavy: int = 0
    facilities_damaged: int = 0
    desa_access_cut: int = 0
    households: int = 0
    members: int = 0


@dataclass
class EventNeeds:
    event: Event
    today: date
    days: int
    population: Population
    lines: list[NeedLine]
    posko: list[PoskoNeeds]  # open posko, by code
    affected: Affected


# --- the queries ------------------------------------------------------------------------------

def _latest_census_rows(session, posko_ids) -> dict[int, Census]:
    """The latest census of each posko (by counted_at, then id), in one query.

    Private on purpose: census.py (another module) may later offer the same; swap it in here.
    """
    if not posko_ids:
        return {}
    ranked = (select(Census.id, func.row_number().over(
        partition_by=Census.posko_id, order_by=(Census.counted_at.desc(), Census.id.desc()))
        .label("rank")).where(Census.posko_id.in_(posko_ids)).subquery())
    rows = session.scalars(select(Census).join(ranked, ranked.c.id == Census.id)
                           .where(ranked.c.rank == 1))
    return {row.posko_id: row for row in rows}


def _population(census: Census | None) -> Population:
    if census is None:
        return ZERO
    return Population(persons=census.male + census.female, households=census.households,
                      under_five=census.under_five, pregnant=census.pregnant,
                      breastfeeding=census.breastfeeding, elderly=census.elderly,
                      disabled=census.disabled)


def delivered_per_posko(session, posko_ids) -> dict[int, dict[int, int]]:
    """Units of each item released to each posko, net of reversed releases: one query.

    A release's ledger lines are negative (stock left the warehouse); its reversal's lines
    are positive, so the sum of both, negated, is what stayed delivered.
    """
    if not posko_ids:
        return {}
    released = (select(PoskoDelivery.posko_id, Movement.item_id, Movement.qty)
                .join(Movement, Movement.document_id == PoskoDelivery.document_id)
                .where(PoskoDelivery.posko_id.in_(posko_ids)))
    reversed_ = (select(PoskoDelivery.posko_id, Movement.item_id, Movement.qty)
                 .join(Document, Document.reverses_id == PoskoDelivery.document_id)
                 .join(Movement, Movement.document_id == Document.id)
                 .where(PoskoDelivery.posko_id.in_(posko_ids)))
    lines = union_all(released, reversed_).subquery()
    result: dict[int, dict[int, int]] = defaultdict(dict)
    for posko_id, item_id, qty in session.execute(
            select(lines.c.posko_id, lines.c.item_id, -func.sum(lines.c.qty))
            .group_by(lines.c.posko_id, lines.c.item_id)):
        if qty:
            result[posko_id][item_id] = int(qty)
    return result


def available_per_item(session, today: date) -> dict[int, int]:
    """Units of each item on the shelves of active warehouses: unexpired, not in transit."""
    rows = session.execute(
        select(StockBalance.item_id, func.sum(StockBalance.qty))
        .join(Lot, Lot.id == StockBalance.lot_id)
        .join(Warehouse, Warehouse.id == StockBalance.warehouse_id)
        .where(StockBalance.is_in_transit.is_(False), StockBalance.qty > 0,
               Warehouse.is_active.is_(True),
               or_(Lot.expires_on.is_(None), Lot.expires_on >= today))
        .group_by(StockBalance.item_id))
    return {item_id: int(qty) for item_id, qty in rows}


def affected(session, event_id: int) -> Affected:
    """The latest rapid assessment of each desa, summed, and the households assessed."""
    ranked = (select(RapidAssessment.id, func.row_number().over(
        partition_by=RapidAssessment.desa_code,
        order_by=(RapidAssessment.assessed_on.desc(), RapidAssessment.id.desc())).label("rank"))
        .where(RapidAssessment.event_id == event_id).subquery())
    counted = (RapidAssessment.dead, RapidAssessment.missing, RapidAssessment.injured,
               RapidAssessment.displaced, RapidAssessment.houses_light,
               RapidAssessment.houses_moderate, RapidAssessment.houses_heavy,
               RapidAssessment.facilities_damaged)
    row = session.execute(
        select(func.count(RapidAssessment.id), *(func.coalesce(func.sum(c), 0) for c in counted),
               func.coalesce(func.sum(case((RapidAssessment.access_cut, 1), else_=0)), 0))
        .join(ranked, and_(ranked.c.id == RapidAssessment.id, ranked.c.rank == 1))).one()
    households = (select(HouseholdAssessment.id)
                  .where(HouseholdAssessment.event_id == event_id).subquery())
    members = (select(func.count(HouseholdMember.id))
               .join(households, households.c.id == HouseholdMember.household_id)
               .scalar_subquery())
    count_households, count_members = session.execute(
        select(select(func.count()).select_from(households).scalar_subquery(),
               members)).one()
    return Affected(row[0], *(int(value) for value in row[1:9]), int(row[9]),
                    households=count_households or 0, members=count_members or 0)


def _main_items(session, supplies: dict[str, list[Supply]]) -> dict[str, MainItem]:
    firsts = {code: min(found, key=lambda supply: supply.item_id)
              for code, found in supplies.items() if found}
    items = {item.id: item for item in session.execute(
        select(Item.id, Item.code, Item.name_id, Item.name_en, Item.base_unit)
        .where(Item.id.in_({supply.item_id for supply in firsts.values()})))}
    return {code: MainItem(*items[supply.item_id], content=supply.content)
            for code, supply in firsts.items() if supply.item_id in items}


@dataclass
class _Table:
    """The standards in force with their supplies and main items: read once per page."""

    standards: list[Standard]
    supplies: dict[str, list[Supply]]
    main_items: dict[str, MainItem]

    @classmethod
    def read(cls, session) -> _Table:
        standards, supplies = standards_in_force(session), supplies_in_force(session)
        return cls(standards, supplies, _main_items(session, supplies))

    def lines(self, population: Population, days: int, delivered, available) -> list[NeedLine]:
        return [NeedLine(coverage, self.main_items.get(coverage.standard.code))
                for coverage in needs_of(population, days, self.standards, self.supplies,
                                         delivered=delivered, available=available)]

    def capacity(self, covered_m2: int | None) -> int | None:
        space = next((s for s in self.standards if s.code == COVERED_SPACE), None)
        if covered_m2 is None or (space is not None and space.group is not Group.PERSONS):
            return None
        return capacity(Decimal(covered_m2), space)


def _posko_rows(session, where) -> list[tuple[Posko, str | None]]:
    return list(session.execute(select(Posko, Region.name)
                                .outerjoin(Region, Region.code == Posko.desa_code)
                                .where(where).order_by(Posko.code)))


def _posko_needs(posko: Posko, desa_name, census, table: _Table) -> PoskoNeeds:
    return PoskoNeeds(posko.id, posko.code, posko.name, posko.kind, desa_name,
                      posko.covered_m2, posko.opened_on, posko.closed_on,
                      census.counted_at if census else None, _population(census),
                      table.capacity(posko.covered_m2))


def is_open(posko: Posko, today: date) -> bool:
    """Counted in the event: not closed before today (one opened later is planned for)."""
    return posko.closed_on is None or posko.closed_on >= today


def event_needs(session, event_id: int, *, today: date, days: int = DEFAULT_DAYS) -> EventNeeds:
    """The event's population, needs, deliveries and stock, in total and per open posko."""
    event = event_or_fail(session, event_id)
    found = [(posko, name) for posko, name in _posko_rows(session, Posko.event_id == event.id)
             if is_open(posko, today)]
    ids = [posko.id for posko, _ in found]
    censuses = _latest_census_rows(session, ids)
    delivered = delivered_per_posko(session, ids)
    available = available_per_item(session, today)
    table = _Table.read(session)
    posko = []
    for row, desa_name in found:
        entry = _posko_needs(row, desa_name, censuses.get(row.id), table)
        entry.lines = table.lines(entry.population, days, delivered.get(row.id, {}), available)
        posko.append(entry)
    population = sum((entry.population for entry in posko), ZERO)
    total: dict[int, int] = defaultdict(int)
    for per_item in delivered.values():
        for item_id, qty in per_item.items():
            total[item_id] += qty
    return EventNeeds(event, today, days, population,
                      table.lines(population, days, total, available), posko,
                      affected(session, event.id))


def posko_needs(session, posko_id: int, *, today: date,
                days: int = DEFAULT_DAYS) -> tuple[PoskoNeeds, Event]:
    """One posko's population and needs (a closed posko still shows what it last had)."""
    posko = posko_or_fail(session, posko_id)
    (row, desa_name), = _posko_rows(session, Posko.id == posko.id)
    census = _latest_census_rows(session, [posko.id]).get(posko.id)
    table = _Table.read(session)
    entry = _posko_needs(row, desa_name, census, table)
    entry.lines = table.lines(entry.population, days,
                              delivered_per_posko(session, [posko.id]).get(posko.id, {}),
                              available_per_item(session, today))
    return entry, posko.event

