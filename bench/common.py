"""A fresh, migrated database per run, with a warehouse, items and a user to post as."""

from __future__ import annotations

import statistics
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from logistics.accounts import operations as accounts
from logistics.regions.models import Region
from logistics.stock import setup

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PASSWORD = "bench-password-1"


@dataclass
class World:
    app: object
    url: str
    actor_id: int
    warehouse_ids: list[int]
    item_ids: list[int]


@contextmanager
def fresh_database(backend: str):
    """Yield the URL of an empty database that is dropped afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/bench.sqlite3"
        return
    name = f"lumbung_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def build_world(url: str, *, warehouses: int = 1, items: int = 1, instance=None) -> World:
    """Migrate, then add regions, an admin, warehouses and items (no stock yet)."""
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "STOCK_EMERGENCY_GATE": False,
                      "INSTANCE_PATH": instance or tempfile.mkdtemp(prefix="lumbung-bench-")})
    with app.app_context():
        upgrade()
        session = db.session
        for code, parent, level, kind in (("17", None, 1, "provinsi"),
                                          ("17.03", "17", 2, "kabupaten"),
                                          ("17.03.01", "17.03", 3, "kecamatan")):
            session.add(Region(code=code, parent_code=parent, level=level, kind=kind,
                               name=code, source="bench"))
        actor = accounts.create_user(session, username="bench", full_name="Bench",
                                     role="admin", password=PASSWORD)
        warehouse_ids = [setup.create_warehouse(
            session, code=f"W{n}", name=f"Gudang {n}", kind="central",
            region_code="17.03.01").id for n in range(warehouses)]
        item_ids = [setup.create_item(
            session, code=f"I{n}", name_id=f"Barang {n}", name_en=f"Item {n}",
            category="pangan", base_unit="kg").id for n in range(items)]
        session.commit()
        return World(app, url, actor.id, warehouse_ids, item_ids)


def timings_ms(call, repeat: int) -> dict:
    """Median and 95th percentile of ``repeat`` calls, in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {"median": statistics.median(samples), "p95": samples[int(len(samples) * 0.95) - 1]}


def rate(call, seconds: float = 3.0) -> float:
    """Calls per second, run for about ``seconds``."""
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        call()
        count += 1
    return count / (time.perf_counter() - start)


def write_between(doc, begin: str, end: str, text: str) -> None:
    """Replace what stands between a benchmark's two markers in ``doc`` with ``text``: each
    benchmark rewrites only its own table in docs/performance.md."""
    content = doc.read_text()
    start, stop = content.index(begin) + len(begin), content.index(end)
    doc.write_text(content[:start] + "\n" + text + "\n" + content[stop:])
