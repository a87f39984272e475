"""Four months of lumbung sosial stock in Bengkulu Utara, posted through the real verbs.

Dates are relative to today so the expiry alerts always have something to show: rice expiring
within 30 days, ready meals within 60, canned side dishes within 90, one donated lot already
expired on the shelf at Enggano, rice under its minimum at Putri Hijau, and one boat transfer
to Enggano still in transit. Deterministic: the same day gives the same demo.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from shapely.geometry import Point
from sqlalchemy import select

from logistics.accounts.models import User
from logistics.regions.models import Region
from logistics.stock import operations, queries, setup
from logistics.stock.models import Lot, Warehouse, WarehouseKind
from seeds.catalogue import load_catalogue

AUTHORITY = "SK Bupati Bengkulu Utara No. 360/214/B.1/2026 (status tanggap darurat banjir)"
# code, name, kecamatan code, desa/kelurahan code (where it stands), kind
WAREHOUSES = [
    ("GDG-BU", "Gudang Dinas Sosial Bengkulu Utara", "17.03.07", "17.03.07.1027",  # Gunung Alam
     WarehouseKind.CENTRAL),
    ("LS-ENGGANO", "Lumbung Sosial Enggano", "17.03.01", "17.03.01.2005",  # Kahyapu, the port
     WarehouseKind.LUMBUNG_SOSIAL),
    ("LS-KETAHUN", "Lumbung Sosial Ketahun", "17.03.12", "17.03.12.2002",  # Pasar Ketahun
     WarehouseKind.LUMBUNG_SOSIAL),
    ("LS-LAIS", "Lumbung Sosial Lais", "17.03.10", "17.03.10.1010",  # Pasar Lais
     WarehouseKind.LUMBUNG_SOSIAL),
    ("LS-PUTRIHIJAU", "Lumbung Sosial Putri Hijau", "17.03.14", "17.03.14.2019",  # Karang Pulau
     WarehouseKind.LUMBUNG_SOSIAL),
    ("LS-NAPALPUTIH", "Lumbung Sosial Napal Putih", "17.03.13", "17.03.13.2005",  # Napal Putih
     WarehouseKind.LUMBUNG_SOSIAL),
]
# Releases name their recipient in words until the flood demo opens real posko: a posko is named
# by its record (issue_stock(posko_id=...)), never typed.
RECIPIENTS = ["Kantor Desa Air Lais", "Balai Desa Ketahun", "Masjid Al-Ikhlas Ketahun",
              "SDN 12 Ketahun", "Kantor Desa Kahyapu", "Kantor Camat Napal Putih"]
RECEIVERS = ["Rahmat Hidayat", "Sri Wahyuni", "Agus Salim", "Nurhayati", "Joko Prasetyo"]
WITNESSES = ["Kepala Desa Air Lais", "Sekretaris Camat Ketahun", "Ketua RT 03",
             "Babinsa Desa Kahyapu"]
# item code -> qty received at the central warehouse, days to expiry from today (None: durable)
FIRST_DELIVERY = {
    "BRS": (4000, 20), "MSS": (960, 50), "LKP": (480, 80), "MKA": (400, 300),
    "FKT": (200, None), "KDW": (150, None), "FDW": (150, None), "PDU": (10, None),
    "TGL": (300, None), "TKL": (40, None), "TSG": (8, None), "SLM": (1000, None),
    "KSR": (200, None), "MTR": (300, None), "SDG": (300, None), "HYK": (400, None),
}
SHIPPED_TO_EACH_SITE = {"BRS": 500, "MSS": 96, "LKP": 48, "FKT": 20, "TGL": 30, "SLM": 100,
                        "MTR": 30, "HYK": 40}
ISSUED_ITEMS = ["BRS", "MSS", "LKP", "FKT", "SLM", "MTR", "HYK", "TGL"]


def is_loaded(session) -> bool:
    return session.scalar(select(Warehouse.id).limit(1)) is not None


def load_stock_demo(session, *, today: date) -> int:
    """Create the warehouses and post the demo's documents; returns how many were posted."""
    items = {code: item.id for code, item in load_catalogue(session).items()}
    users = {u.username: u for u in session.scalars(select(User))}
    keeper, coordinator = users["gudang"], users["koordinator"]
    sites = _warehouses(session, keeper)
    central = sites.pop(0)
    demo = _Poster(session, today, items, coordinator, keeper)
    start = today - timedelta(days=120)

    demo.receive(central, start + timedelta(days=2), {
        code: (qty, None if days is None else today + timedelta(days=days))
        for code, (qty, days) in FIRST_DELIVERY.items()}, supplier_ref="SPPB/KEMENSOS/0417")
    demo.receive(central, start + timedelta(days=10),
                 {"BRS": (2000, today + timedelta(days=250))},
                 supplier_ref="BAST/DINSOS-PROV/2026/088", source="provinsi")
    for site in sites:
        sent = demo.transfer(central, site, start + timedelta(days=14), SHIPPED_TO_EACH_SITE)
        arrived = None
        if site.code == "LS-NAPALPUTIH":  # a torn sack on the road: 10 kg short
            lot = next(iter(queries.sent_per_lot(session, sent)))
            arrived = [{"lot_id": lot_id, "qty": qty - (10 if lot_id == lot else 0)}
                       for lot_id, qty in queries.sent_per_lot(session, sent).items()]
        demo.receive_transfer(sent, start + timedelta(days=16), arrived)
        setup.set_minimum_level(session, warehouse_id=site.id, item_id=items["BRS"],
                                min_qty=300)
    napal = sites[-1]
    short = queries.list_documents(session, incoming_to=napal.id, kind="transfer", limit=1)[0]
    for lot_id, qty in queries.transfer_shortfall(session, short).items():
        demo.adjust(napal, start + timedelta(days=17), "lost", [(lot_id, -qty)],
                    transfer_id=short.id, notes="Karung sobek di perjalanan, berita acara sopir.")
    enggano = sites[0]
    demo.receive(enggano, start + timedelta(days=20),
                 {"MSS": (48, today - timedelta(days=5))}, source="donor",
                 donor_name="CSR Bank Bengkulu", supplier_ref="Hibah 12/CSR/2026")
    setup.set_minimum_level(session, warehouse_id=central.id, item_id=items["BRS"],
                            min_qty=1000)

    rng = random.Random(17)
    for week in range(3, 16):
        for site in [central, *sites]:
            if rng.random() < 0.55:
                demo.issue_some(site, start + timedelta(days=7 * week + rng.randrange(6)), rng)
    putri_hijau = sites[3]
    demo.issue(putri_hijau, today - timedelta(days=9), {"BRS": 260})  # now under its minimum
    ketahun = sites[1]
    demo.count(ketahun, today - timedelta(days=30), {"SLM": -2, "MTR": -1})
    lais = sites[2]
    demo.adjust_item(lais, today - timedelta(days=25), "damaged", "TGL", -3,
                     notes="Tenda gulung robek terkena banjir gudang.")
    mistaken = demo.issue(central, today - timedelta(days=20), {"SLM": 40})
    operations.reverse_document(session, actor=coordinator, document_id=mistaken.id,
                                today=today, document_date=today - timedelta(days=20),
                                notes="Salah gudang: selimut dikirim dari LS Ketahun.")
    demo.transfer(central, enggano, today - timedelta(days=2), {"BRS": 250, "HYK": 20},
                  notes="Kapal perintis KM Pulo Tello, tiba di Kahyapu sekitar 3 hari.")
    return demo.posted + 1


