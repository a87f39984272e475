"""Suggestions keep to the posko's land mass: Enggano's volunteers and boats are not offered
to a posko on the mainland, however short the mainland runs, nor the other way round. Land
masses come from the real kecamatan boundaries of the demo."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shapely.geometry import box
from sqlalchemy import select

from logistics.accounts.models import User
from logistics.emergency.models import Posko
from logistics.regions import land
from logistics.roster import suggestions
from logistics.roster.deployment_models import Equipment, EquipmentKind, EquipmentStatus
from logistics.roster.models import Volunteer, VolunteerSkill
from seeds import demo
from seeds.roster_demo import ENGGANO
from tests.accounts.factories import TEST_PASSWORD


def test_neighbours_with_a_hairline_gap_share_land_and_an_island_does_not():
    masses = land._masses({
        "west": box(0, 0, 1, 1), "east": box(1.001, 0, 2, 1),  # a sliver apart
        "islet-heavy": box(2, 0, 3, 1).union(box(5, 5, 5.01, 5.01)),  # mainland with an islet
        "island": box(5, 5.5, 6, 6.5)})
    assert masses["west"] == masses["east"] == masses["islet-heavy"]
    assert masses["island"] != masses["west"]


def test_enggano_is_its_own_land_and_the_mainland_is_one(session):
    demo.load_demo(session, region_code="17.03", password=TEST_PASSWORD)
    session.commit()
    assert land.same_land(session, ENGGANO) == {ENGGANO}
    ketahun = land.kecamatan_of(session.scalar(select(Posko.desa_code).order_by(Posko.id)))
    mainland = land.same_land(session, ketahun)
    assert len(mainland) == 18
    assert ENGGANO not in mainland
    assert land.same_land(session, "99.99.99") is None  # unknown: nobody is left out on it


def test_a_mainland_posko_short_of_cooks_and_boats_is_never_offered_enggano(session):
    """Ask for more cooks and boats than the whole kabupaten has, so the search reads
    everyone free: the lists hold mainland people only, and no boat based on Enggano."""
    demo.load_demo(session, region_code="17.03", password=TEST_PASSWORD)
    session.commit()
    coordinator = session.scalar(select(User).where(User.username == "koordinator"))
    posko = session.scalar(select(Posko).order_by(Posko.id))
    island_cooks = set(session.scalars(
        select(Volunteer.id).join(VolunteerSkill, VolunteerSkill.volunteer_id == Volunteer.id)
        .where(VolunteerSkill.skill_code == "dapur_umum",
               Volunteer.home_desa_code.startswith(ENGGANO + "."))))
    assert island_cooks, "the demo has cooks on Enggano"
    island_boat = Equipment(code="PK-ENG-9", kind=EquipmentKind.RUBBER_BOAT, name="Perahu Enggano",
                            kecamatan_code=ENGGANO, status=EquipmentStatus.READY)
    session.add(island_boat)
    session.commit()
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=20)
    found = suggestions.suggest(session, actor=coordinator, posko_id=posko.id,
                                starts_at=starts, ends_at=starts + timedelta(days=1),
                                skills={"dapur_umum": 400},
                                equipment={EquipmentKind.RUBBER_BOAT: 50})
    listed = {c.volunteer_id for s in found.skills for c in s.candidates}
    assert listed, "mainland cooks are offered"
    assert found.radius_km is None  # everyone free was read
    assert not listed & island_cooks
    boats = {c.equipment_id for e in found.equipment for c in e.candidates}
    assert boats, "mainland boats are offered"
    assert island_boat.id not in boats
    session.rollback()
