"""API throughput under `gunicorn -w 2`: POST issue against trivial endpoints."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

from app.extensions import db
from bench.common import PASSWORD
from logistics.accounts.models import User
from logistics.calendar import local_today
from logistics.stock import operations

ROOT = Path(__file__).resolve().parents[1]
CLIENTS = 8


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _call(url, body=None, headers=None):
    request = urllib.request.Request(
        url, data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
        method="GET" if body is None else "POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _throughput(make_call, seconds: float) -> tuple[float, set]:
    deadline = time.perf_counter() + seconds
    statuses: set = set()

    def client(_):
        done = 0
        while time.perf_counter() < deadline:
            statuses.add(make_call())
            done += 1
        return done

    start = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        total = sum(pool.map(client, range(CLIENTS)))
    return total / (time.perf_counter() - start), statuses


def measure(world, seconds: float = 5.0) -> dict:
    warehouse, item = world.warehouse_ids[0], world.item_ids[0]
    with world.app.app_context():
        operations.receive_stock(db.session, actor=db.session.get(User, world.actor_id),
                                 warehouse_id=warehouse, lines=[{
                                     "item_id": item, "qty": 10_000_000, "batch_no": "API",
                                     "expires_on": local_today() + timedelta(days=300)}])
        db.session.commit()
    port = _port()
    env = {**os.environ, "DATABASE_URL": world.url, "SECRET_KEY": "bench",
           "LUMBUNG_INSTANCE_PATH": world.app.instance_path,
           "LUMBUNG_STOCK_EMERGENCY_GATE": "false"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "wsgi:app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        token_request = urllib.request.Request(
            base + "/api/v1/auth/token", data=json.dumps(
                {"username": "bench", "password": PASSWORD}).encode(),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(token_request) as response:
            token = json.loads(response.read())["token"]
        auth = {"Authorization": f"Bearer {token}"}
        body = {"warehouse_id": warehouse, "recipient_kind": "person", "recipient_name": "P",
                "giver_name": "A", "receiver_name": "B", "lines": [{"item_id": item, "qty": 1}]}
        health, _ = _throughput(lambda: _call(base + "/healthz"), seconds)
        me, _ = _throughput(lambda: _call(base + "/api/v1/auth/me", headers=auth), seconds)
        issue, statuses = _throughput(lambda: _call(
            base + "/api/v1/stock/issues", body,
            {**auth, "Idempotency-Key": uuid.uuid4().hex}), seconds)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert statuses == {201}, statuses
    return {"healthz_per_s": health, "me_per_s": me, "issue_per_s": issue,
            "ratio_healthz": issue / health, "ratio_me": issue / me}
