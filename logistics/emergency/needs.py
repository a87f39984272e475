"""What a population needs by Sphere's minimums, and how far what was delivered covers it.

Pure functions over plain values: no database, no catalogue lookups. The standards are data
(`Standard` rows an admin may edit, `SPHERE_DEFAULTS` the starting table), never constants
buried in a calculation, because a kabupaten may adopt a stricter local norm. Amounts are
`Decimal` so 3.5 m² or 0.25 kg stay exact; whole units are always rounded up, as a half
blanket helps nobody.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from enum import StrEnum

DAYS_PER_MONTH = 30


class Group(StrEnum):
    """Whom a standard counts: every person, every household, or one vulnerable group."""

    PERSONS = "persons"
    HOUSEHOLDS = "households"
    UNDER_FIVE = "under_five"
    PREGNANT = "pregnant"
    BREASTFEEDING = "breastfeeding"
    ELDERLY = "elderly"
    DISABLED = "disabled"


class Per(StrEnum):
    """How a standard's amount accrues: each day, each (started) month, once, or one unit for
    every ``amount`` people (a water point per 250 people)."""

    DAY = "day"
    MONTH = "month"
    ONCE = "once"
    RATIO = "ratio"


@dataclass(frozen=True)
class Standard:
    code: str
    amount: Decimal
    measure: str  # kcal, litre, m2, piece, kit, point...
    group: Group = Group.PERSONS
    per: Per = Per.DAY


@dataclass(frozen=True)
class Population:
    """One census: persons and households, and the vulnerable groups among the persons."""

    persons: int
    households: int = 0
    under_five: int = 0
    pregnant: int = 0
    breastfeeding: int = 0
    elderly: int = 0
    disabled: int = 0

    def __post_init__(self):
        counts = {group: self.count(group) for group in Group}
        if any(count < 0 for count in counts.values()):
            raise ValueError("counts cannot be negative")
        if any(counts[group] > self.persons for group in Group if group != Group.HOUSEHOLDS):
            raise ValueError("a group cannot be larger than the persons counted")
        if self.households > self.persons:
            raise ValueError("more households than persons")

    def count(self, group: Group) -> int:
        return getattr(self, group.value)

    def __add__(self, other: Population) -> Population:
        return Population(**{group.value: self.count(group) + other.count(group)
                             for group in Group})


ZERO = Population(persons=0)

# Sphere Handbook 2018 minimums, and the Kemensos buffer items they are met with. An admin's
# edited table replaces this one; it only seeds it.
SPHERE_DEFAULTS: tuple[Standard, ...] = (
    Standard("food_energy", Decimal(2100), "kcal"),
    Standard("water", Decimal(15), "litre"),
    Standard("covered_space", Decimal("3.5"), "m2", per=Per.ONCE),
    Standard("blanket", Decimal(1), "piece", per=Per.ONCE),
    Standard("sleeping_mat", Decimal(1), "piece", per=Per.ONCE),
    Standard("clothing", Decimal(1), "set", per=Per.ONCE),
    Standard("soap", Decimal(250), "gram", per=Per.MONTH),
    Standard("hygiene_kit", Decimal(1), "kit", Group.HOUSEHOLDS, Per.MONTH),
    Standard("family_kit", Decimal(1), "kit", Group.HOUSEHOLDS, Per.ONCE),
    Standard("child_food", Decimal(2), "pack", Group.UNDER_FIVE),
    Standard("kids_ware", Decimal(1), "kit", Group.UNDER_FIVE, Per.ONCE),
    Standard("water_point", Decimal(250), "point", per=Per.RATIO),
    Standard("latrine", Decimal(20), "latrine", per=Per.RATIO),
)


def required(standard: Standard, population: Population, days: int) -> Decimal:
    """How much of ``standard``'s measure ``population`` needs over ``days`` days."""
    if days < 0:
        raise ValueError("days cannot be negative")
    count = population.count(standard.group)
    if standard.per is Per.DAY:
        return standard.amount * count * days
    if standard.per is Per.MONTH:
        months = -(-days // DAYS_PER_MONTH)  # a started month is a month
        return standard.amount * count * months
    if standard.per is Per.ONCE:
        return standard.amount * count
    return _ceil(Decimal(count) / standard.amount)


def daily(standard: Standard, population: Population) -> Decimal | None:
    """One day's need, for days of cover; None for what is not consumed day by day."""
    if standard.per is Per.DAY:
        return standard.amount * population.count(standard.group)
    if standard.per is Per.MONTH:
        return standard.amount * population.count(standard.group) / DAYS_PER_MONTH
    return None


@dataclass(frozen=True)
class Supply:
    """A catalogue item that meets a standard, and how much of its measure one unit holds
    (rice: 3,600 kcal per kg; a blanket: 1 piece per lembar)."""

    item_id: int
    content: Decimal


@dataclass
class Coverage:
    """Needed, delivered and available for one standard, in its measure and per item."""

    standard: Standard
    needed: Decimal
    delivered: Decimal
    available: Decimal
    units_needed: dict[int, int] = field(default_factory=dict)  # item -> units if it alone met it
    days_delivered: Decimal | None = None
    days_available: Decimal | None = None

    @property
    def missing(self) -> Decimal:
        return max(Decimal(0), self.needed - self.delivered)


def coverage(standard: Standard, population: Population, days: int,
             supplies: Iterable[Supply], *, delivered: Mapping[int, int] | None = None,
             available: Mapping[int, int] | None = None) -> Coverage:
    """Needed vs delivered vs still in the warehouses for one standard: ``delivered`` and
    ``available`` are units per item id, counted through each item's content; days of cover
    say how long each lasts this population at the standard's daily rate."""
    supplies = list(supplies)
    delivered, available = delivered or {}, available or {}
    needed = required(standard, population, days)

    def measured(units: Mapping[int, int]) -> Decimal:
        return sum((supply.content * units.get(supply.item_id, 0) for supply in supplies),
                   Decimal(0))

    result = Coverage(standard, needed, measured(delivered), measured(available), {
        supply.item_id: int(_ceil(needed / supply.content))
        for supply in supplies if supply.content > 0})
    per_day = daily(standard, population)
    if per_day:
        result.days_delivered = result.delivered / per_day
        result.days_available = result.available / per_day
    return result


def needs_of(population: Population, days: int, standards: Iterable[Standard],
             supplies: Mapping[str, Iterable[Supply]], **stock) -> list[Coverage]:
    """`coverage` for each standard, with the supplies mapped to its code."""
    return [coverage(standard, population, days, supplies.get(standard.code, ()), **stock)
            for standard in standards]


def capacity(covered_m2: Decimal, standard: Standard | None = None) -> int:
    """People a shelter of ``covered_m2`` houses at the covered-space standard (3.5 m² each)."""
    per_person = standard.amount if standard else Decimal("3.5")
    return int(Decimal(covered_m2) // per_person)


def _ceil(value: Decimal) -> Decimal:
    return value.to_integral_value(rounding=ROUND_CEILING)
