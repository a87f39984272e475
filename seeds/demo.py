"""Load the demo: Bengkulu Utara's regions with their real boundaries, one user per role,
stock, a flood with its posko, censuses, assessments and requests, and the Tagana roster
with people and equipment deployed to the flood's posko.

A kabupaten whose boundaries are not shipped in `seeds/data/boundaries/` gets synthetic
geometry instead, flagged as such.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from logistics.accounts import operations as accounts
from logistics.accounts.models import User
from logistics.accounts.roles import Role
from logistics.calendar import local_today
from logistics.regions import operations as regions
from logistics.regions import source as region_source
from logistics.regions.models import Region
from seeds import boundaries as real_boundaries
from seeds import emergency_demo, roster_demo, slrt_demo, stock_demo, synthetic_geometry

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
    posko_opened: int = 0  # by the flood demo
    geometry_source: str | None = None
    boundaries: regions.GeoJSONImport | None = None  # None: no real boundaries shipped
    roster: roster_demo.RosterSummary | None = None  # None: loaded before, or not this kabupaten
    slrt_cases: int = 0  # SLRT cases in the demo (0: loaded before)


def is_loaded(session: Session) -> bool:
    """True once every part is in; an instance from before the stock demo gets it added."""
    return (session.scalar(select(User.id).limit(1)) is not None
            and stock_demo.is_loaded(session) and emergency_demo.is_loaded(session)
            and roster_demo.is_loaded(session))


def load_demo(session: Session, *, region_code: str, password: str) -> DemoResult:
    """Import the kabupaten and its boundaries (else synthetic geometry), users and stock."""
    imported = regions.import_regions(session, code=region_code)
    kabupaten_code = region_source.normalize_code(region_code)
    attached = real_boundaries.attach(session, kabupaten_code)
    if attached is not None:
        geometry_source = real_boundaries.SOURCE
    elif _place_synthetic_geometry(session, kabupaten_code):
        geometry_source = synthetic_geometry.SOURCE
    else:
        geometry_source = None
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
    posko = 0
    if not emergency_demo.is_loaded(session):
        posko = emergency_demo.load_emergency_demo(session, today=local_today())
    roster = None
    if not roster_demo.is_loaded(session):  # after the flood: it staffs the flood's posko
        roster = roster_demo.load_roster_demo(session, today=local_today())
    slrt_cases = 0
    if not slrt_demo.is_loaded(session):  # after the flood: it takes in its assessments
        slrt_cases = slrt_demo.load_slrt_demo(session, today=local_today())
    return DemoResult(regions_created=imported.created, users_created=created,
                      stock_documents=posted, geometry_source=geometry_source,
                      boundaries=attached, posko_opened=posko, roster=roster,
                      slrt_cases=slrt_cases)


def _place_synthetic_geometry(session: Session, kabupaten_code: str) -> bool:
    """Give regions without real geometry a synthetic one; real boundaries are never overwritten.

    Returns False when no synthetic outline exists for the kabupaten either.
    """
    if kabupaten_code not in synthetic_geometry.SUPPORTED_KABUPATEN:
        return False
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
    return True
