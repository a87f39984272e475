"""Set up what stock lives in: warehouses, their keepers, the item catalogue, minimum levels."""

from __future__ import annotations

from shapely.geometry import Point
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from logistics.accounts.models import User
from logistics.accounts.roles import Role
from logistics.core.bulk import insert_many
from logistics.errors import InvalidInput
from logistics.i18n import N_
from logistics.regions.models import Level, Region
from logistics.stock.errors import DuplicateCode
from logistics.stock.models import Item, ItemPack, MinimumLevel, Warehouse


def create_warehouse(session, *, code, name, kind, region_code, desa_code=None, address=None,
                     lat=None, lon=None, capacity_note=None) -> Warehouse:
    """Open a warehouse in a kecamatan (a central warehouse may sit in any kecamatan too)."""
    region = session.get(Region, region_code)
    if region is None or region.level != Level.KECAMATAN:
        raise InvalidInput(N_("Choose a kecamatan."), field="region_code")
    if desa_code is not None:
        desa = session.get(Region, desa_code)
        if desa is None or desa.parent_code != region_code:
            raise InvalidInput(N_("Choose a desa in that kecamatan."), field="desa_code")
    location = Point(lon, lat) if lat is not None and lon is not None else None
    warehouse = Warehouse(code=code.strip().upper(), name=name.strip(), kind=kind,
                          region_code=region_code, desa_code=desa_code, address=address,
                          location=location, capacity_note=capacity_note)
    _add_unique(session, warehouse, code=warehouse.code)
    return warehouse


def set_warehouse_active(session, warehouse: Warehouse, is_active: bool) -> None:
    warehouse.is_active = is_active
    session.flush()


def assign_keeper(session, warehouse: Warehouse, user: User) -> None:
    """Let a warehouse keeper post in this warehouse (in addition to any others they keep)."""
    if user.role != Role.WAREHOUSE_KEEPER:
        raise InvalidInput(N_("Only warehouse keepers can be assigned to a warehouse."),
                           field="user_id")
    if user not in warehouse.keepers:
        warehouse.keepers.append(user)
    session.flush()


def unassign_keeper(session, warehouse: Warehouse, user: User) -> None:
    if user in warehouse.keepers:
        warehouse.keepers.remove(user)
    session.flush()


def create_item(session, *, code, name_id, name_en, category, base_unit, is_perishable=False,
                shelf_life_days=None, kcal_per_unit=None, packs=()) -> Item:
    """Add an item to the catalogue; ``packs`` are (name, base quantity) pairs."""
    fields = _item_fields(code=code, name_id=name_id, name_en=name_en, category=category,
                          base_unit=base_unit, is_perishable=is_perishable,
                          shelf_life_days=shelf_life_days, kcal_per_unit=kcal_per_unit)
    item = Item(**fields, packs=[ItemPack(name=name, base_qty=qty) for name, qty in packs])
    _add_unique(session, item, code=item.code)
    return item


def create_items(session, items: list[dict]) -> None:
    """Add many items, each given as `create_item`'s arguments, in a few statements (a
    catalogue sheet of thousands); a code someone else took meanwhile is DuplicateCode."""
    rows = [(_item_fields(**{name: value for name, value in item.items() if name != "packs"}),
             item.get("packs") or ()) for item in items]
    table = Item.__table__

    def skip_taken_codes(statement):
        return statement.on_conflict_do_nothing(index_elements=["code"]).returning(
            table.c.id, table.c.code)

    created = insert_many(session, table, [{"is_active": True, **fields} for fields, _ in rows],
                          skip_taken_codes)
    ids = {code: item_id for item_id, code in created or ()}
    for fields, _ in rows:
        if fields["code"] not in ids:
            raise DuplicateCode(code=fields["code"], field="code")
    insert_many(session, ItemPack.__table__, [
        {"item_id": ids[fields["code"]], "name": name, "base_qty": qty}
        for fields, packs in rows for name, qty in packs])


def _item_fields(*, code, name_id, name_en, category, base_unit, is_perishable=False,
                 shelf_life_days=None, kcal_per_unit=None) -> dict:
    return {"code": code.strip().upper(), "name_id": name_id.strip(),
            "name_en": name_en.strip(), "category": category, "base_unit": base_unit,
            "is_perishable": is_perishable, "shelf_life_days": shelf_life_days,
            "kcal_per_unit": kcal_per_unit}


def set_minimum_level(session, *, warehouse_id: int, item_id: int, min_qty: int) -> MinimumLevel:
    level = session.get(MinimumLevel, (warehouse_id, item_id))
    if level is None:
        level = MinimumLevel(warehouse_id=warehouse_id, item_id=item_id, min_qty=min_qty)
        session.add(level)
    else:
        level.min_qty = min_qty
    session.flush()
    return level


def item_by_code(session, code: str) -> Item | None:
    return session.scalar(select(Item).where(Item.code == code.strip().upper()))


def _add_unique(session, row, *, code: str) -> None:
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError as error:
        raise DuplicateCode(code=code, field="code") from error