def _warehouses(session, keeper) -> list[Warehouse]:
    created = []
    for code, name, kecamatan, desa_code, kind in WAREHOUSES:
        region = session.get(Region, kecamatan)
        desa = session.get(Region, desa_code)
        point = _point_inside(desa) if desa is not None else None
        warehouse = setup.create_warehouse(
            session, code=code, name=name, kind=kind, region_code=kecamatan,
            desa_code=desa_code if desa is not None else None,
            address=_address(desa, region),
            lat=point.y if point is not None else None,
            lon=point.x if point is not None else None,
            capacity_note="Gudang 12 x 20 m" if kind == WarehouseKind.CENTRAL else "Gudang 6 x 8 m")
        created.append(warehouse)
    setup.assign_keeper(session, created[0], keeper)
    setup.assign_keeper(session, created[2], keeper)
    return created


def _point_inside(desa: Region) -> Point | None:
    """Stand a warehouse on the desa's point, inside its boundary when one is held."""
    point = desa.centroid if isinstance(desa.centroid, Point) else None
    if desa.boundary is not None and (point is None or not desa.boundary.contains(point)):
        point = desa.boundary.representative_point()
    return point


def _address(desa: Region | None, kecamatan: Region | None) -> str | None:
    if kecamatan is None:
        return None
    if desa is None:
        return f"Kecamatan {kecamatan.name}"
    return f"{desa.kind.title()} {desa.name}, Kecamatan {kecamatan.name}"


