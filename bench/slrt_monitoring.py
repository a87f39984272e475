"""SLRT monitoring of a whole kabupaten: 50,000 households, 20,000 cases with their step
history and referrals, the monitoring page beside a bare aggregate over the same rows
(issue 19, part 7).

    .venv/bin/python -m bench.slrt_monitoring                  # both databases
    .venv/bin/python -m bench.slrt_monitoring --db sqlite --no-write   # a quick dry run

Rows go in through Core inserts. 10 kecamatan of 10 desa, one Puskesos each; 50,000
households; 20,000 cases registered over the last year, 30 % from two disaster events, each
moved along the steps with a realistic history (a few go back a step; a third are closed);
cases past penetapan carry one to three referrals with their own moves. Measured:
(a) the monitoring page, `GET /slrt/monitoring` through Flask's test client as admin (every
    figure: cases per step with overdue, median days per step from the history, referrals per
    programme and status, sources, events; HTML);
(b) `monitoring.monitoring` alone (the queries);
(c) the median query alone (the window functions over the whole step history);
(d) a bare aggregate over the same rows: SELECT status, count(*) FROM slrt_cases GROUP BY
    status;
(e) the admin's queue page, `GET /slrt/queue` (first page of 50, oldest first).
The numbers replace the table between the SLRT markers in docs/performance.md.
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
from logistics.db import utcnow
from logistics.emergency.models import Event
from logistics.referrals import monitoring
from logistics.referrals.case_models import Case, Programme, Referral, Step
from logistics.referrals.defaults import install_defaults
from logistics.referrals.models import Household, Puskesos
from logistics.regions.models import Region

BEGIN, END = "<!-- bench:slrt:begin -->", "<!-- bench:slrt:end -->"
KECAMATAN, DESA, HOUSEHOLDS, CASES = 10, 10, 50_000, 20_000
FORWARD = ["pendaftaran", "penanganan", "penetapan", "rujukan", "selesai"]
BARE = "SELECT status, count(*) FROM slrt_cases GROUP BY status"


def _moves(pick, start: datetime, now: datetime) -> list[tuple[str | None, str, datetime]]:
    """A case's history from registration: forward steps of 1-12 days, sometimes one back."""
    moves, at, position = [(None, "pendaftaran", start)], start, 0
    target = pick.choices(range(5), weights=(10, 15, 10, 25, 40))[0]
    while position < target:
        at = at + timedelta(days=pick.uniform(0.2, 12))
        if at >= now:
            break
        if position in (1, 2) and pick.random() < 0.08:  # sent back once
            moves.append((FORWARD[position], FORWARD[position - 1], at))
            at = at + timedelta(days=pick.uniform(0.5, 4))
            moves.append((FORWARD[position - 1], FORWARD[position], at))
            continue
        moves.append((FORWARD[position], FORWARD[position + 1], at))
        position += 1
    return moves


