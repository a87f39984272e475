"""The Kemensos buffer-stock items (field guide), as the demo and a fresh kabupaten start with."""

from __future__ import annotations

from sqlalchemy import select

from logistics.stock import setup
from logistics.stock.models import Category, Item

# code, name_id, name_en, category, base unit, packs, perishable, shelf life days, kcal/unit
KEMENSOS_ITEMS = [
    ("BRS", "Beras", "Rice", Category.FOOD, "kg", [("karung", 25)], True, 365, 3600),
    ("MSS", "Makanan siap saji", "Ready-to-eat meals", Category.FOOD, "bungkus",
     [("dus", 48)], True, 540, 400),
    ("LKP", "Lauk pauk", "Side dishes (canned)", Category.FOOD, "kaleng", [("dus", 24)],
     True, 730, 250),
    ("MKA", "Makanan anak", "Children's food", Category.FOOD, "bungkus", [("dus", 40)],
     True, 365, 200),
    ("FKT", "Family kit", "Family kit", Category.FAMILY_KIT, "paket", [], False, None, None),
    ("KDW", "Kids ware", "Kids ware", Category.KIDS_KIT, "paket", [], False, None, None),
    ("FDW", "Food ware", "Food ware", Category.KITCHEN, "paket", [], False, None, None),
    ("PDU", "Perlengkapan dapur umum", "Public kitchen set", Category.KITCHEN, "set", [],
     False, None, None),
    ("TGL", "Tenda gulung", "Tarpaulin roll", Category.SHELTER, "lembar", [], False, None, None),
    ("TKL", "Tenda keluarga", "Family tent", Category.SHELTER, "unit", [], False, None, None),
    ("TSG", "Tenda serbaguna", "Multipurpose tent", Category.SHELTER, "unit", [], False, None,
     None),
    ("SLM", "Selimut", "Blanket", Category.CLOTHING, "lembar", [("bal", 20)], False, None, None),
    ("KSR", "Kasur", "Mattress", Category.SHELTER, "lembar", [], False, None, None),
    ("MTR", "Matras", "Sleeping mat", Category.SHELTER, "lembar", [("bal", 10)], False, None,
     None),
    ("SDG", "Sandang", "Clothing set", Category.CLOTHING, "paket", [], False, None, None),
    ("HYK", "Hygiene kit", "Hygiene kit", Category.HYGIENE, "paket", [], False, None, None),
]


def load_catalogue(session) -> dict[str, Item]:
    """Add the items missing from the catalogue; returns every Kemensos item by code."""
    existing = {item.code: item for item in session.scalars(select(Item))}
    for (code, name_id, name_en, category, unit, packs, perishable, shelf_life,
         kcal) in KEMENSOS_ITEMS:
        if code not in existing:
            existing[code] = setup.create_item(
                session, code=code, name_id=name_id, name_en=name_en, category=category,
                base_unit=unit, is_perishable=perishable, shelf_life_days=shelf_life,
                kcal_per_unit=kcal, packs=packs)
    return existing
