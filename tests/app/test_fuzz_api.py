"""schemathesis against the app's own OpenAPI: every operation, as every role, on both databases.

The schema is the one the app publishes at /api/openapi.json; requests go in-process to the
WSGI app (no server), with each role's bearer token. Every response must be no 5xx and
conform to the documented status codes, content types and schemas; invalid input must not be
accepted, valid input must not be refused as unreadable (all of schemathesis's checks, among
them "the same request without a token is refused" and "a 405 names the allowed methods").

Each generated request is sent as every role the role matrix (`tests/app/role_matrix.py`)
lets past the operation's guard, and as one of the refused roles in turn (they all get the
same 403 before any input is read, so one at a time is enough). Public operations are sent
without a token. Generating the requests costs far more than answering them, so the roles
share the cases.

Bounds, per operation: the coverage phase (schemathesis' boundary and wrong-type values for
each parameter, about 60 cases on average, more for long bodies) plus MAX_EXAMPLES = 20
fuzzed examples (LUMBUNG_FUZZ_EXAMPLES to fuzz longer locally), each sent as every role that
passes the guard plus one refused role. The seed is fixed, so CI sends the same requests every
time (LUMBUNG_FUZZ_SEED to explore others). Measured with every check passing on 2 cores
shared with other test runs (load about 5): about 11,000 requests per database (8,000 from the
coverage phase), 1 min 50 s on SQLite (56 s of CPU) and 1 min 51 s on PostgreSQL (64 s).

The world (`tests/app/world.py`) gives the reads data and the ids something to point at: the
coverage phase's ids and about half of the fuzzed ones are pointed at its warehouses, items,
lots, documents and users, so requests get past "no such warehouse" into the operations that
write. Whatever the fuzzer writes stays in this module's world and is deleted with it.
"""

from __future__ import annotations

import os
import re

import pytest
import schemathesis
from hypothesis import strategies as st

from app import create_app
from logistics.core.fields import Id
from tests.app.role_matrix import MATRIX
from tests.app.world import ROLES, world_fixture

MAX_EXAMPLES = int(os.environ.get("LUMBUNG_FUZZ_EXAMPLES", "20"))
SEED = int(os.environ.get("LUMBUNG_FUZZ_SEED", "15"))
GUARD_PASSED = {"ok", "404"}  # matrix answers of a role the guard lets through


class Backend:
    """Where requests go: the app of the database being fuzzed, and the ids its world holds.

    schemathesis sends some requests of its own (the same request without a token, say), so
    the schema is bound to this switch rather than to one app.
    """

    def __init__(self, app):
        self.app, self.anchors = app, {}

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


CONFIG = schemathesis.Config.from_dict({
    "seed": SEED,
    "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large"],
    "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "database": "none",
                   "with-security-parameters": False,
                   "dictionaries": {"string": {"dictionary": "hostile", "probability": 0.1}}},
    # Strings that have broken stores and sheets before: a NUL byte, a control character, a
    # name longer than any column, a digit that is not 0-9. (A lone surrogate would be one too,
    # but schemathesis cannot encode it.)
    "dictionaries": {"hostile": {"values": ["Beras\x00", "Gula\x1b[0m", "K" * 300, "²"]}},
    "phases": {"stateful": {"enabled": False}},
    # Operations refuse schema-valid input with 422 by rules that need the database (a
    # perishable lot without an expiry date, a pack the item does not have, a region that is
    # not a kecamatan), so 422 is an acceptable answer to valid data as well.
    "checks": {"positive_data_acceptance": {"expected-statuses": [
        "2xx", "3xx", "401", "403", "404", "409", "422", "429", "5xx"]}},
})
# The schema the app publishes; an app without a database serves it as well as any.
SPEC_APP = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})
BACKEND = Backend(SPEC_APP)
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", BACKEND, config=CONFIG)


def _anchored(value, pick, *, texts: bool):
    """``value`` with the id fields ``pick`` chooses pointed at objects of the world.

    An id is an integer; in a path or query (``texts``) also digits, as the coverage phase
    writes them. A string of digits in a JSON body is what a case is about: it stays.
    """
    if isinstance(value, dict):
        return {key: (pick(BACKEND.anchors[key]) or item
                      if key in BACKEND.anchors and _is_id(item, texts)
                      and not (texts and key in BODY_ONLY_ANCHORS)
                      else _anchored(item, pick, texts=texts))
                for key, item in value.items()}
    if isinstance(value, list):
        return [_anchored(item, pick, texts=texts) for item in value]
    return value


# Anchored in bodies only: a path's posko_id pointed at the world turned schemathesis's
# invalid path cases valid without its noticing (an accepted "negative" PATCH).
BODY_ONLY_ANCHORS = frozenset({"posko_id", "volunteer_id"})


def _is_id(value, texts: bool) -> bool:
    """An id the world can stand in for: one in the range ids have. A value outside it (0,
    or a number past the column) is what a negative case is about, and pointing it at the
    world would turn the case valid behind schemathesis's back."""
    if texts and isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    return type(value) is int and 1 <= value <= Id.maximum