def fill(world) -> None:
    pick = random.Random(19)
    now = utcnow()
    with world.app.app_context():
        session = db.session
        actor = session.get(User, world.actor_id)
        regions = []
        for k in range(KECAMATAN):
            code = f"17.03.{k + 1:02d}"
            if code != "17.03.01":
                regions.append({"code": code, "parent_code": "17.03", "level": 3,
                                "kind": "kecamatan", "name": f"Kecamatan {k + 1}",
                                "source": "bench"})
            regions += [{"code": f"{code}.{2001 + d}", "parent_code": code, "level": 4,
                         "kind": "desa", "name": f"Desa {k + 1}-{d + 1}", "source": "bench"}
                        for d in range(DESA)]
        session.execute(insert(Region), regions)
        desa = [r["code"] for r in regions if r["level"] == 4]
        session.execute(insert(Puskesos), [{"desa_code": code, "name": f"Puskesos {code}",
                                            "is_active": True} for code in desa])
        install_defaults(session)
        puskesos = dict(session.execute(select(Puskesos.desa_code, Puskesos.id)).all())
        events = []
        for n in range(2):
            event = Event(number=f"KJD-SLRT-{n}", hazard="banjir", name=f"Banjir {n}",
                          started_on=local_today() - timedelta(days=200 - 90 * n),
                          created_by_id=actor.id)
            session.add(event)
            session.flush()
            events.append(event.id)
        households = []
        for n in range(HOUSEHOLDS):
            code = desa[n % len(desa)]
            households.append({"kk_number": f"1703{n:012d}", "puskesos_id": puskesos[code],
                               "desa_code": code, "address": f"Jl. Bench {n}",
                               "registered_by_id": actor.id, "registered_at": now})
        session.execute(insert(Household), households)
        household_rows = session.execute(select(Household.id, Household.puskesos_id)
                                         .order_by(Household.id)).all()
        chosen = pick.sample(household_rows, CASES)
        cases, histories = [], []
        for n, (household_id, puskesos_id) in enumerate(chosen):
            start = now - timedelta(days=pick.uniform(0, 365))
            moves = _moves(pick, start, now)
            disaster = pick.random() < 0.3
            cases.append({"number": f"SLRT-B-{n:06d}", "household_id": household_id,
                          "puskesos_id": puskesos_id,
                          "source": "kaji_bencana" if disaster else "datang_langsung",
                          "event_id": pick.choice(events) if disaster else None,
                          "status": moves[-1][1], "status_since": moves[-1][2],
                          "registered_by_id": actor.id, "registered_at": start})
            histories.append(moves)
        session.execute(insert(Case), cases)
        case_ids = list(session.scalars(select(Case.id).order_by(Case.id)))
        programmes = list(session.scalars(select(Programme.id).order_by(Programme.id)))
        steps, referrals = [], []
        for case_id, moves in zip(case_ids, histories, strict=True):
            steps += [{"case_id": case_id, "from_status": old, "to_status": new, "at": at,
                       "actor_id": actor.id} for old, new, at in moves]
            decided = next((at for old, new, at in moves if new == "rujukan"), None)
            if decided is not None:
                for programme_id in pick.sample(programmes, pick.randint(1, 3)):
                    status = pick.choice(["dikirim", "diterima", "dilayani", "ditolak"])
                    referrals.append({"case_id": case_id, "programme_id": programme_id,
                                      "status": status, "recommended_by_id": actor.id,
                                      "status_since": decided + timedelta(
                                          days=pick.uniform(0, 20))})
        session.execute(insert(Step), steps)
        session.execute(insert(Referral), referrals)
        session.execute(insert(Step), [
            {"case_id": r.case_id, "referral_id": r.id, "from_status": "ditetapkan",
             "to_status": r.status, "at": r.status_since, "actor_id": actor.id}
            for r in session.execute(select(Referral.id, Referral.case_id, Referral.status,
                                            Referral.status_since))])
        session.commit()
        session.execute(text("ANALYZE"))
        session.commit()
        world.counts = {"steps": len(steps), "referrals": len(referrals)}


def measure(world) -> dict:
    app = create_app({"DATABASE_URL": world.url, "SECRET_KEY": "bench",
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "INSTANCE_PATH": tempfile.mkdtemp(prefix="lumbung-bench-")})
    with app.app_context():
        session = db.session
        actor = session.get(User, world.actor_id)
        now = datetime.now(UTC)
        figures = monitoring.monitoring(session, actor, now=now)
        assert figures.totals["cases"] == CASES
        area = figures.area
        queries = timings_ms(lambda: (monitoring.monitoring(session, actor, now=now),
                                      session.rollback()), 20)
        medians = timings_ms(lambda: (monitoring.median_days_per_step(session, area),
                                      session.rollback()), 20)
        bare = timings_ms(lambda: (session.execute(text(BARE)).fetchall(),
                                   session.rollback()), 50)
    client = app.test_client()
    assert client.post("/login", data={"username": "bench", "password": PASSWORD}
                       ).status_code == 302
    assert client.get("/slrt/monitoring").status_code == 200
    page = timings_ms(lambda: client.get("/slrt/monitoring").get_data(), 20)
    kecamatan = timings_ms(lambda: client.get("/slrt/monitoring?kecamatan=17.03.02").get_data(),
                           20)
    assert client.get("/slrt/queue").status_code == 200
    queue = timings_ms(lambda: client.get("/slrt/queue").get_data(), 20)
    return {"page": page, "kecamatan": kecamatan, "queries": queries, "medians": medians,
            "bare": bare, "queue": queue, **world.counts}


def table(results: dict) -> str:
    first = next(iter(results.values()))
    return "\n".join(timing_table(results, (
        f"{KECAMATAN * DESA} desa with a Puskesos each, {HOUSEHOLDS:,} households, "
        f"{CASES:,} cases with {first['steps']:,} case steps, {first['referrals']:,} "
        "referrals (each with its step)."), [
        ("**monitoring page, whole kabupaten** (GET, HTML, admin), median / p95 ms", "< 1 s",
         "page"),
        ("monitoring page, one kecamatan, median / p95 ms", "", "kecamatan"),
        ("`monitoring.monitoring` (every figure's query), median / p95 ms", "", "queries"),
        ("median days per step alone (window functions over the history), median / p95 ms",
         "", "medians"),
        ("bare `SELECT status, count(*) FROM slrt_cases GROUP BY status`, median / p95 ms", "",
         "bare"),
        ("queue page, admin, first 50 of every open case, median / p95 ms", "", "queue")]))


def _measure_on(url: str, args) -> dict:
    world = build_world(url)
    fill(world)
    return measure(world)


def main() -> None:
    run_benchmark(__doc__, _measure_on, table, (BEGIN, END))


if __name__ == "__main__":
    main()
