"""A map world: an event with posko in two desa (one posko without a point, one closed),
censuses, assessments of households holding NIK and No. KK, volunteers with homes and names,
deployments, and warehouses in every stock status. Secrets are written down in ``SECRETS``
so the privacy tests can look for each of them in every output.

Built through the other areas' factories (`emergency`, `stock`, `roster`, `dispatching`)
and plain model rows where an operation would only add ceremony.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from shapely.geometry import Point
from sqlalchemy import select

from app.extensions import db
from logistics.accounts.models import User
from logistics.calendar import local_today
from logistics.emergency.assessment_models import (
    HouseholdAssessment,
    HouseholdMember,
    RapidAssessment,
)
from logistics.emergency.models import Census, Posko
from logistics.stock import operations as stock_operations
from logistics.stock.models import Warehouse
from tests.roster.dispatch_factories import hours_from_now

TODAY = local_today()
KK = "1703120202112254"
HEAD_NIK = "1703122707726875"
MEMBER_NIK = "1703124101900003"
HEAD_NAME = "Siti Rahmawati Kepala"
MEMBER_NAME = "Dewi Anggota Keluarga"
ADDRESS = "Jalan Mawar Gang Kenanga Nomor 17"
VOLUNTEER_NAME = "Bambang Relawan Rahasia"
HOME = (102.0123457, -3.4567891)  # (lon, lat) of a volunteer's house, inside DESA
SECRETS = (KK, HEAD_NIK, MEMBER_NIK, HEAD_NAME, MEMBER_NAME, ADDRESS, VOLUNTEER_NAME,
           "Jalan Mawar", "102.012346", "-3.456789", "102.01234", "-3.45678")


def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def census(posko_id: int, *, male: int, female: int, households: int, hours_ago: int = 1,
           **groups) -> None:
    db.session.add(Census(
        posko_id=posko_id, counted_at=datetime.now(UTC) - timedelta(hours=hours_ago),
        male=male, female=female, households=households,
        **{name: groups.get(name, 0) for name in ("under_five", "pregnant", "breastfeeding",
                                                  "elderly", "disabled")},
        recorded_by_id=user("emergency-admin").id))


@dataclass
class GeoWorld:
    app: object
    emergency: object
    stock: object
    roster: object
    dispatching: object
    ids: dict = field(default_factory=dict)

    def posko(self, event_id: int, n: int, *, desa=None, point=None) -> int:
        """One more posko with a census of ``n + 1`` men and ``n`` women."""
        desa = desa or self.emergency.DESA
        posko_id = self.emergency.posko(event_id, name=f"Posko {n}", desa_code=desa,
                                        point=point)
        with self.app.app_context():
            census(posko_id, male=n + 1, female=n, households=1)
            db.session.commit()
        return posko_id

    def build(self) -> dict:
        e, ids = self.emergency, self.ids
        ids["event"] = e.event(status="tanggap_darurat")
        ids["posko"] = e.posko(ids["event"], name="Balai Desa Kahyapu", point=e.INSIDE)
        ids["posko_unplaced"] = e.posko(ids["event"], name="Masjid Banjarsari",
                                        desa_code=e.OTHER_DESA, point=None, kind="dapur_umum")
        ids["posko_closed"] = e.posko(ids["event"], name="SD Tutup", point=(102.06, -3.46),
                                      opened_on=TODAY - timedelta(days=3))
        with self.app.app_context():
            admin = user("emergency-admin")
            census(ids["posko"], male=60, female=60, households=30, under_five=10,
                   elderly=5, pregnant=2)
            census(ids["posko"], male=40, female=40, households=20, hours_ago=30)
            census(ids["posko_unplaced"], male=20, female=25, households=12, under_five=4)
            census(ids["posko_closed"], male=25, female=25, households=10)
            db.session.get(Posko, ids["posko_closed"]).closed_on = TODAY - timedelta(days=1)
            for day, displaced in ((2, 100), (0, 150)):
                db.session.add(RapidAssessment(
                    event_id=ids["event"], desa_code=e.DESA, displaced=displaced,
                    houses_heavy=12, houses_moderate=4, dead=1, access_cut=day == 0,
                    assessed_on=TODAY - timedelta(days=day), recorded_by_id=admin.id))
            for damage in ("rusak_berat", "rusak_berat", "rusak_sedang", "tidak_rusak"):
                household = HouseholdAssessment(
                    event_id=ids["event"], desa_code=e.OTHER_DESA, assessed_on=TODAY,
                    head_name=HEAD_NAME, kk_number=KK, head_nik=HEAD_NIK, address=ADDRESS,
                    house_damage=damage, urgent_needs="Beras", recorded_by_id=admin.id)
                household.members = [
                    HouseholdMember(position=0, name=HEAD_NAME, nik=HEAD_NIK, sex="P"),
                    HouseholdMember(position=1, name=MEMBER_NAME, nik=MEMBER_NIK, sex="P")]
                db.session.add(household)
            db.session.commit()
        self._roster()
        self._stock()
        return ids

    def _roster(self) -> None:
        ids, r = self.ids, self.roster
        r.seed_skills()
        ids["volunteer"] = r.volunteer(name=VOLUNTEER_NAME, home_lon=HOME[0], home_lat=HOME[1])
        ids["volunteer_free"] = r.volunteer(name=f"{VOLUNTEER_NAME} Dua")
        ids["volunteer_away"] = r.volunteer(kind="sahabat_tagana")
        ids["volunteer_far"] = r.volunteer(kind="sahabat_tagana", home_desa_code=r.FAR_DESA)
        ids["volunteer_suspended"] = r.volunteer(status="suspended")
        self.roster_unavailable(ids["volunteer_away"])
        ids["boat"] = self.dispatching.equipment("Perahu karet Rahasia")
        now = datetime.now(UTC).replace(microsecond=0)
        self.dispatching.send(
            posko_id=ids["posko"], period=(now - timedelta(hours=1), now + timedelta(days=1)),
            volunteers=[{"volunteer_id": ids["volunteer"], "role": "dapur umum",
                         "skill_code": "dapur_umum"}],
            equipment=[{"equipment_id": ids["boat"], "role": "evakuasi"}])
        # sent for tomorrow: not present yet
        self.dispatching.send(posko_id=ids["posko_unplaced"], period=hours_from_now(30, 24),
                              volunteers=[{"volunteer_id": ids["volunteer_free"],
                                           "role": "logistik"}])

    def roster_unavailable(self, volunteer_id: int) -> None:
        self.dispatching.unavailable(volunteer_id, TODAY - timedelta(days=1),
                                     TODAY + timedelta(days=1))

    def _stock(self) -> None:
        ids, s = self.ids, self.stock
        ids["central"] = s.warehouse(name="Gudang Kabupaten", code="GK")
        ids["lumbung"] = s.warehouse(name="Lumbung Kahyapu", code="LK", kind="lumbung_sosial")
        ids["empty"] = s.warehouse(name="Gudang Kosong", code="GE")
        ids["nowhere"] = s.warehouse(name="Gudang Tanpa Tempat", code="GN")
        with self.app.app_context():
            db.session.get(Warehouse, ids["central"]).location = Point(102.15, -3.45)
            db.session.get(Warehouse, ids["lumbung"]).desa_code = self.emergency.DESA
            db.session.get(Warehouse, ids["empty"]).location = Point(102.11, -3.41)
            db.session.commit()
        ids["rice"] = s.item(perishable=True)
        ids["soap"] = s.item(category="kebersihan", base_unit="pcs")
        ids["rice_lot"] = s.receive(ids["central"], ids["rice"], 1_000, batch_no="R-1",
                                    expires_on=TODAY + timedelta(days=300))
        s.receive(ids["lumbung"], ids["rice"], 100, batch_no="R-2",
                  expires_on=TODAY + timedelta(days=10))
        s.receive(ids["lumbung"], ids["soap"], 50)
        with self.app.app_context():
            ids["transfer"] = stock_operations.transfer_stock(
                db.session, actor=user("stock-admin"), warehouse_id=ids["central"],
                to_warehouse_id=ids["lumbung"],
                lines=[{"item_id": ids["rice"], "qty": 200, "lot_id": ids["rice_lot"]}]).id
            db.session.commit()


def add_posko_at_random(world: GeoWorld, count: int, *, start: int = 0) -> None:
    for n in range(start, start + count):
        desa = world.emergency.DESA if n % 2 else world.emergency.OTHER_DESA
        point = (102.01 + (n % 9) * 0.01, -3.41 - (n % 8) * 0.01)
        if desa == world.emergency.OTHER_DESA:
            point = (point[0] + 0.1, point[1])
        world.posko(world.ids["event"], n, desa=desa, point=point if n % 3 else None)


@pytest.fixture
def geo(app, emergency, stock, roster, dispatching) -> GeoWorld:
    """The map world's factories; call ``geo.build()`` for the whole world."""
    return GeoWorld(app, emergency, stock, roster, dispatching)




