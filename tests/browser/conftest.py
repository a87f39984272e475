"""A live server and Debian's chromium for Playwright walks through the real pages."""

import threading

import pytest
from flask_babel import force_locale, gettext
from werkzeug.serving import make_server

from seeds import demo
from tests.accounts.factories import TEST_PASSWORD

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """`playwright install` cannot download here: drive the system chromium instead."""
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium",
            "args": CHROMIUM_ARGS}


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture
def live_server(app):
    """Serve the test app on a free loopback port for the length of one test."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def demo_loaded(app, session):
    """The demo as `make run` loads it, with the test password for every role."""
    demo.load_demo(session, region_code="17.03", password=TEST_PASSWORD)
    session.commit()


def gettext_id(app, message: str) -> str:
    """What a message reads in Indonesian, so tests follow the catalog, not a copy of it."""
    with app.test_request_context(), force_locale("id"):
        return gettext(message)
