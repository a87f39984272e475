"""An admin edits the needs standards: amounts, whom they count, how they accrue, and the
catalogue items that meet each one.

The first save writes Sphere's table (`standards.seed_defaults`) and then the edits, in one
savepoint: a bad row refuses the whole save and leaves the table as it was.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import delete, select

from logistics.accounts.roles import Permission
from logistics.core.atomic import all_or_nothing
from logistics.emergency.standard_labels import STANDARD_LABELS
from logistics.emergency.standards import (
    FOOD_ENERGY,
    NeedStandard,
    NeedSupply,
    seed_defaults,
    standards_in_force,
    supplies_in_force,
)
from logistics.errors import InvalidInput, PermissionDenied
from logistics.i18n import N_
from logistics.stock.models import Item


class UnknownStandard(InvalidInput):
    message = N_("%(code)s is not a needs standard.")


class StandardTwice(InvalidInput):
    message = N_("Standard %(code)s is given twice.")


class UnknownSupplyItem(InvalidInput):
    message = N_("Not an item of the catalogue in use.")


class SupplyItemTwice(InvalidInput):
    message = N_("This item is already listed for this standard.")


@all_or_nothing
def set_standards(session, *, actor, standards: list[dict]) -> list[NeedStandard]:
    """Set the named standards (each ``code, amount, group, per, supplies``); the others
    keep their rows. A standard's supplies are replaced by the list given."""
    if not actor.can(Permission.MANAGE_STANDARDS):
        raise PermissionDenied()
    _check(session, standards)
    seed_defaults(session)
    rows = {row.code: row for row in session.scalars(select(NeedStandard))}
    kcal = _catalogue_kcal(session)
    for entry in standards:
        row = rows[entry["code"]]
        row.amount, row.population_group, row.per = (entry["amount"], str(entry["group"]),
                                                     str(entry["per"]))
        session.execute(delete(NeedSupply).where(NeedSupply.standard_code == row.code))
        supplies = {supply["item_id"]: supply["content"] for supply in entry["supplies"]}
        if row.code == FOOD_ENERGY and supplies == kcal:
            continue  # as the catalogue says: a new rice brand keeps counting by its kcal
        session.add_all(NeedSupply(standard_code=row.code, item_id=item_id, content=content)
                        for item_id, content in supplies.items())
    session.flush()
    return sorted(rows.values(), key=lambda row: (row.position, row.code))


def _check(session, standards: list[dict]) -> None:
    seen: set[str] = set()
    named = {supply["item_id"] for entry in standards for supply in entry["supplies"]}
    active = set(session.scalars(select(Item.id).where(Item.id.in_(named),
                                                       Item.is_active.is_(True))))
    for index, entry in enumerate(standards):
        code = entry["code"]
        if code not in STANDARD_LABELS:
            raise UnknownStandard(code=code, field=f"standards.{index}.code")
        if code in seen:
            raise StandardTwice(code=code, field=f"standards.{index}.code")
        seen.add(code)
        items: set[int] = set()
        for position, supply in enumerate(entry["supplies"]):
            field = f"standards.{index}.supplies.{position}.item_id"
            if supply["item_id"] not in active:
                raise UnknownSupplyItem(field=field)
            if supply["item_id"] in items:
                raise SupplyItemTwice(field=field)
            items.add(supply["item_id"])


def _catalogue_kcal(session) -> dict[int, Decimal]:
    return {item_id: Decimal(kcal) for item_id, kcal in session.execute(
        select(Item.id, Item.kcal_per_unit).where(Item.kcal_per_unit > 0, Item.is_active))}


def standards_table(session) -> list[dict]:
    """The standards in force with the items meeting each (code, unit, names, content)."""
    standards, supplies = standards_in_force(session), supplies_in_force(session)
    named = {supply.item_id for found in supplies.values() for supply in found}
    items = {row.id: row for row in session.execute(
        select(Item.id, Item.code, Item.base_unit, Item.name_id, Item.name_en)
        .where(Item.id.in_(named)))}
    return [{"code": standard.code, "amount": standard.amount, "measure": standard.measure,
             "group": str(standard.group), "per": str(standard.per),
             "supplies": [{"item_id": supply.item_id, "item_code": items[supply.item_id].code,
                           "base_unit": items[supply.item_id].base_unit,
                           "name_id": items[supply.item_id].name_id,
                           "name_en": items[supply.item_id].name_en,
                           "content": supply.content}
                          for supply in supplies.get(standard.code, ())
                          if supply.item_id in items]}
            for standard in standards]
