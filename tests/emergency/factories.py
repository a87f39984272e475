"""Emergency factories: two desa with real-looking boundaries, an event over them, posko.

Each factory commits in its own app context (like `tests.stock.factories`), so the test's
client and session see the rows at once. Listed in the root conftest's ``pytest_plugins``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from shapely.geometry import box
from sqlalchemy import select

from app.extensions import db
from logistics.accounts import queries as account_queries
from logistics.accounts.models import User
from logistics.calendar import local_today
from logistics.emergency import access, events
from logistics.emergency.models import EmergencyPhase
from logistics.regions.models import Region


@dataclass
class EmergencyWorld:
    """A kecamatan with two desa (squares side by side), events, statuses and posko."""

    app: object
    stock: object  # tests.stock.factories.StockWorld: the same kecamatan and its warehouses

    KECAMATAN = "17.03.01"
    DESA = "17.03.01.2001"  # lon 102.0-102.1, lat -3.5 to -3.4
    OTHER_DESA = "17.03.01.2002"  # lon 102.1-102.2
    OUTSIDE_DESA = "17.03.02.2001"  # in another kecamatan, outside the default event
    INSIDE = (102.05, -3.45)  # (longitude, latitude) inside DESA

    def ensure_regions(self) -> None:
        self.stock.ensure_regions()
        with self.app.app_context():
            if db.session.get(Region, self.DESA) is None:
                for code, parent, level, kind, name, shape in (
                        (self.DESA, self.KECAMATAN, 4, "desa", "Kahyapu",
                         box(102.0, -3.5, 102.1, -3.4)),
                        (self.OTHER_DESA, self.KECAMATAN, 4, "desa", "Banjarsari",
                         box(102.1, -3.5, 102.2, -3.4)),
                        ("17.03.02", "17.03", 3, "kecamatan", "Ketahun", None),
                        (self.OUTSIDE_DESA, "17.03.02", 4, "desa", "Bukit Indah",
                         box(101.5, -3.2, 101.6, -3.1))):
                    db.session.add(Region(code=code, parent_code=parent, level=level,
                                          kind=kind, name=name, source="test", boundary=shape,
                                          centroid=shape.centroid if shape else None))
                db.session.commit()

    def _actor(self, username):
        return account_queries.get_user_by_username(db.session, username)

    def event(self, *, actor="emergency-admin", hazard="banjir", name="Banjir Air Ketahun",
              started_on=None, region_codes=None, status=None) -> int:
        """Open an event over the kecamatan (or ``region_codes``); ``status`` a phase to
        declare from its first day, with a decree number. Returns its id."""
        self.ensure_regions()
        self._admin(actor)
        started_on = started_on or local_today() - timedelta(days=3)
        with self.app.app_context():
            event = events.open_new_event(
                db.session, actor=self._actor(actor), hazard=hazard, name=name,
                started_on=started_on, region_codes=region_codes or [self.KECAMATAN])
            if status:
                events.record_status(db.session, actor=self._actor(actor), event_id=event.id,
                                     phase=EmergencyPhase(status),
                                     decree_number=f"SK Bupati 360/{event.id}/2026",
                                     starts_on=started_on)
            db.session.commit()
            return event.id

    def posko(self, event_id, *, actor="emergency-admin", name=None, kind="tempat_pengungsian",
              desa_code=None, point=INSIDE, covered_m2=700, staff=(),
              opened_on: date | None = None) -> int:
        """Open a posko in DESA at ``point``; ``staff`` are usernames assigned to it."""
        self._admin(actor)
        with self.app.app_context():
            posko = events.open_posko(
                db.session, actor=self._actor(actor), event_id=event_id,
                name=name or "Balai Desa", kind=kind, desa_code=desa_code or self.DESA,
                longitude=point[0] if point else None, latitude=point[1] if point else None,
                covered_m2=covered_m2, opened_on=opened_on)
            for username in staff:
                user = self._actor(username)
                access.set_staffed_posko(db.session, user,
                                         access.staffed_posko_ids(db.session, user) | {posko.id})
            db.session.commit()
            return posko.id

    def _admin(self, username) -> None:
        with self.app.app_context():
            exists = db.session.scalar(select(User.id).where(User.username == username))
        if not exists:
            self.make_user(role="coordinator", username=username)

    make_user: object = None


@pytest.fixture
def emergency(app, stock, make_user) -> EmergencyWorld:
    world = EmergencyWorld(app, stock)
    world.make_user = make_user
    return world
