"""Load the demo: Bengkulu Utara's regions with synthetic geometry, and one user per role."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from logistics.accounts import operations as accounts
from logistics.accounts.models import User
from logistics.accounts.roles import Role
from logistics.calendar import local_today
from logistics.regions import operations as regions
from logistics.regions.models import Region
from seeds import stock_demo, synthetic_geometry

DEMO_USERS = [
    ("admin", "Admin Dinas Sosial", Role.ADMIN),
    ("koordinator", "Budi Santoso (Koordinator Tagana)", Role.COORDINATOR),
    ("gudang", "Siti Rahmawati (Petugas Gudang)", Role.WAREHOUSE_KEEPER),
    ("posko", "Andi Saputra (Staf Posko)", Role.POSKO_STAFF),
    ("puskesos.fo", "Dewi Lestari (Front Office Puskesos)", Role.PUSKESOS_FRONT),
    ("puskesos.bo", "Rudi Hartono (Back Office Puskesos)", Role.PUSKESOS_BACK),
    ("puskesos.mgr", "Yuni Kartika (Manajer Puskesos)", Role.PUSKESOS_MANAGER),
    ("kadis", "Drs. Hendra Wijaya (Kepala Dinas)", Role.LEADERSHIP),
]


@dataclass
class DemoResult:
    regions_created: int
    users_created: list[str]
    stock_documents: int = 0


def is_loaded(session: Session) -> bool:
    """True once every part is in; an instance from before the stock demo gets it added."""
    return (session.scalar(select(User.id).limit(1)) is not None
            and stock_demo.is_loaded(session))


def load_demo(session: Session, *, region_code: str, password: str) -> DemoResult:
    """Import the kabupaten, give it synthetic geometry, create the demo users and stock."""
    imported = regions.import_regions(session, code=region_code)
    _place_synthetic_geometry(session, region_code)
    created = []
    existing = set(session.scalars(select(User.username)))
    for username, full_name, role in DEMO_USERS:
        if username not in existing:
            accounts.create_user(session, username=username, full_name=full_name, role=role,
                                 password=password)
            created.append(username)
    session.flush()
    posted = 0
    if not stock_demo.is_loaded(session):
        posted = stock_demo.load_stock_demo(session, today=local_today())
    return DemoResult(regions_created=imported.created, users_created=created,
                      stock_documents=posted)


def _place_synthetic_geometry(session: Session, kabupaten_code: str) -> None:
    """Give regions without real geometry a synthetic one; real boundaries are never overwritten."""
    if kabupaten_code not in synthetic_geometry.SUPPORTED_KABUPATEN:
        return
    rows = session.scalars(select(Region).where(Region.code.startswith(kabupaten_code + ".")))
    kecamatan: dict[str, list[str]] = {}
    for region in rows:
        if region.level == 3:
            kecamatan.setdefault(region.code, [])
        elif region.level == 4:
            kecamatan.setdefault(region.parent_code, []).append(region.code)
    for placed in synthetic_geometry.place_kabupaten(kabupaten_code, kecamatan):
        region = session.get(Region, placed.code)
        if region.has_geometry and not region.is_synthetic:
            continue
        regions.set_geometry(
            session, code=placed.code, centroid=placed.centroid, boundary=placed.boundary,
            is_synthetic=True, geometry_source=synthetic_geometry.SOURCE,
        )
