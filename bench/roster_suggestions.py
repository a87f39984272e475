"""Dispatch suggestions among 100,000 volunteers: the ranking for one posko against a bare
spatial-index nearest query over the same points, in the same run (issue 18).

    .venv/bin/python -m bench.roster_suggestions                  # both databases
    .venv/bin/python -m bench.roster_suggestions --db sqlite --no-write   # a quick dry run

100,000 synthetic volunteers live at random points over a 100 × 100 km square (Bengkulu
Utara's size), each with 1 to 3 of the 16 default skills at random levels; 30 % of those
skills carry a specialist certificate (a fifth of them expired); 3 % declared the period
unavailable, 2 % are already deployed in it, 10 % served recently. Measured:
(a) `suggestions.suggest` for one posko in the square's middle and the need "4 dapur umum,
    2 LDP, 1 logistik, 1 perahu karet" (target < 50 ms): the spatial search, the detail reads,
    the ranking with reasons, the proposal and the equipment;
(b) the same with the search starting at 200 km (reading every free candidate), to show what
    the index and the widening save;
(c) a bare nearest query: the 10 nearest homes through the (home_lat, home_lon) index in the
    10 km box, hand-written SQL, no filter and no ranking.
The numbers replace the table between the roster markers in docs/performance.md.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from shapely.geometry import Point
from sqlalchemy import insert, select, text

from app.extensions import db
from bench.common import build_world, timings_ms
from bench.report import run_benchmark, timing_table
from logistics.accounts.models import User
from logistics.calendar import local_today
from logistics.emergency.models import Event, Posko
from logistics.regions.models import Region
from logistics.roster import nearby, skills, suggestions
from logistics.roster.deployment_models import Deployment, Dispatch, Equipment
from logistics.roster.models import Training, Unavailability, Volunteer, VolunteerSkill

BEGIN, END = "<!-- bench:roster:begin -->", "<!-- bench:roster:end -->"
VOLUNTEERS = 100_000
CENTRE = (102.0, -3.4)  # (lon, lat) of the posko
HALF = 0.45  # degrees either side: about 100 km square
NEED = {"dapur_umum": 4, "ldp": 2, "logistik": 1}
KIT = {"perahu_karet": 1}
BARE = """
SELECT id FROM volunteers
WHERE home_lat BETWEEN :south AND :north AND home_lon BETWEEN :west AND :east
ORDER BY (home_lat - :lat) * (home_lat - :lat) + (home_lon - :lon) * (home_lon - :lon)
LIMIT 10
"""


def period() -> tuple[datetime, datetime]:
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    return start, start + timedelta(days=3)


def fill(world, count: int) -> int:
    """The volunteers, their skills, certificates, absences and deployments; returns the posko."""
    pick = random.Random(18)
    today, (starts_at, ends_at) = local_today(), period()
    with world.app.app_context():
        session = db.session
        actor = session.get(User, world.actor_id)
        desa = "17.03.01.2001"
        session.add(Region(code=desa, parent_code="17.03.01", level=4, kind="desa",
                           name="Desa bench", source="bench", centroid=Point(*CENTRE)))
        skills.seed_defaults(session)
        event = Event(number="KJD-BENCH-18", hazard="banjir", name="Banjir bench",
                      started_on=today - timedelta(days=3), created_by_id=actor.id)
        session.add(event)
        session.flush()
        posko = Posko(code="P-BENCH", event_id=event.id, name="Posko bench",
                      kind="posko_lapangan", desa_code=desa, point=Point(*CENTRE),
                      opened_on=event.started_on)
        session.add(posko)
        session.flush()
        codes = [code for code, _ in skills.DEFAULT_SKILLS]
        session.execute(insert(Volunteer), [
            {"kind": "sahabat_tagana", "name": f"Relawan {n}", "nik": f"1703{n:012d}",
             "sex": "MF"[n % 2], "birth_date": date(1990, 1, 1), "phone": f"+62812{n:08d}",
             "home_desa_code": desa, "status": "inactive" if n % 20 == 0 else "active",
             "home_lon": CENTRE[0] + pick.uniform(-HALF, HALF),
             "home_lat": CENTRE[1] + pick.uniform(-HALF, HALF), "joined_on": date(2024, 1, 1)}
            for n in range(count)])
        ids = list(session.scalars(select(Volunteer.id).order_by(Volunteer.id)))
        held, trained = [], []
        for volunteer in ids:
            for code in pick.sample(codes, pick.randint(1, 3)):
                held.append({"volunteer_id": volunteer, "skill_code": code,
                             "level": pick.randint(1, 3)})
                if pick.random() < 0.3:
                    expired = pick.random() < 0.2
                    trained.append({
                        "volunteer_id": volunteer, "kind": "spesialisasi", "skill_code": code,
                        "certificate_no": f"S-{volunteer}-{code}", "started_on": date(2024, 1, 1),
                        "ended_on": date(2024, 1, 8),
                        "expires_on": today + timedelta(days=-30 if expired else 400)})
        session.execute(insert(VolunteerSkill), held)
        session.execute(insert(Training), trained)
        session.execute(insert(Unavailability), [
            {"volunteer_id": volunteer, "starts_on": today, "ends_on": today + timedelta(days=9)}
            for volunteer in pick.sample(ids, count * 3 // 100)])
        record = Dispatch(number="DSP-BENCH-1", event_id=event.id, posko_id=posko.id)
        session.add(record)
        session.flush()
        common = {"dispatch_id": record.id, "event_id": event.id, "posko_id": posko.id,
                  "role": "dapur umum"}
        busy = pick.sample(ids, count * 12 // 100)
        now = datetime.now(UTC)
        rows = [common | {"volunteer_id": v, "starts_at": starts_at, "ends_at": ends_at,
                          "status": "dispatched"} for v in busy[:count * 2 // 100]]
        for volunteer in busy[count * 2 // 100:]:
            ended = now - timedelta(days=pick.uniform(1, 80))
            begun = ended - timedelta(hours=pick.uniform(8, 120))
            rows.append(common | {"volunteer_id": volunteer, "starts_at": begun,
                                  "ends_at": ended, "status": "ended", "checked_in_at": begun,
                                  "checked_out_at": ended})
        session.execute(insert(Deployment), rows)
        session.execute(insert(Equipment), [
            {"code": f"PK-{n}", "kind": "perahu_karet", "name": f"Perahu {n}",
             "kecamatan_code": "17.03.01" if n % 2 else None, "status": "ready"}
            for n in range(40)])
        session.commit()
        session.execute(text("ANALYZE"))
        session.commit()
        return posko.id


def measure(world, posko_id: int) -> dict:
    starts_at, ends_at = period()
    with world.app.app_context():
        session = db.session
        actor = session.get(User, world.actor_id)

        def suggest():
            result = suggestions.suggest(session, actor=actor, posko_id=posko_id,
                                         starts_at=starts_at, ends_at=ends_at, skills=NEED,
                                         equipment=KIT)
            session.rollback()
            return result

        result = suggest()
        assert [s.missing for s in result.skills] == [0, 0, 0]
        ranking = timings_ms(suggest, 30)
        start_km = nearby.START_KM
        nearby.START_KM = nearby.FULL_KM
        try:
            everyone = suggest()
            full = timings_ms(suggest, 5)
        finally:
            nearby.START_KM = start_km
        assert [[c.volunteer_id for c in s.candidates] for s in everyone.skills] == [
            [c.volunteer_id for c in s.candidates] for s in result.skills]
        box = nearby.box_around(*CENTRE, nearby.START_KM)
        arguments = {"south": box.south, "north": box.north, "west": box.west,
                     "east": box.east, "lat": CENTRE[1], "lon": CENTRE[0]}
        assert len(session.execute(text(BARE), arguments).fetchall()) == 10
        bare = timings_ms(lambda: (session.execute(text(BARE), arguments).fetchall(),
                                   session.rollback()), 50)
    return {"ranking": ranking, "full": full, "bare": bare, "radius": result.radius_km,
            "looked_at": result.looked_at, "looked_at_full": everyone.looked_at}


def table(results: dict) -> str:
    lines = timing_table(results, (
        f"{VOLUNTEERS:,} volunteers over a 100 × 100 km square; need: 4 dapur umum, "
        "2 LDP, 1 logistik, 1 perahu karet (12 ranked per skill)."), [
        ("**suggestion ranking** (`suggestions.suggest`), median / p95 ms", "< 50 ms",
         "ranking"),
        ("bare spatial-index nearest query (10 nearest in the 10 km box), median / p95 ms", "",
         "bare"),
        ("ranking reading every free candidate (no widening), median / p95 ms", "", "full")])
    lines.append("| search radius reached, km | | " + " | ".join(
        f"{r['radius']:.0f}" if r["radius"] else "all" for r in results.values()) + " |")
    lines.append("| candidates scored in detail (widening / every one) | | " + " | ".join(
        f"{r['looked_at']:,} / {r['looked_at_full']:,}" for r in results.values()) + " |")
    return "\n".join(lines)


def _measure_on(url: str, args) -> dict:
    world = build_world(url)
    return measure(world, fill(world, args.volunteers))


def main() -> None:
    run_benchmark(__doc__, _measure_on, table, (BEGIN, END),
                  options=((["--volunteers"], {"type": int, "default": VOLUNTEERS}),))


if __name__ == "__main__":
    main()