class _Poster:
    """Post demo documents as the right person: the keeper where she keeps, else the coordinator."""

    def __init__(self, session, today, items, coordinator, keeper):
        self.session, self.today, self.items = session, today, items
        self.coordinator, self.keeper = coordinator, keeper
        self.posted = 0

    def _actor(self, warehouse):
        return self.keeper if self.keeper in warehouse.keepers else self.coordinator

    def _common(self, warehouse, day):
        self.posted += 1
        return {"actor": self._actor(warehouse), "today": self.today, "document_date": day}

    def receive(self, warehouse, day, lines, *, supplier_ref, source="kemensos", donor_name=None):
        batch = f"{day:%y%m%d}"
        # Weeks of history: some lots received then have expired by today, on purpose (the
        # alerts show them), so their expiry dates are confirmed as the keeper would.
        return operations.receive_stock(
            self.session, warehouse_id=warehouse.id, supplier_ref=supplier_ref, source=source,
            donor_name=donor_name, confirm_expiry=True, **self._common(warehouse, day), lines=[
                {"item_id": self.items[code], "qty": qty, "expires_on": expires,
                 "batch_no": f"{code}-{batch}-{warehouse.code}"}
                for code, (qty, expires) in lines.items()])

    def transfer(self, source, destination, day, lines, notes=None):
        return operations.transfer_stock(
            self.session, warehouse_id=source.id, to_warehouse_id=destination.id, notes=notes,
            **self._common(source, day),
            lines=[{"item_id": self.items[code], "qty": qty} for code, qty in lines.items()])

    def receive_transfer(self, transfer, day, lines=None):
        return operations.receive_transfer(
            self.session, transfer_id=transfer.id, lines=lines,
            **self._common(transfer.to_warehouse, day))

    def issue(self, warehouse, day, lines):
        return operations.issue_stock(
            self.session, warehouse_id=warehouse.id, recipient_kind="other",
            recipient_name=RECIPIENTS[self.posted % len(RECIPIENTS)],
            giver_name=self._actor(warehouse).full_name.split(" (")[0],
            receiver_name=RECEIVERS[self.posted % len(RECEIVERS)],
            witness_name=WITNESSES[self.posted % len(WITNESSES)], authority_ref=AUTHORITY,
            request_ref=f"REQ-{day:%m%d}-{self.posted:03d}", **self._common(warehouse, day),
            lines=[{"item_id": self.items[code], "qty": qty} for code, qty in lines.items()])

    def issue_some(self, warehouse, day, rng):
        """Release a little of two or three items, never more than is usable on the shelf."""
        lines = {}
        for code in rng.sample(ISSUED_ITEMS, 3):
            usable = sum(balance.qty for balance, lot in queries.lots_on_hand(
                self.session, warehouse.id, self.items[code])
                if lot.expires_on is None or lot.expires_on >= self.today)
            qty = min(usable // 6, rng.choice([5, 10, 20, 25, 50]))
            if qty > 0:
                lines[code] = qty
        if lines:
            self.issue(warehouse, day, lines)

    def adjust(self, warehouse, day, reason, lot_changes, *, transfer_id=None, notes=None):
        lines = [{"item_id": self.session.get(Lot, lot_id).item_id, "lot_id": lot_id,
                  "qty": qty} for lot_id, qty in lot_changes]
        return operations.adjust_stock(
            self.session, warehouse_id=warehouse.id, reason=reason, transfer_id=transfer_id,
            notes=notes, lines=lines, **self._common(warehouse, day))

    def adjust_item(self, warehouse, day, reason, code, qty, notes=None):
        balance, lot = queries.lots_on_hand(self.session, warehouse.id, self.items[code])[0]
        return self.adjust(warehouse, day, reason, [(lot.id, qty)], notes=notes)

    def count(self, warehouse, day, differences):
        """A stock count that found the given differences on the first lot of each item."""
        lines = []
        for code, difference in differences.items():
            balance, lot = queries.lots_on_hand(self.session, warehouse.id, self.items[code])[0]
            lines.append({"item_id": self.items[code], "lot_id": lot.id,
                          "counted_qty": balance.qty + difference})
        return operations.count_stock(self.session, warehouse_id=warehouse.id, lines=lines,
                                      notes="Stock opname triwulan.",
                                      **self._common(warehouse, day))
