"""Issues racing over HTTP: threads on the app's own server, and two gunicorn worker processes
taking requests at once, as `make run` serves the app."""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from logistics.stock.documents import Document

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def issue_setup(stock, make_user, auth):
    """A keeper's bearer headers and an issue body for 7 of the 100 kg of rice they keep."""
    keeper = make_user("warehouse_keeper")
    warehouse, rice = stock.warehouse(keepers=[keeper]), stock.item()
    stock.receive(warehouse, rice, 100)
    body = {"warehouse_id": warehouse, "recipient_kind": "person", "recipient_name": "Pak Rahmat",
            "giver_name": "A", "receiver_name": "B", "lines": [{"item_id": rice, "qty": 7}]}
    return warehouse, rice, auth.headers(keeper), body


def _issue_count(app, warehouse_id) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Document).where(
            Document.kind == "issue", Document.warehouse_id == warehouse_id))


# --- threads, each with its own test client -------------------------------------------------

def test_one_idempotency_key_sent_by_many_threads_at_once_posts_once(app, issue_setup, stock):
    warehouse, rice, headers, body = issue_setup
    headers = {**headers, "Idempotency-Key": "phone-retry-7"}
    barrier = threading.Barrier(8)

    def send(_):
        client = app.test_client()
        barrier.wait()
        response = client.post("/api/v1/stock/issues", json=body, headers=headers)
        return response.status_code, response.get_json()

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(send, range(8)))
    assert [status for status, _ in results] == [201] * 8
    assert all(answer == results[0][1] for _, answer in results)  # the first answer, replayed
    assert stock.on_hand(warehouse, rice) == 93
    assert _issue_count(app, warehouse) == 1
    assert stock.mismatches() == []


# --- two gunicorn workers ----------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """A running `gunicorn -w 2`; its access log names the worker (pid) behind each answer."""

    def __init__(self, base: str, access_log: Path):
        self.base, self.access_log = base, access_log

    def worker_pids(self, requests: int) -> set[str]:
        """Workers that answered, once all ``requests`` are logged (logged just after sending)."""
        for _ in range(50):
            lines = self.access_log.read_text().splitlines()
            if len(lines) >= requests:
                break
            time.sleep(0.05)
        return {line.split()[0] for line in lines}


@pytest.fixture
def gunicorn(database_url, tmp_path):
    """Serve the test database with two gunicorn workers; always stopped afterwards."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "LUMBUNG_INSTANCE_PATH": str(tmp_path),
           "LUMBUNG_STOCK_EMERGENCY_GATE": "false", "SECRET_KEY": "test-only"}
    access_log, error_log = tmp_path / "access.log", tmp_path / "error.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--graceful-timeout", "5", "--access-logfile", str(access_log),
         "--access-logformat", "%(p)s %(m)s %(U)s %(s)s", "--error-logfile", str(error_log),
         "wsgi:app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            if process.poll() is not None:
                pytest.fail("gunicorn exited: " + error_log.read_text())
            try:
                urllib.request.urlopen(base + "/login", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not answer: " + error_log.read_text())
        access_log.write_text("")  # count only the test's own requests
        yield Gunicorn(base, access_log)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _post(url: str, body: dict, headers: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _post_many(server: Gunicorn, body: dict, headers: dict, times: int) -> list:
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(
            lambda _: _post(server.base + "/api/v1/stock/issues", body, headers), range(times)))


def test_two_workers_issuing_at_once_take_exactly_what_is_there(gunicorn, issue_setup, stock):
    warehouse, rice, headers, body = issue_setup
    results = _post_many(gunicorn, body, headers, times=30)
    statuses = [status for status, _ in results]
    assert statuses.count(201) == 100 // 7
    assert statuses.count(409) == 30 - 14  # refused as a conflict, not a crash
    assert {answer["status"] for status, answer in results if status == 409} == {409}
    assert len(gunicorn.worker_pids(requests=30)) == 2  # both processes really took a share
    assert stock.on_hand(warehouse, rice) == 2
    assert stock.mismatches() == []


def test_one_idempotency_key_replayed_across_workers_posts_once(
        app, gunicorn, issue_setup, stock):
    warehouse, rice, headers, body = issue_setup
    headers = {**headers, "Idempotency-Key": "flaky-signal-42"}
    # The kernel, not the test, picks the worker that accepts: send rounds of retries until
    # both workers have answered one (usually the first round does), each a replay.
    results, sent = [], 0
    while sent < 80 and (sent == 0 or len(gunicorn.worker_pids(requests=sent)) < 2):
        results += _post_many(gunicorn, body, headers, times=16)
        sent += 16
    assert {status for status, _ in results} == {201}
    assert len({answer["id"] for _, answer in results}) == 1
    assert len(gunicorn.worker_pids(requests=sent)) == 2
    assert stock.on_hand(warehouse, rice) == 93
    assert _issue_count(app, warehouse) == 1
    assert stock.mismatches() == []
