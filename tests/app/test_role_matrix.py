"""Every route answers every role as the role matrix says, with real requests on both databases.

The matrix (`tests/app/role_matrix.py`) is data: one row per route and method, one column per
identity. A route added to the app without a row fails here, and so does a row whose route is
gone. `tests/app/test_guards.py` checks statically that each view goes through `require`;
this checks what each identity actually gets back, scoped answers included (a keeper posting
in a warehouse they do not keep gets 403).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from app import create_app
from app.security import API_PREFIX
from tests.app.role_matrix import CALLS, COLUMNS, MATRIX, PATH_DEFAULTS, PATH_LITERALS
from tests.app.test_guards import PUBLIC
from tests.app.world import ANONYMOUS, IDENTITIES, world_fixture

AUTOMATIC = {"HEAD", "OPTIONS"}  # HEAD runs the GET view; Flask answers OPTIONS itself


def _bare_app():
    return create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})


def _routes(app) -> dict[str, object]:
    """Every ``"endpoint METHOD"`` the app serves, with its rule."""
    routes = {}
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - AUTOMATIC):
            key = f"{rule.endpoint} {method}"
            assert key not in routes, f"{key} has two rules: give each its own endpoint"
            routes[key] = rule
    return routes


def test_every_route_of_the_app_has_a_row_in_the_matrix():
    missing = sorted(set(_routes(_bare_app())) - set(MATRIX))
    assert missing == [], "add these routes to TABLE in tests/app/role_matrix.py"


def test_every_row_of_the_matrix_names_a_route_that_exists():
    assert sorted(set(MATRIX) - set(_routes(_bare_app()))) == []


def test_the_matrix_has_a_column_for_every_role():
    assert set(COLUMNS.values()) == set(IDENTITIES)


def test_anonymous_is_let_in_exactly_where_the_guard_test_lists_public_endpoints():
    open_to_anyone = {key.split()[0] for key, row in MATRIX.items() if row[ANONYMOUS] == "ok"}
    assert open_to_anyone == PUBLIC


@pytest.fixture(scope="module")
def world(database_url):
    yield from world_fixture(database_url)


@pytest.fixture(scope="module")
def sessions(world):
    """One logged-in page client per identity, reused by every row."""
    return {identity: world.login(identity) for identity in IDENTITIES}


def answer(response) -> str:
    """What the identity got, in the matrix's words."""
    status = response.status_code
    if status >= 500 or status in (401, 403, 404):
        return str(status)
    if status in (301, 302, 303, 307, 308):
        location = urlsplit(response.headers["Location"])
        if location.path == "/login" and "next=" in location.query:
            return "401"  # how a page says "log in first"
    return "ok"


def _url(world, key: str, rule) -> str:
    call = CALLS.get(key, {})
    values = {}
    for name in rule.arguments - set(rule.defaults or ()):
        value = call.get("path", {}).get(name) or PATH_DEFAULTS.get(name)
        if value in world.ids:
            values[name] = world.ids[value]
        else:
            values[name] = value or PATH_LITERALS[name]
    return world.app.url_map.bind("localhost").build(rule.endpoint, values,
                                                        method=key.split()[1])


def _request(world, sessions, key: str, rule, identity: str):
    call = CALLS.get(key, {})
    method = key.split()[1]
    url = _url(world, key, rule)
    api = url.startswith(API_PREFIX) and not call.get("session")
    body = call["json"](world.ids) if "json" in call else None
    if call.get("fresh_session"):
        client = world.login(identity)
    elif api:
        client = world.app.test_client()
    else:
        client = sessions[identity]
    headers = world.bearer(identity) if api else {}
    if url.startswith(API_PREFIX):
        return client.open(url, method=method, headers=headers,
                           json=body if body is not None else ({} if method != "GET" else None))
    response = client.open(url, method=method, data={})
    if call.get("ends_all_sessions") and identity != ANONYMOUS:
        sessions[identity] = world.login(identity)  # the shared session ended with the rest
    return response


@pytest.mark.parametrize("key", sorted(MATRIX))
def test_each_identity_gets_the_answer_the_matrix_gives(world, sessions, key):
    rule = _routes(world.app)[key]
    got = {identity: answer(_request(world, sessions, key, rule, identity))
           for identity in MATRIX[key]}
    assert got == MATRIX[key], f"{key.split()[1]} {rule.rule}"
