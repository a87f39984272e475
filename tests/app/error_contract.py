"""Every JSON error any test provokes must match the error schema the OpenAPI publishes and,
on an API operation, be one of the statuses documented for that operation.

Loaded for the whole suite by ``pytest_plugins`` in the root conftest: a new route whose
errors drift from the documented contract fails the first test that touches it.
"""

from __future__ import annotations

import pytest
from flask import request
from flask_smorest.spec.plugins import FlaskPlugin
from jsonschema import Draft4Validator
from werkzeug.exceptions import HTTPException

from app.extensions import api


def error_reference(spec: dict) -> dict:
    """The schema reference of the default error response: what every error answers."""
    return spec["components"]["responses"]["UNEXPECTED_ERROR"]["content"]["application/json"][
        "schema"]


def error_validator(spec: dict) -> Draft4Validator:
    """A JSON Schema validator of the published error schema (OpenAPI 3.0 is Draft 4 based)."""
    return Draft4Validator({**error_reference(spec), "components": spec["components"]})


def operation_of(spec: dict, app, method: str, url: str) -> dict | None:
    """The OpenAPI operation serving ``url`` (a real path, or a rule as Flask writes it)."""
    if "<" in url:
        rule = url
    else:
        try:
            endpoint, _ = app.url_map.bind("localhost").match(url.split("?")[0],
                                                              method=method.upper())
        except HTTPException:
            return None
        rule = next(app.url_map.iter_rules(endpoint)).rule
    path = FlaskPlugin.flaskpath2openapi(rule)
    return spec["paths"].get(path, {}).get(method.lower())


class ErrorContract:
    """Records every JSON error answered by one app that breaks the published contract."""

    def __init__(self, app):
        self.app = app
        self.violations: list[str] = []
        self._spec = None
        app.after_request(self.check)

    def spec(self) -> dict:
        if self._spec is None:
            self._spec = api.spec.to_dict()
        return self._spec

    def check(self, response):
        if response.status_code < 400 or not response.is_json:
            return response
        where = f"{request.method} {request.path} -> {response.status_code}"
        spec = self.spec()
        for problem in error_validator(spec).iter_errors(response.get_json()):
            self.violations.append(f"{where}: {problem.message}")
        if request.url_rule is not None and request.path.startswith("/api/v1/"):
            operation = operation_of(spec, self.app, request.method, request.url_rule.rule)
            documented = set(operation["responses"]) if operation else set()
            # A route a test adds on the fly has no operation; 5xx are the default response.
            if operation and str(response.status_code) not in documented \
                    and response.status_code < 500:
                self.violations.append(f"{where}: not documented ({sorted(documented)})")
        return response


@pytest.fixture(autouse=True)
def _errors_keep_the_published_contract(request):
    if "app" not in request.fixturenames:
        yield
        return
    contract = ErrorContract(request.getfixturevalue("app"))
    yield contract
    assert contract.violations == [], "\n".join(contract.violations)
