"""What every scenario benchmark shares around its own measuring: the command line (``--db``,
``--no-write``), one fresh database per backend, and the docs table with one column per
database, rewritten between the benchmark's markers in docs/performance.md."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable

from bench.common import fresh_database, write_between
from bench.run_all import DOC, machine


def timing_table(results: dict, preamble: str, rows: list[tuple[str, str, str]]) -> list[str]:
    """The table's lines: the machine, what was measured, then one ``median / p95`` row per
    (name, target, key of the results); a caller may append rows of its own."""
    lines = [f"Measured {machine()}.", "", preamble, "",
             "| measure | target | " + " | ".join(results) + " |",
             "| --- | --- | " + " | ".join("---" for _ in results) + " |"]
    for name, target, key in rows:
        lines.append(f"| {name} | {target} | " + " | ".join(
            f"{r[key]['median']:.1f} / {r[key]['p95']:.1f}" for r in results.values()) + " |")
    return lines


def run_benchmark(description: str, measure_on: Callable, table: Callable, markers: tuple,
                  options: tuple = ()) -> None:
    """Parse the options, run ``measure_on(url, args)`` on a fresh database per backend, print
    ``table(results)`` and write it between ``markers`` unless ``--no-write``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--db", choices=["both", "sqlite", "postgresql"], default="both")
    parser.add_argument("--no-write", action="store_true", help="print only")
    for flags, settings in options:
        parser.add_argument(*flags, **settings)
    args = parser.parse_args()
    logging.disable(logging.INFO)
    results = {}
    for backend in ["sqlite", "postgresql"] if args.db == "both" else [args.db]:
        with fresh_database(backend) as url:
            results[backend] = measure_on(url, args)
        print(f"  {backend} measured", flush=True)
    text = table(results)
    print(text)
    if not args.no_write:
        write_between(DOC, *markers, text)
