"""API conventions shared by every endpoint: registration under /api/v1, CSRF for cookies,
bounded path ids, numbers read from query strings, and the errors each operation documents.

A new area's API uses `ApiBlueprint` (``register_api_blueprint`` refuses any other), so its
routes get all of this without writing it: an id in the path beyond an INTEGER column is a
404, a query string's numbers are parsed as strictly as JSON, answers are dumped with the
caller as the viewer of personal data, and the OpenAPI lists the 401/403/404/409/422/400 it
can answer in the one error shape of ``app/errors.py``.
"""

from __future__ import annotations

import json
from functools import wraps

from flask import Flask, current_app, request
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import fields
from marshmallow.experimental.context import Context
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import MultiDict
from werkzeug.routing import BaseConverter, IntegerConverter

from app.extensions import api, csrf
from app.security import API_PREFIX, authenticated_by_token
from logistics.core.fields import INT_MAX, Id, from_text

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# The body of every error (app.errors.error_response). Written out rather than derived from
# a marshmallow schema because `errors` of a rejected spreadsheet holds its rows.
ERROR_SCHEMA = {
    "type": "object",
    "required": ["status", "title", "message"],
    "properties": {
        "status": {"type": "integer", "description": "the HTTP status, repeated"},
        "title": {"type": "string", "description": "what kind of error, in the reader's "
                                                   "language (Accept-Language)"},
        "message": {"type": "string", "description": "what went wrong, for a person"},
        "errors": {
            "type": "object",
            "description": "messages per field, keyed by the field's dotted path "
                           "(`lines.0.qty`); `_schema` for the request as a whole. A "
                           "rejected spreadsheet lists its bad rows under `rows`.",
            "properties": {"rows": {"type": "array", "items": {
                "type": "object", "required": ["row", "column", "message"],
                "properties": {"row": {"type": "integer"}, "column": {"type": "string"},
                               "message": {"type": "string"}}}}},
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "additionalProperties": False,
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}

ERROR_DESCRIPTIONS = {
    400: "The body is not readable JSON, or a write made with a session cookie lacks its "
         "X-CSRFToken header",
    401: "Missing or bad credentials (never saying which part was wrong)",
    403: "The caller's role may not do this (or not in this warehouse)",
    404: "No such record (an id no row can have, too)",
    409: "Conflicts with the data as it is now, or an Idempotency-Key reused for another "
         "request; nothing was changed",
    413: "The upload is larger than the server accepts (LUMBUNG_MAX_CONTENT_LENGTH, named in "
         "the message); nothing was changed",
    422: "Some input is not valid: a message per field under `errors` (a sheet's bad rows "
         "under `errors.rows`); nothing was changed",
    429: "Too many attempts; wait a minute",
}


class IdConverter(IntegerConverter):
    """``<int:...>`` for the whole app: only ids a row can have match, so any other is a 404."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 (werkzeug's name)
        kwargs.setdefault("min", Id.minimum)
        kwargs.setdefault("max", INT_MAX)
        super().__init__(map, *args, **kwargs)


class CodeConverter(BaseConverter):
    """``<code:...>``: a region, warehouse or item code; anything else is a 404 unread."""

    regex = r"[A-Za-z0-9][A-Za-z0-9._-]{0,29}"


class TextNumbersParser(FlaskParser):
    """Read a query string's numbers with the one text parser, so the schema's strict whole
    numbers take ``?limit=20`` and refuse ``?limit=1.5`` or ``?limit=²`` with a 422."""

    def load_querystring(self, req, schema):
        args = MultiDict([(key, from_text(schema, {key: value})[key])
                          for key, value in req.args.items(multi=True)])
        return self._makeproxy(args, schema)

    def _raw_load_json(self, req):
        try:
            return super()._raw_load_json(req)
        except RecursionError as error:  # "[[[[..." deeper than Python recurses
            # a non-empty doc: webargs reads an empty one as "no body" rather than bad JSON
            raise json.JSONDecodeError("nested too deeply", "[...]", 0) from error


def answers(*statuses: int):
    """Document error statuses a view answers beyond those `ApiBlueprint` infers."""

    def decorator(view):
        view.extra_error_statuses = (*getattr(view, "extra_error_statuses", ()), *statuses)
        return view

    return decorator


class ApiBlueprint(Blueprint):
    """A flask-smorest Blueprint whose operations document the errors they can answer.

    Inferred per operation: 401 always (the token endpoint answers it for a wrong password);
    403 where ``require`` names a permission; 404 where the path names a record or the input
    carries an id; 422 where input is read; 400, 409 and 422 on every write. ``answers(...)``
    adds the rest (429 on password attempts, say). 500 and 503 stay the ``default``.
    """

    ARGUMENTS_PARSER = TextNumbersParser()

    def response(self, *args, **kwargs):
        """Dump the answer for the caller: `PersonalNumber` and `PersonalText` fields mask a
        NIK or No. KK unless the current user may see personal data (`logistics.core.masking`).
        """
        documented = super().response(*args, **kwargs)

        def decorator(view):
            dumping = documented(view)

            @wraps(dumping)
            def for_the_caller(*view_args, **view_kwargs):
                with Context({"viewer": current_user}):
                    return dumping(*view_args, **view_kwargs)

            return for_the_caller

        return decorator

    def add_url_rule(self, rule, endpoint=None, view_func=None, provide_automatic_options=None,
                     **options):
        super().add_url_rule(rule, endpoint, view_func, provide_automatic_options, **options)
        for method, doc in self._docs[self._endpoints[-1]].items():
            if method == "parameters":
                continue
            responses = doc.setdefault("response", {}).setdefault("responses", {})
            for status in sorted(_error_statuses(rule, method, view_func, doc)):
                responses.setdefault(status, []).append({
                    "schema": ERROR_REF, "description": ERROR_DESCRIPTIONS[status],
                    "content_type": None})


def _error_statuses(rule: str, method: str, view, doc: dict) -> set[int]:
    statuses = {401, *getattr(view, "extra_error_statuses", ())}
    if getattr(view, "required_permission", None) is not None:
        statuses.add(403)
    parameters = doc.get("arguments", {}).get("parameters", [])
    if parameters:
        statuses.add(422)
    # A record named in the path, or in the body (a posting to an unknown warehouse); a query
    # filter naming nothing lists nothing, so those that 404 say so with answers(404).
    if "<" in rule or any(_carries_id(p["schema"]) for p in parameters if p["in"] == "json"):
        statuses.add(404)
    if method.upper() in UNSAFE_METHODS:
        statuses |= {400, 409, 422}
    return statuses


def _carries_id(schema) -> bool:
    schema = schema() if isinstance(schema, type) else schema
    return any(_field_carries_id(field) for field in schema.fields.values())


def _field_carries_id(field) -> bool:
    field = getattr(field, "inner", field)  # a list: what it holds
    if isinstance(field, Id):
        return True
    return isinstance(field, fields.Nested) and _carries_id(field.schema)


def init_api(app: Flask) -> None:
    """Bind the API with the real error shape documented, before any route is registered."""
    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["code"] = CodeConverter
    api.ERROR_SCHEMA = ERROR_REF
    api.DEFAULT_ERROR_RESPONSE_NAME = "UNEXPECTED_ERROR"
    api.init_app(app, spec_kwargs={"security": [{"bearerAuth": []}]})
    api.spec.components.response("UNEXPECTED_ERROR", {
        "description": "Any other error: 500 (logged; nothing was changed), 503 while the "
                       "database is unreachable, 405 for a method the path does not take",
        "content": {"application/json": {"schema": ERROR_REF}}})
    api.register_converter(CodeConverter, lambda converter: {
        "type": "string", "pattern": f"^{CodeConverter.regex}$"})
    api.spec.components.schema("Error", ERROR_SCHEMA)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})


def register_api_blueprint(app: Flask, blp: Blueprint) -> None:
    """Register under /api/v1, outside the form CSRF check (see protect_cookie_sessions)."""
    if not isinstance(blp, ApiBlueprint):
        raise TypeError(f"{blp.name}: API blueprints are ApiBlueprint (app.api_support)")
    csrf.exempt(blp)
    api.register_blueprint(blp)


def protect_cookie_sessions() -> None:
    """Bearer calls need no CSRF token; a write riding on a browser session cookie does."""
    if not request.path.startswith(API_PREFIX) or request.method not in UNSAFE_METHODS:
        return
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    # Resolve the user first: that is what records whether a bearer token was used.
    if current_user.is_authenticated and not authenticated_by_token():
        csrf.protect()