def _half_of_the_ids(texts: bool):
    def hook(context, value):
        return st.randoms(use_true_random=False).map(lambda rnd: _anchored(
            value, lambda ids: rnd.choice(ids) if rnd.random() < 0.5 else None, texts=texts))
    return hook


# Random ids almost never name a warehouse that exists. The fuzzing phase points about half
# of them at the world's objects (drawn by Hypothesis, so failures still shrink); the coverage
# phase, built before any world exists, gets the first of each in `_aim_at_the_world`. The
# values a case is about (a string, a float, a huge number where an id belongs) stay.
for container, texts in (("path_parameters", True), ("query", True), ("body", False)):
    schema.hook(f"flatmap_{container}")(_half_of_the_ids(texts))


def _aim_at_the_world(case) -> None:
    """Point a coverage case's ids at the world; leave out query parameters nobody declared.

    The API ignores query parameters it does not know (webargs' default: caches and proxies
    add their own), so sending them only makes a valid request look invalid. Assigning each
    container also makes schemathesis judge again whether the request is still invalid.
    """
    coverage = case.meta is not None and case.meta.phase.name.value == "coverage"

    def pick(ids):
        return ids[0] if coverage else None

    declared = {parameter.name for parameter in case.operation.query}
    case.path_parameters = _anchored(case.path_parameters, pick, texts=True)
    case.query = {name: value
                  for name, value in _anchored(case.query or {}, pick, texts=True).items()
                  if name in declared}
    body = _anchored(case.body, pick, texts=False)
    if body != case.body:
        # Only a changed body is assigned: assigning a body the case never had (a PATCH sent
        # without one) made schemathesis judge the missing body invalid, then fault the 200.
        case.body = body


def _matrix_row(operation) -> dict[str, str]:
    """The role matrix's row of the Flask route serving this operation."""
    for rule in SPEC_APP.url_map.iter_rules():
        path = re.sub(r"<(?:[^<>]*:)?(\w+)>", r"{\1}", rule.rule)
        if path == operation.path and operation.method.upper() in rule.methods:
            return MATRIX[f"{rule.endpoint} {operation.method.upper()}"]
    raise LookupError(f"no route serves {operation.label}")


def _is_public(ctx) -> bool:
    return ctx.operation.definition.raw.get("security") == []


guarded = schema.exclude(func=_is_public)
public = schema.include(func=_is_public)


@pytest.fixture(scope="module")
def world(database_url):
    for built in world_fixture(database_url):
        ids = built.ids
        warehouses = [ids["home"], ids["elsewhere"], ids["spare"]]
        BACKEND.app, BACKEND.anchors = built.app, {
            "warehouse_id": warehouses, "to_warehouse_id": warehouses,
            "item_id": [ids["rice"], ids["soap"]],
            "lot_id": [ids["lot"], ids["soap_lot"], ids["elsewhere_lot"]],
            "transfer_id": [ids["transfer"]], "document_id": [ids["receipt"], ids["transfer"]],
            "user_id": [ids["posko_staff_user"], ids["keeper_elsewhere_user"]],
            # The spare posko: PATCH may close or move it without spoiling the other routes.
            "posko_id": [ids["posko_spare"]],
            "token_id": [ids["spare_token_page"], ids["spare_token_api"]],
        }
        BACKEND.anchors.update(event_id=[ids["event"]], household_id=[ids["household"]],
                               volunteer_id=[ids["volunteer"]],
                               deployment_id=[ids["deployment"]],
                               equipment_id=[ids["equipment"]])
        yield built
    BACKEND.app, BACKEND.anchors = SPEC_APP, {}


# The in-process WSGI call does not undo Content-Encoding, so ask for plain bodies; compressed
# answers have their own tests (tests/app/test_assets.py).
PLAIN = {"Accept-Encoding": "identity"}


def _send(case, world, role) -> None:
    try:
        case.call_and_validate(headers={**PLAIN, **(world.bearer(role) if role else {})})
    except Exception as error:
        error.add_note(f"\nSent as: {role or 'nobody (no token)'}")
        raise


def _roles_for(case, world) -> list[str]:
    """The roles the guard lets through, and one refused role, taking turns."""
    row = _matrix_row(case.operation)
    served = [role for role in ROLES if row[role] in GUARD_PASSED]
    refused = [role for role in ROLES if role not in served]
    if world.fuzzing != case.operation.label:  # the first case of this operation
        world.restore_identities()
        world.fuzzing, world.cases = case.operation.label, 0
    world.cases += 1
    return served + ([refused[world.cases % len(refused)]] if refused else [])


@guarded.parametrize()
def test_operation_as_each_role(case, world):
    _aim_at_the_world(case)
    for role in _roles_for(case, world):
        _send(case, world, role)


@public.parametrize()
def test_public_operation(case, world):
    _aim_at_the_world(case)
    _send(case, world, None)
