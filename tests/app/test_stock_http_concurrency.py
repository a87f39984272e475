"""Two gunicorn worker processes taking requests at once, as `make run` serves the app."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def gunicorn(database_url, tmp_path):
    """Serve the test database with two gunicorn workers; always stopped afterwards."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "LUMBUNG_INSTANCE_PATH": str(tmp_path),
           "LUMBUNG_STOCK_EMERGENCY_GATE": "false", "SECRET_KEY": "test-only"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "wsgi:app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/login", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start: " + process.stderr.read1().decode())
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _post(url: str, body: dict, headers: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def issue_setup(stock, make_user, auth):
    keeper = make_user("warehouse_keeper")
    warehouse, rice = stock.warehouse(keepers=[keeper]), stock.item()
    stock.receive(warehouse, rice, 100)
    headers = auth.headers(keeper)
    body = {"warehouse_id": warehouse, "recipient_kind": "posko", "recipient_name": "Posko",
            "giver_name": "A", "receiver_name": "B", "lines": [{"item_id": rice, "qty": 7}]}
    return warehouse, rice, headers, body


def test_two_workers_issuing_at_once_take_exactly_what_is_there(gunicorn, issue_setup, stock):
    warehouse, rice, headers, body = issue_setup
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(
            lambda _: _post(gunicorn + "/api/v1/stock/issues", body, headers), range(30)))
    statuses = [status for status, _ in results]
    assert statuses.count(201) == 14
    assert statuses.count(409) == 16
    assert stock.on_hand(warehouse, rice) == 2
    assert stock.mismatches() == []


def test_one_idempotency_key_replayed_across_workers_posts_once(gunicorn, issue_setup, stock):
    warehouse, rice, headers, body = issue_setup
    headers = {**headers, "Idempotency-Key": "flaky-signal-42"}
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(
            lambda _: _post(gunicorn + "/api/v1/stock/issues", body, headers), range(16)))
    assert {status for status, _ in results} == {201}
    assert len({answer["id"] for _, answer in results}) == 1
    assert stock.on_hand(warehouse, rice) == 93
    assert stock.mismatches() == []
