"""The event map page for 5,000 posko over every desa of Bengkulu Utara: time and size.

    .venv/bin/python -m bench.maps_event              # measure and rewrite the docs table
    .venv/bin/python -m bench.maps_event --no-write   # print only

No database: the rows are written here as the queries would return them (maps/rows.py), with
the 220 real desa boundaries of seeds/data/boundaries/17.03-desa-kelurahan.geojson. Measured
in the same run: (a) the whole page HTML from `maps.event.event_map` + `maps.embed`
(warm: boundaries already simplified, as after the first request), (b) the same with the
simplification cache cleared (a cold process), (c) a bare folium `FastMarkerCluster` of the
same 5,000 points rendered to HTML, no popups, no areas. Page and bare cluster alternate,
so load from other work on the machine falls on both; the CPU time of this process is
reported beside the wall time, as it moves less with that load.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from pathlib import Path

import folium
from folium.plugins import FastMarkerCluster
from shapely.geometry import shape

from bench.common import write_between
from bench.report import timing_table
from bench.run_all import DOC
from maps import geometry
from maps.base import TileSource
from maps.embed import standalone_page
from maps.event import event_map

BEGIN, END = "<!-- bench:maps:begin -->", "<!-- bench:maps:end -->"
POINTS = 5_000
RUNS = 200  # the machine is shared: many samples, the median reported
DESA = Path(__file__).resolve().parents[1] / "seeds/data/boundaries/17.03-desa-kelurahan.geojson"
KINDS = ["posko_utama", "posko_lapangan", "dapur_umum", "tempat_pengungsian", "pos_kesehatan"]
GROUPS = ["Balita", "Ibu hamil", "Ibu menyusui", "Lansia", "Penyandang disabilitas"]
NEEDS = ["Beras", "Air bersih", "Selimut", "Tikar", "Popok bayi", "Susu balita"]


def rows():
    pick = random.Random(20)
    features = json.loads(DESA.read_text())["features"]
    areas = [{"code": f["properties"]["code"], "name": f["properties"]["name"], "kind": "desa",
              "parent_name": "Kecamatan", "geometry": shape(f["geometry"]),
              "figures": {"displaced": pick.choice([0, pick.randint(1, 2000)]),
                          "houses_heavy": pick.randint(0, 40)}} for f in features]
    posko = []
    for n in range(POINTS):
        desa = features[n % len(features)]["properties"]
        posko.append({
            "id": 10_000 + n, "code": f"PSK-{n:05d}", "name": f"Posko {desa['name']} {n}",
            "kind": KINDS[n % 5], "kind_label": KINDS[n % 5].replace("_", " ").title(),
            "lat": desa["centroid_lat"] + pick.uniform(-0.01, 0.01),
            "lon": desa["centroid_lng"] + pick.uniform(-0.01, 0.01),
            "desa_name": desa["name"], "is_open": pick.random() > 0.1,
            "persons": pick.randint(0, 600),
            "groups": {g: pick.randint(1, 40) for g in pick.sample(GROUPS, pick.randint(0, 4))},
            "unmet_needs": [f"{item}: kurang {pick.randint(1, 50) * 10} kg"
                            for item in pick.sample(NEEDS, pick.randint(0, 2))],
            "days_of_cover": pick.choice([None, round(pick.uniform(0, 14), 1)]),
            "volunteers": pick.randint(0, 20), "equipment": pick.randint(0, 5)})
    warehouses = [{"id": n, "code": f"GD-{n}", "name": f"Gudang {n}", "kind_label": "Lumbung",
                   "lat": -3.4 + n * 0.01, "lon": 102.0, "status": "ok", "items_low": 0,
                   "lots_expiring": 0, "lots_expired": 0} for n in range(10)]
    return areas, posko, warehouses


def sample(call) -> tuple[float, float]:
    """One call: (wall, CPU of this process) in milliseconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def summary(samples: list[tuple[float, float]]) -> dict:
    walls = sorted(wall for wall, _cpu in samples)
    return {"median": statistics.median(walls), "p95": walls[int(len(walls) * 0.95) - 1],
            "cpu": statistics.median(cpu for _wall, cpu in samples), "runs": len(samples)}


def measure(runs: int = RUNS) -> dict:
    areas, posko, warehouses = rows()

    def links(kind, ident):
        return f"/emergency/{kind}/{ident}"

    def asset(package, filename):
        return f"/static/vendor/{package}/{filename}?v=0123456789abcdef"

    def page():
        m = event_map(areas, posko, warehouses, links=links, tiles=TileSource.openstreetmap())
        return standalone_page(m, asset, nonce="n")

    def cold():
        geometry.clear_cache()
        return page()

    def bare():
        m = folium.Map(location=[-3.4, 102.0], zoom_start=9)
        FastMarkerCluster([[p["lat"], p["lon"]] for p in posko]).add_to(m)
        return m.get_root().render()

    html = page()
    load = os.getloadavg()[0]
    # The page and the bare cluster alternate, so a burst of load on the shared machine
    # falls on both alike.
    pages, bares = [], []
    for _ in range(runs):
        pages.append(sample(page))
        bares.append(sample(bare))
    colds = [sample(cold) for _ in range(max(5, runs // 10))]
    return {"page": summary(pages), "cold": summary(colds), "bare": summary(bares),
            "page_kb": len(html.encode()) / 1024, "bare_kb": len(bare().encode()) / 1024,
            "areas": len(areas), "load": (load, os.getloadavg()[0])}


def table(results: dict) -> str:
    result = results["no database"]
    load = "load average {:.1f} when the run began, {:.1f} when it ended".format(*result["load"])
    lines = timing_table(results, (
        f"{POINTS:,} posko (popups with groups and unmet needs) clustered, "
        f"{result['areas']} desa boundaries, 10 warehouses; no database. Wall time, median / "
        f"p95 of {result['page']['runs']} runs (page and bare cluster alternating) and the "
        f"median CPU time of the process; {load} (the 2 CPUs were shared with other work)."), [
        ("**event map page** (`event_map` + `standalone_page`, warm), median / p95 ms",
         "≤ 100 ms", "page"),
        ("the same, boundaries simplified afresh (cold process), median / p95 ms", "", "cold"),
        ("bare folium `FastMarkerCluster` of the same points, median / p95 ms", "", "bare")])
    for name, key in (("event map page, median CPU ms", "page"),
                      ("bare FastMarkerCluster, median CPU ms", "bare")):
        lines.append(f"| {name} | | " + " | ".join(
            f"{r[key]['cpu']:.1f}" for r in results.values()) + " |")
    for name, target, key in (("**event map page size**, KB", "≤ 512 KB", "page_kb"),
                              ("bare FastMarkerCluster page size, KB", "", "bare_kb")):
        lines.append(f"| {name} | {target} | " + " | ".join(
            f"{r[key]:.0f}" for r in results.values()) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--runs", type=int, default=RUNS, help="page and bare samples each")
    args = parser.parse_args()
    text = table({"no database": measure(args.runs)})
    print(text)
    if not args.no_write:
        write_between(DOC, BEGIN, END, text)


if __name__ == "__main__":
    main()
