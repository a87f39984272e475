"""Run every stock benchmark on each database and write the numbers into docs/performance.md.

    .venv/bin/python -m bench.run_all                 # both databases, 1M movements
    .venv/bin/python -m bench.run_all --db sqlite --movements 20000   # a quick dry run
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from bench import api, lookups, posting
from bench.common import PG_ADMIN, build_world, fresh_database, write_between

DOC = Path(__file__).resolve().parents[1] / "docs" / "performance.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def run_backend(backend: str, movements: int) -> dict:
    results: dict = {}
    with fresh_database(backend) as url:
        world = build_world(url)
        results["posting"] = posting.measure(world)
        results["api"] = api.measure(world)
    for size in (10_000, movements):
        with fresh_database(backend) as url:
            world = build_world(url, warehouses=10, items=20)
            lookups.fill_ledger(world, size)
            results[f"lookups_{size}"] = lookups.measure(world, check=size <= 10_000)
        print(f"  {backend}: {size:,} movements measured", flush=True)
    return results


def machine() -> str:
    with psycopg.connect(PG_ADMIN) as connection:
        server = connection.execute("SHOW server_version").fetchone()[0]
    return (f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} CPUs; "
            f"Python {platform.python_version()}; SQLite {sqlite3.sqlite_version}; "
            f"PostgreSQL {server}")


def table(results: dict, movements: int) -> str:
    lines = [f"Measured {machine()}.", "",
             "| measure | target | " + " | ".join(results) + " |",
             "| --- | --- | " + " | ".join("---" for _ in results) + " |"]

    def row(name, target, pick):
        lines.append(f"| {name} | {target} | " + " | ".join(pick(r) for r in results.values())
                     + " |")

    row("bare guarded UPDATE + INSERT, per s", "", lambda r: f"{r['posting']['bare_per_s']:,.0f}")
    row("issue_stock (real operation), per s", "", lambda r: f"{r['posting']['issue_per_s']:,.0f}")
    row("**issue / bare**", "≥ 50 %", lambda r: f"**{r['posting']['issue_ratio']:.0%}**")
    row("issue_stock with an idempotency key, per s", "",
        lambda r: f"{r['posting']['issue_key_per_s']:,.0f}")
    row("issue with key / bare", "", lambda r: f"{r['posting']['issue_key_ratio']:.0%}")
    row("receive_stock, per s", "", lambda r: f"{r['posting']['receive_per_s']:,.0f}")
    for size in (10_000, movements):
        data = f"lookups_{size}"
        row(f"balance lookup at {size:,} lines, median / p95 ms", "< 5 ms",
            lambda r, d=data: f"{r[d]['lookup']['median']:.2f} / {r[d]['lookup']['p95']:.2f}")
        row(f"stock card first page at {size:,} lines, median / p95 ms", "< 20 ms",
            lambda r, d=data: f"{r[d]['card']['median']:.2f} / {r[d]['card']['p95']:.2f}")
    row("GET /healthz under gunicorn -w 2, per s", "",
        lambda r: f"{r['api']['healthz_per_s']:,.0f}")
    row("GET /api/v1/auth/me (token), per s", "", lambda r: f"{r['api']['me_per_s']:,.0f}")
    row("POST /api/v1/stock/issues, per s", "", lambda r: f"{r['api']['issue_per_s']:,.0f}")
    row("**issue / healthz**", "≥ 30 %", lambda r: f"**{r['api']['ratio_healthz']:.0%}**")
    row("issue / auth/me", "", lambda r: f"{r['api']['ratio_me']:.0%}")
    return "\n".join(lines)



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["both", "sqlite", "postgresql"], default="both")
    parser.add_argument("--movements", type=int, default=1_000_000)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    logging.disable(logging.INFO)
    backends = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    results = {backend: run_backend(backend, args.movements) for backend in backends}
    text = table(results, args.movements)
    print(text)
    if not args.no_write:
        write_between(DOC, BEGIN, END, text)


if __name__ == "__main__":
    main()
