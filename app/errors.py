"""Every error answered in one place: JSON for API clients, a friendly page for browsers."""

from __future__ import annotations

from contextlib import suppress

from flask import (
    Flask,
    current_app,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.json.provider import DefaultJSONProvider
from flask_babel import format_decimal, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from marshmallow import ValidationError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from app import database
from app.extensions import db, login
from app.i18n import translate_error
from app.security import API_PREFIX
from logistics import errors as domain
from logistics.i18n import N_

# Domain error kind -> HTTP status. The most specific class listed first wins.
DOMAIN_STATUS: list[tuple[type[domain.DomainError], int]] = [
    (domain.Unauthenticated, 401),
    (domain.PermissionDenied, 403),
    (domain.NotFound, 404),
    (domain.Conflict, 409),
    (domain.InvalidInput, 422),
    (domain.DomainError, 409),
]

TITLES = {
    400: _l("The request could not be read"),
    401: _l("Please log in"),
    403: _l("Access denied"),
    404: _l("Page not found"),
    405: _l("Method not allowed"),
    409: _l("Conflict with current data"),
    413: _l("The upload is too large"),
    422: _l("Some input is not valid"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong"),
    503: _l("The service is unavailable"),
}

EXPLANATIONS = {
    400: _l("The request was incomplete or malformed. Go back and try again."),
    401: _l("Your session has ended or you are not logged in."),
    403: _l("Your role does not allow this page or action. Ask an administrator if you need it."),
    404: _l("The page or record you asked for does not exist."),
    405: _l("This address does not accept that kind of request."),
    409: _l("The request clashes with the data as it is now. Nothing was changed."),
    422: _l("Some of what was entered is not valid. Nothing was changed."),
    429: _l("Too many attempts in a short time. Wait a minute and try again."),
    500: _l("The error has been logged. Nothing was changed; please try again."),
    503: _l("The database cannot be reached just now. Nothing was changed; "
            "please try again in a minute."),
}

# How long a client should wait before retrying when the database is unavailable.
RETRY_AFTER_SECONDS = 30


def wants_json() -> bool:
    """API paths always get JSON; elsewhere, whoever prefers JSON to HTML gets it."""
    if request.path.startswith(API_PREFIX):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes[
        "text/html"
    ]


def status_for(error: domain.DomainError) -> int:
    return next(code for kind, code in DOMAIN_STATUS if isinstance(error, kind))


def error_response(status: int, message: str | None = None, errors: dict | None = None):
    """Build the one error shape: JSON ``{status, title, message, errors}`` or an HTML page."""
    with suppress(SQLAlchemyError):
        db.session.rollback()  # nothing from a failed request is ever written
    if status >= 500:
        # The database may be what failed: answer as if anonymous rather than touch it again.
        g._login_user = login.anonymous_user()
    title = str(TITLES.get(status, TITLES[500 if status >= 500 else 400]))
    message = message or str(EXPLANATIONS.get(status, EXPLANATIONS[500 if status >= 500 else 400]))
    if wants_json():
        body = {"status": status, "title": title, "message": message}
        if errors:
            body["errors"] = errors
        return jsonify(body), status
    if status == 401:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return render_template("errors/error.html", status=status, title=title,
                           message=message, errors=errors or {}), status


# marshmallow's and webargs' fixed messages, marked so the catalog translates them.
SCHEMA_MESSAGES = [
    N_("Missing data for required field."), N_("Unknown field."), N_("Field may not be null."),
    N_("Not a valid integer."), N_("Not a valid string."), N_("Not a valid boolean."),
    N_("Not a valid email address."), N_("Not a valid datetime."), N_("Not a valid date."),
    N_("Invalid input type."), N_("Invalid JSON body."), N_("Invalid value."),
]


LOCATIONS = frozenset({"json", "query", "form", "headers", "files", "view_args", "path",
                       "cookies"})


def field_messages(messages) -> dict[str, list[str]]:
    """The one shape of field errors: ``{"lines.0.qty": [message, ...]}``, translated.

    Flattens marshmallow's nesting (``{"lines": {0: {"qty": [...]}}}``) and webargs'
    location layer (``{"json": {...}}``) into dotted keys, the same keys domain errors name
    with ``field=``, so a client or a page puts every message beside its field alike.
    """
    if not isinstance(messages, dict):
        messages = {"_schema": messages}
    if messages and set(messages) <= LOCATIONS:
        messages = {key: value for per_location in messages.values()
                    for key, value in (per_location if isinstance(per_location, dict)
                                       else {"_schema": per_location}).items()}
    flat: dict[str, list[str]] = {}
    _flatten(messages, "", flat)
    return flat


def _flatten(messages, name: str, flat: dict) -> None:
    if isinstance(messages, dict):
        for key, value in messages.items():
            _flatten(value, f"{name}.{key}" if name else str(key), flat)
        return
    for message in messages if isinstance(messages, list) else [messages]:
        if isinstance(message, dict | list):
            _flatten(message, name, flat)
            continue
        text = gettext(message) if isinstance(message, str) else str(message)
        if text not in flat.setdefault(name or "_schema", []):
            flat[name or "_schema"].append(text)


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, except that a body nested deeper than Python recurses is unreadable
    (a 400 like any bad JSON) rather than a RecursionError."""

    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError as error:
            raise ValueError("JSON nested too deeply") from error


def upload_size(limit: int) -> str:
    """A byte limit as people read it: "10 MB", "64 KB"."""
    if limit >= 2**20:
        return f"{format_decimal(limit / 2**20)} MB"
    return f"{format_decimal(round(limit / 2**10))} KB"


def upload_too_large():
    """413: name the limit, so that whoever uploaded knows how far to shrink the file."""
    return error_response(413, gettext(
        "The upload is larger than %(limit)s, the most this server accepts. Nothing was "
        "changed; split the file into smaller ones.",
        limit=upload_size(current_app.config.get("MAX_CONTENT_LENGTH") or 0)))


def handle_http_exception(error: HTTPException):
    if error.code == 413:
        return upload_too_large()
    data = getattr(error, "data", None) or {}
    if error.code == 422 and "messages" in data:
        return error_response(422, errors=field_messages(data["messages"]))
    if error.code == 400 and "messages" in data:
        return error_response(400, gettext("The request body is not valid JSON."),
                              errors=field_messages(data["messages"]))
    response = make_response(error_response(error.code or 500))
    for name, value in error.get_headers():  # e.g. the Allow of a 405, which HTTP requires
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def handle_validation_error(error: ValidationError):
    return error_response(422, errors=field_messages(error.messages))


def handle_domain_error(error: domain.DomainError):
    status = status_for(error)
    message = translate_error(error)
    errors = {error.field: [message]} if error.field else None
    return error_response(status, message, errors)


def handle_csrf_error(error: CSRFError):
    """A form whose session changed while it was open (logged in again in another tab, the
    session cookie renewed) fails its CSRF check. A form view marked with
    `app.forms_support.reshows_on_expiry` is shown again with what was typed and a fresh
    token, saying that nothing was posted; the view's own CSRF check keeps it from writing,
    and its one-time token from posting twice when sent again. Anything else is a 400."""
    view = current_app.view_functions.get(request.endpoint or "")
    if request.method == "POST" and getattr(view, "reshows_form", False) and not wants_json():
        g.form_reshown = True
        if current_user.is_authenticated:  # else the view sends them to log in: nothing kept
            flash(gettext("Your session changed while this form was open, so nothing was "
                          "posted. What you typed is still here: check it and send it again."),
                  "warning")
        try:
            return view(**(request.view_args or {}))
        except Exception as raised:  # noqa: BLE001 - answered by the handler it would reach
            return current_app.handle_user_exception(raised)
    return error_response(400, gettext("The form has expired or was not sent from this site. "
                                       "Reload the page and try again."))


def handle_unexpected(error: Exception):
    if database.is_unavailable(error):
        # An outage is one line in the log per request, not a stack trace each time.
        current_app.logger.error("database unavailable on %s %s: %s", request.method,
                                 request.path, str(error).splitlines()[0])
        response = make_response(error_response(503))
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return error_response(500)


def init_app(app: Flask) -> None:
    app.json = JSONProvider(app)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(ValidationError, handle_validation_error)
    app.register_error_handler(domain.DomainError, handle_domain_error)
    app.register_error_handler(Exception, handle_unexpected)
