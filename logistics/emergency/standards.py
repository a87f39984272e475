"""The needs standards in force: an admin-editable table, Sphere's minimums until edited.

`needs.SPHERE_DEFAULTS` only seeds the table; a kabupaten that adopts a stricter norm edits
the rows, and every calculation reads them from here. Which catalogue items meet a standard
(and how much of its measure one unit holds) is data too: `NeedSupply`, plus each food item's
``kcal_per_unit`` for food energy, so a new rice brand counts without a code change.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, select
from sqlalchemy.orm import Mapped, mapped_column

from logistics.db import Base, one_of
from logistics.emergency.needs import SPHERE_DEFAULTS, Group, Per, Standard, Supply
from logistics.stock.models import Item

FOOD_ENERGY = "food_energy"

# Which demo catalogue items meet which standard, by item code and content per unit. Seeded
# beside the standards; an item code missing from the catalogue is skipped.
DEFAULT_SUPPLIES: dict[str, tuple[tuple[str, Decimal], ...]] = {
    "blanket": (("SLM", Decimal(1)),),
    "sleeping_mat": (("MTR", Decimal(1)),),
    "clothing": (("SDG", Decimal(1)),),
    "hygiene_kit": (("HYK", Decimal(1)),),
    "family_kit": (("FKT", Decimal(1)),),
    "child_food": (("MKA", Decimal(1)),),
    "kids_ware": (("KDW", Decimal(1)),),
}


class NeedStandard(Base):
    __tablename__ = "need_standards"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_pos"),
        CheckConstraint(one_of("population_group", Group), name="group_known"),
        CheckConstraint(one_of("per", Per), name="per_known"),
    )

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 3))
    measure: Mapped[str] = mapped_column(String(20))
    population_group: Mapped[str] = mapped_column(String(20))
    per: Mapped[str] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(default=0)

    def as_standard(self) -> Standard:
        return Standard(self.code, Decimal(self.amount), self.measure,
                        Group(self.population_group), Per(self.per))


class NeedSupply(Base):
    __tablename__ = "need_supplies"
    __table_args__ = (CheckConstraint("content > 0", name="content_pos"),)

    standard_code: Mapped[str] = mapped_column(ForeignKey("need_standards.code"),
                                               primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), primary_key=True)
    content: Mapped[Decimal] = mapped_column(Numeric(12, 3))


def standards_in_force(session) -> list[Standard]:
    """The edited table, or Sphere's defaults while nobody has written one."""
    rows = session.scalars(select(NeedStandard).order_by(NeedStandard.position,
                                                         NeedStandard.code)).all()
    return [row.as_standard() for row in rows] or list(SPHERE_DEFAULTS)


def supplies_in_force(session) -> dict[str, list[Supply]]:
    """Per standard code, the items meeting it; food energy from each item's kcal."""
    result: dict[str, list[Supply]] = {}
    for row in session.scalars(select(NeedSupply).order_by(NeedSupply.standard_code,
                                                           NeedSupply.item_id)):
        result.setdefault(row.standard_code, []).append(Supply(row.item_id,
                                                               Decimal(row.content)))
    if FOOD_ENERGY not in result:
        result[FOOD_ENERGY] = [Supply(item_id, Decimal(kcal)) for item_id, kcal in session.execute(
            select(Item.id, Item.kcal_per_unit).where(Item.kcal_per_unit > 0,
                                                      Item.is_active).order_by(Item.id))]
    if not session.scalar(select(NeedSupply.item_id).limit(1)):
        result.update(_default_supplies(session, skip=set(result)))
    return result


def seed_defaults(session) -> None:
    """Write Sphere's table and the default supplies, for an admin to edit from there."""
    if session.scalar(select(NeedStandard.code).limit(1)) is None:
        for position, standard in enumerate(SPHERE_DEFAULTS):
            session.add(NeedStandard(code=standard.code, amount=standard.amount,
                                     measure=standard.measure,
                                     population_group=standard.group.value,
                                     per=standard.per.value, position=position))
        session.flush()
    if session.scalar(select(NeedSupply.item_id).limit(1)) is None:
        for code, supplies in _default_supplies(session, skip=set()).items():
            for supply in supplies:
                session.add(NeedSupply(standard_code=code, item_id=supply.item_id,
                                       content=supply.content))
        session.flush()


def _default_supplies(session, *, skip: set[str]) -> dict[str, list[Supply]]:
    ids = dict(session.execute(select(Item.code, Item.id).where(
        Item.code.in_([code for pairs in DEFAULT_SUPPLIES.values() for code, _ in pairs]))).all())
    return {standard: [Supply(ids[code], content) for code, content in pairs if code in ids]
            for standard, pairs in DEFAULT_SUPPLIES.items() if standard not in skip}
