"""An event's needs overview at field scale: 200 posko, 10,000 assessed households.

    .venv/bin/python -m bench.emergency_overview                  # both databases
    .venv/bin/python -m bench.emergency_overview --db sqlite --no-write   # a quick dry run

The event has 200 posko, each with a census history of 5 counts; 10,000 assessed households
with 4 members each (40,000 members); 20 desa with two rapid assessments each; 400 releases
to posko through the real `issue_stock` (20 of them reversed). Measured:
(a) the needs calculation alone, pure `needs_of` over the event population and each posko's
    (target < 100 ms), from populations and deliveries read beforehand;
(b) the event needs page, `GET /emergency/events/<id>/needs` through Flask's test client
    (queries, calculation and HTML), beside `overview.event_needs` (queries and calculation)
    and a bare query reading the same rows with hand-written SQL and no arithmetic, all in the
    same run. The numbers replace the table between the emergency markers in
    docs/performance.md.
"""

from __future__ import annotations

import random
import tempfile
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select, text

from app import create_app
from app.extensions import db
from bench.common import PASSWORD, build_world, timings_ms
from bench.report import run_benchmark, timing_table
from logistics.accounts.models import User
from logistics.calendar import local_today
from logistics.emergency import overview
from logistics.emergency.assessment_models import (
    HouseholdAssessment,
    HouseholdMember,
    RapidAssessment,
)
from logistics.emergency.models import Census, Event, Posko
from logistics.emergency.needs import needs_of
from logistics.emergency.standards import standards_in_force, supplies_in_force
from logistics.regions.models import Region
from logistics.stock import operations
from logistics.stock.models import Item

BEGIN, END = "<!-- bench:emergency:begin -->", "<!-- bench:emergency:end -->"
POSKO, CENSUSES, HOUSEHOLDS, MEMBERS, DESA = 200, 5, 10_000, 4, 20
RELEASES, REVERSED = 400, 20

BARE = """
WITH latest AS (
  SELECT c.*, ROW_NUMBER() OVER (PARTITION BY c.posko_id
                                 ORDER BY c.counted_at DESC, c.id DESC) AS rank
  FROM posko_censuses c JOIN posko p ON p.id = c.posko_id WHERE p.event_id = :event)
SELECT 'census', posko_id, households, male + female, under_five, 0 FROM latest WHERE rank = 1
UNION ALL
SELECT 'delivered', posko_id, item_id, SUM(qty), 0, 0 FROM (
  SELECT d.posko_id, m.item_id, m.qty FROM posko_deliveries d
  JOIN stock_movements m ON m.document_id = d.document_id WHERE d.event_id = :event
  UNION ALL
  SELECT d.posko_id, m.item_id, m.qty FROM posko_deliveries d
  JOIN stock_documents s ON s.reverses_id = d.document_id
  JOIN stock_movements m ON m.document_id = s.id WHERE d.event_id = :event) lines
GROUP BY posko_id, item_id
UNION ALL
SELECT 'available', b.item_id, SUM(b.qty), 0, 0, 0 FROM stock_balances b
JOIN lots l ON l.id = b.lot_id WHERE b.is_in_transit = false
  AND (l.expires_on IS NULL OR l.expires_on >= :today) GROUP BY b.item_id
UNION ALL
SELECT 'rapid', 0, SUM(dead), SUM(displaced), SUM(houses_heavy), COUNT(*) FROM rapid_assessments
WHERE event_id = :event
UNION ALL
SELECT 'households', 0, COUNT(DISTINCT h.id), COUNT(m.id), 0, 0 FROM household_assessments h
LEFT JOIN household_members m ON m.household_id = h.id WHERE h.event_id = :event
"""


