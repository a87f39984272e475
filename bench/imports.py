"""Large sheet imports through `gunicorn -w 2` (30 s worker timeout), on each database.

    .venv/bin/python -m bench.imports                       # 50,000 and 100,000 rows, both
    .venv/bin/python -m bench.imports --db sqlite --rows 5000 --no-write   # a quick dry run

For each size: the opening-stock sheet is read alone (no database), then posted over HTTP
while a second client posts one-line receipts in a loop, then a catalogue sheet of as many
rows is posted. Sizes above the default cap raise LUMBUNG_IMPORT_MAX_ROWS for the run. The
numbers replace the table between the imports markers in docs/performance.md.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import random
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import date, timedelta

from openpyxl import Workbook
from sqlalchemy import update

from app.extensions import db
from bench.api import _port
from bench.common import PASSWORD, build_world, fresh_database, write_between
from bench.run_all import DOC, machine
from logistics.core.xlsx import DEFAULT_LIMITS, Limits
from logistics.stock import imports
from logistics.stock.models import Item
from logistics.stock.spreadsheets import CATALOGUE_COLUMNS, OPENING_COLUMNS

BEGIN, END = "<!-- bench:imports:begin -->", "<!-- bench:imports:end -->"
WAREHOUSES, ITEMS = 6, 200
ROOT = DOC.parents[1]


def _book(header, rows) -> bytes:
    book = Workbook()
    book.active.append(list(header))
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def opening_sheet(rows: int, seed: int = 15) -> bytes:
    """Six warehouses, 200 items (half perishable), a batch per row or so, mostly Kemensos."""
    pick = random.Random(seed)

    def row(n):
        item, batch = pick.randrange(ITEMS), n // 3
        perishable = item % 2 == 0
        expires = date(2027, 1, 1) + timedelta(days=(item * 7 + batch) % 700) \
            if perishable or (item + batch) % 2 else None
        source = pick.choice(["kemensos"] * 7 + ["provinsi", "apbd", "donor"])
        donor = pick.choice(["CSR Bank", "PMI", "Baznas"]) if source == "donor" else None
        return (f"W{pick.randrange(WAREHOUSES)}", f"I{item}", f"B{batch}", expires,
                pick.randint(1, 500), source, donor)

    return _book(OPENING_COLUMNS, (row(n) for n in range(rows)))


def catalogue_sheet(rows: int) -> bytes:
    return _book(CATALOGUE_COLUMNS, ((f"K{n}", f"Barang {n}", f"Item {n}", "pangan", "kg",
                                      "ya" if n % 2 else "", 365, 3600,
                                      "karung=25" if n % 3 == 0 else "") for n in range(rows)))


def _request(url, *, body=None, headers=None, files=None):
    headers = dict(headers or {})
    if files is not None:
        boundary = uuid.uuid4().hex
        name, content = files
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                f"filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                ).encode() + content + f"\r\n--{boundary}--\r\n".encode()
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    elif body is not None:
        body, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    request = urllib.request.Request(url, data=body, headers=headers,
                                     method="POST" if body is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, {"error": error.read()[:300]}


class Server:
    """`gunicorn -w 2` on the benchmark database, as `make run` serves it."""

    def __init__(self, world, rows: int):
        self.port = _port()
        env = {**os.environ, "DATABASE_URL": world.url, "SECRET_KEY": "bench",
               "LUMBUNG_INSTANCE_PATH": world.app.instance_path,
               "LUMBUNG_STOCK_EMERGENCY_GATE": "false",
               "LUMBUNG_IMPORT_MAX_ROWS": str(max(rows, DEFAULT_LIMITS.max_rows))}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "2", "--timeout", "30",
             "--bind", f"127.0.0.1:{self.port}", "wsgi:app"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(200):
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        status, answer = _request(self.base + "/api/v1/auth/token",
                                  body={"username": "bench", "password": PASSWORD})
        assert status == 201, answer
        self.auth = {"Authorization": f"Bearer {answer['token']}"}

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def _post_import(server, kind: str, content: bytes) -> tuple[float, int, object]:
    start = time.perf_counter()
    status, answer = _request(f"{server.base}/api/v1/stock/files/imports/{kind}",
                              headers=server.auth, files=(f"{kind}.xlsx", content))
    return time.perf_counter() - start, status, answer


def _receipts_meanwhile(server, world, stop: threading.Event, waits: list, statuses: list):
    body = {"warehouse_id": world.warehouse_ids[0],
            "lines": [{"item_id": world.item_ids[1], "qty": 1}]}
    while not stop.is_set():
        start = time.perf_counter()
        status, _ = _request(server.base + "/api/v1/stock/receipts", body=body,
                             headers=server.auth)
        waits.append(time.perf_counter() - start)
        statuses.append(status)
        time.sleep(0.05)


def measure(backend: str, rows: int, opening: bytes, catalogue: bytes) -> dict:
    start = time.perf_counter()
    imports.read_sheet("opening", opening, limits=Limits(max_rows=rows))
    result = {"size_mb": len(opening) / 2**20, "read_s": time.perf_counter() - start}
    with fresh_database(backend) as url:
        world = build_world(url, warehouses=WAREHOUSES, items=ITEMS)
        with world.app.app_context():
            db.session.execute(update(Item).where(Item.id % 2 == 1).values(is_perishable=True))
            db.session.commit()
            db.engine.dispose()
        server = Server(world, rows)
        try:
            stop, waits, statuses = threading.Event(), [], []
            poster = threading.Thread(target=_receipts_meanwhile,
                                      args=(server, world, stop, waits, statuses))
            poster.start()
            try:
                seconds, status, answer = _post_import(server, "opening", opening)
            finally:
                stop.set()
                poster.join()
            assert (status, answer.get("rows")) == (201, rows), answer
            result.update(opening_s=seconds, receipts=len(waits), receipt_max_s=max(waits),
                          receipts_failed=sum(status != 201 for status in statuses))
            seconds, status, answer = _post_import(server, "catalogue", catalogue)
            assert (status, answer.get("rows")) == (201, rows), answer
            result["catalogue_s"] = seconds
        finally:
            server.stop()
    return result


def table(results: dict, load: float) -> str:
    lines = [f"Measured {machine()}; load average {load:.1f} when the run began "
             "(the CPUs were shared).", "",
             "| measure | " + " | ".join(results) + " |",
             "| --- | " + " | ".join("---" for _ in results) + " |"]

    def row(name, pick):
        lines.append(f"| {name} | " + " | ".join(pick(r) for r in results.values()) + " |")

    row("XLSX size", lambda r: f"{r['size_mb']:.1f} MB")
    row("reading the opening sheet (no database), s", lambda r: f"{r['read_s']:.1f}")
    row("**POST opening stock, s** (timeout 30 s)", lambda r: f"**{r['opening_s']:.1f}**")
    row("receipts sent meanwhile / failed / longest wait, s",
        lambda r: f"{r['receipts']} / {r['receipts_failed']} / {r['receipt_max_s']:.1f}")
    row("POST catalogue of as many items, s", lambda r: f"{r['catalogue_s']:.1f}")
    return "\n".join(lines)



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["both", "sqlite", "postgresql"], default="both")
    parser.add_argument("--rows", type=int, nargs="+", default=[50_000, 100_000])
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    logging.disable(logging.INFO)
    backends = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    load, results = os.getloadavg()[0], {}
    for rows in args.rows:
        opening, catalogue = opening_sheet(rows), catalogue_sheet(rows)
        for backend in backends:
            results[f"{backend}, {rows:,} rows"] = measure(backend, rows, opening, catalogue)
            print(f"  {backend}: {rows:,} rows: {results[f'{backend}, {rows:,} rows']}",
                  flush=True)
    text = table(results, load)
    print(text)
    if not args.no_write:
        write_between(DOC, BEGIN, END, text)


if __name__ == "__main__":
    main()