def fill(world) -> int:
    """The event, its posko, censuses, assessments and releases; returns the event id."""
    pick = random.Random(17)
    today = local_today()
    with world.app.app_context():
        session = db.session
        actor = session.get(User, world.actor_id)
        desa = [f"17.03.01.{2001 + n}" for n in range(DESA)]
        session.execute(insert(Region), [
            {"code": code, "parent_code": "17.03.01", "level": 4, "kind": "desa",
             "name": f"Desa {code[-2:]}", "source": "bench"} for code in desa])
        event = Event(number="KJD-BENCH-1", hazard="banjir", name="Banjir bench",
                      started_on=today - timedelta(days=5), created_by_id=actor.id)
        session.add(event)
        session.flush()
        session.execute(insert(Posko), [
            {"code": f"P{n:03d}", "event_id": event.id, "name": f"Posko {n}",
             "kind": "tempat_pengungsian", "desa_code": desa[n % DESA],
             "covered_m2": pick.randint(100, 2000), "opened_on": event.started_on}
            for n in range(POSKO)])
        posko_ids = list(session.scalars(select(Posko.id).where(Posko.event_id == event.id)))
        now = datetime.now(UTC)
        rows = []
        for posko_id in posko_ids:
            for count in range(CENSUSES):
                male, female = pick.randint(20, 300), pick.randint(20, 300)
                rows.append({"posko_id": posko_id, "recorded_by_id": actor.id,
                             "counted_at": now - timedelta(hours=12 * (CENSUSES - count)),
                             "households": (male + female) // 4, "male": male,
                             "female": female, "under_five": (male + female) // 10,
                             "pregnant": female // 20, "breastfeeding": female // 15,
                             "elderly": (male + female) // 12, "disabled": 2})
        session.execute(insert(Census), rows)
        session.execute(insert(RapidAssessment), [
            {"event_id": event.id, "desa_code": code, "recorded_by_id": actor.id,
             "assessed_on": today - timedelta(days=days), "dead": pick.randint(0, 3),
             "missing": 0, "injured": pick.randint(0, 9), "displaced": pick.randint(50, 900),
             "houses_light": 10, "houses_moderate": 5, "houses_heavy": pick.randint(0, 20),
             "facilities_damaged": 1, "access_cut": False}
            for code in desa for days in (3, 1)])
        session.execute(insert(HouseholdAssessment), [
            {"event_id": event.id, "desa_code": desa[n % DESA], "assessed_on": today,
             "head_name": f"Kepala {n}", "house_damage": "rusak_berat",
             "lost_livelihood": False, "deaths": 0, "recorded_by_id": actor.id}
            for n in range(HOUSEHOLDS)])
        households = list(session.scalars(select(HouseholdAssessment.id)))
        session.execute(insert(HouseholdMember), [
            {"household_id": household, "position": n, "name": f"Anggota {n}",
             "sex": "L" if n % 2 else "P", "is_pregnant": False, "is_breastfeeding": False,
             "is_disabled": False} for household in households for n in range(MEMBERS)])
        rice, kits = world.item_ids[0], world.item_ids[1]
        session.get(Item, rice).kcal_per_unit = 3600
        session.commit()
        for item in (rice, kits):
            for warehouse in world.warehouse_ids:
                operations.receive_stock(session, actor=actor, warehouse_id=warehouse,
                                         lines=[{"item_id": item, "qty": 1_000_000}])
        session.commit()
        issued = []
        for n in range(RELEASES):
            document = operations.issue_stock(
                session, actor=actor, warehouse_id=world.warehouse_ids[n % 3],
                lines=[{"item_id": rice, "qty": 50}, {"item_id": kits, "qty": 5}],
                giver_name="Siti", receiver_name="Rahmat",
                posko_id=posko_ids[n % POSKO], authority_ref="SK bench")
            issued.append(document.id)
        for document_id in issued[:REVERSED]:
            operations.reverse_document(session, actor=actor, document_id=document_id,
                                        notes="bench")
        session.commit()
        session.execute(text("ANALYZE"))
        session.commit()
        return event.id


def measure(world, event_id: int) -> dict:
    today = local_today()
    app = create_app({"DATABASE_URL": world.url, "SECRET_KEY": "bench",
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "INSTANCE_PATH": tempfile.mkdtemp(prefix="lumbung-bench-")})
    with app.app_context():
        session = db.session
        needs = overview.event_needs(session, event_id, today=today)
        assert len(needs.posko) == POSKO
        assert needs.affected.members == HOUSEHOLDS * MEMBERS
        standards, supplies = standards_in_force(session), supplies_in_force(session)
        populations = [posko.population for posko in needs.posko]
        delivered = overview.delivered_per_posko(session, [p.id for p in needs.posko])
        available = overview.available_per_item(session, today)

        def calculate():
            needs_of(needs.population, 7, standards, supplies, available=available)
            for posko, population in zip(needs.posko, populations, strict=True):
                needs_of(population, 7, standards, supplies,
                         delivered=delivered.get(posko.id, {}), available=available)

        calculation = timings_ms(calculate, 50)
        queries = timings_ms(lambda: (overview.event_needs(session, event_id, today=today),
                                      session.rollback()), 20)
        bare = timings_ms(lambda: (session.execute(text(BARE), {
            "event": event_id, "today": today}).fetchall(), session.rollback()), 20)
    client = app.test_client()
    assert client.post("/login", data={"username": "bench", "password": PASSWORD}
                       ).status_code == 302
    url = f"/emergency/events/{event_id}/needs"
    assert client.get(url).status_code == 200
    page = timings_ms(lambda: client.get(url).get_data(), 20)
    size = len(client.get(url).get_data())
    return {"calculation": calculation, "queries": queries, "bare": bare, "page": page,
            "page_kb": size / 1024}


def table(results: dict) -> str:
    lines = timing_table(results, (
        f"{POSKO} posko × {CENSUSES} censuses, {HOUSEHOLDS:,} assessed households × "
        f"{MEMBERS} members, {DESA} desa × 2 rapid assessments, {RELEASES} releases "
        f"({REVERSED} reversed), 13 standards."), [
        ("**needs calculation** (pure `needs_of`, event + 200 posko), median / p95 ms",
         "< 100 ms", "calculation"),
        ("bare SQL reading the same rows, median / p95 ms", "", "bare"),
        ("`overview.event_needs` (queries + calculation), median / p95 ms", "", "queries"),
        ("**event needs page** (GET, HTML), median / p95 ms", "", "page")])
    lines.append("| page size, KB | | " + " | ".join(
        f"{r['page_kb']:.0f}" for r in results.values()) + " |")
    return "\n".join(lines)


def _measure_on(url: str, args) -> dict:
    world = build_world(url, warehouses=3, items=2)
    return measure(world, fill(world))


def main() -> None:
    run_benchmark(__doc__, _measure_on, table, (BEGIN, END))


if __name__ == "__main__":
    main()
