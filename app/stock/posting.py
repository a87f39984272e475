"""Stock pages that post: receive, issue, transfer, receive a transfer, count, adjust, reverse.

Each form is checked by the same marshmallow schema as the API (validation has one home) and
posted by the same operation. A one-time token in the form is the idempotency key, so a double
click or a resubmitted page posts once and lands on the same document.
"""

from __future__ import annotations

import uuid

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField

from app.errors import field_messages, status_for
from app.extensions import db
from app.forms_support import id_from_text, reshows_on_expiry, typed
from app.i18n import translate_error
from app.security import require
from app.stock import posko_picker
from app.stock.blueprint import bp
from app.stock.labels import choices, stock_error
from logistics.accounts.roles import Permission
from logistics.calendar import local_today
from logistics.core import idempotency
from logistics.core.fields import Flag
from logistics.core.settings import settings_for
from logistics.errors import DomainError
from logistics.stock import access, lookups, operations, queries
from logistics.stock import schemas as s
from logistics.stock.documents import (
    AdjustmentReason,
    Document,
    DocumentKind,
    RecipientKind,
    TransferStatus,
)
from logistics.stock.errors import ExpiryFar, ExpiryPassed, TransferNotInTransit
from logistics.stock.models import LotSource

LINE_FIELDS = ("item_id", "qty", "pack", "packs", "batch_no", "expires_on", "lot_id",
               "counted_qty")
BLANK_ROWS = 5
ROW_CONTENT = LINE_FIELDS  # a row left wholly blank is ignored; a half-filled one is checked


class PostingForm(FlaskForm):
    """CSRF plus the one-time token; the document's fields are checked by the API schema."""

    form_token = HiddenField()


def _submitted_rows(form) -> list[dict]:
    """Every line row as submitted, blank ones too, keyed by field, without empty values."""
    columns = {name: form.getlist(name) for name in LINE_FIELDS}
    count = max(len(values) for values in columns.values())
    return [{name: values[index].strip() for name, values in columns.items()
             if index < len(values) and values[index].strip()} for index in range(count)]


def _filled(rows, content) -> list[tuple[int, dict]]:
    """The rows a keeper wrote in, with their place on the page; the others are ignored."""
    return [(place, row) for place, row in enumerate(rows)
            if any(row.get(name) for name in content)]


def _on_page(errors: dict, places: list[int]) -> dict:
    """Move a line's errors ("lines.1.qty" of the posted lines) to that line's row on the page."""
    moved = {}
    for key, messages in errors.items():
        parts = key.split(".", 2)
        if parts[0] == "lines" and len(parts) > 1 and parts[1].isdigit() \
                and int(parts[1]) < len(places):
            parts[1] = str(places[int(parts[1])])
        moved[".".join(parts)] = messages
    return moved


def _asked(header_fields) -> dict | None:
    """A link may fill a fresh form (an alert's write-off or transfer): header fields and one
    line, by name in the query (``?reason=expired&item_id=3&lot_id=7&qty=-5``). Only shown:
    the keeper still checks and posts it, and the schema reads it like anything typed."""
    asked = {name: request.args[name].strip() for name in header_fields
             if name != "warehouse_id" and request.args.get(name, "").strip()}
    line = {name: request.args[name].strip() for name in LINE_FIELDS
            if request.args.get(name, "").strip()}
    if line:
        asked["lines"] = [line]
    return asked or None


def _post(template, schema, operation, *, header_fields, context, extra=None,
          content=ROW_CONTENT, prefill=None, rules=None, checks=None):
    """Show the form, or check and post it; redirect to the document once posted.

    ``prefill`` fills a fresh form: header fields by name, and ``lines`` as rows. ``rules``
    (keyword arguments of `lookups.line_problems`) names the line rules checked with the
    schema, and ``checks`` (``(data, known) -> [DomainError]``) the header's, so that one
    answer lists every mistake beside its field or line.
    """
    form = PostingForm()
    errors, status, rows, values = {}, 200, [], request.form
    if request.method == "GET":
        form.form_token.data = uuid.uuid4().hex
        prefill = prefill or _asked(header_fields)
        if prefill:
            rows = [dict(row) for row in prefill.get("lines", ())]
            values = MultiDict({k: v for k, v in prefill.items() if k != "lines"})
    elif form.validate_on_submit():
        earlier = idempotency.made_with(db.session, current_user, form.form_token.data)
        if isinstance(earlier, Document):  # this very form was posted already
            return redirect(url_for("stock.document", document_id=earlier.id))
        rows = _submitted_rows(request.form)
        filled = _filled(rows, content)
        checker = schema()
        payload = _payload(checker, header_fields, [row for _, row in filled], context)
        data, errors, status = _problems(checker, payload, rules, checks)
        if not errors:
            try:
                document = operation(db.session, actor=current_user,
                                     idempotency_key=form.form_token.data, **data,
                                     **(extra or {}))
            except DomainError as error:
                db.session.rollback()
                errors = {error.field or "_": [stock_error(error)]}
                status = status_for(error)
            else:
                db.session.commit()
                flash(gettext("%(number)s was posted.", number=document.number), "success")
                return redirect(url_for("stock.document", document_id=document.id))
        errors = _on_page(errors, [place for place, _ in filled])
    else:
        # The session changed while the form was open (its CSRF token no longer matches):
        # nothing is posted. What was typed is shown again with a fresh CSRF token and the same
        # one-time token, so sending it again posts once (app.errors.handle_csrf_error says why).
        rows, status = _submitted_rows(request.form), 400
        if not g.get("form_reshown"):
            errors = {"_": [gettext("The form has expired; please try again.")]}
    shown_in_place = set(header_fields) - {"warehouse_id"}
    for key, messages in errors.items():
        if key not in shown_in_place and not key.startswith("lines"):
            for message in messages:
                flash(message, "danger")
    rows += [{}] * max(BLANK_ROWS - len(rows), 0)
    if any(rows[-1].values()):
        rows.append({})  # room for one more line without JavaScript
    confirming = {gettext(ExpiryPassed.message), gettext(ExpiryFar.message)}
    ask_confirm = any(message in confirming for found in errors.values() for message in found)
    return render_template(template, form=form, errors=errors, values=values, rows=rows,
                           ask_confirm_expiry=ask_confirm, **context), status


def _payload(checker, header_fields, lines, context) -> dict:
    """The form's header fields and filled lines as the API body would carry them: typed
    numbers read once ("1.000" = 1000), a ticked box as true."""
    payload = {name: request.form.get(name, "").strip() for name in header_fields}
    payload = {name: value for name, value in payload.items() if value}
    for name in header_fields:
        if isinstance(checker.fields.get(name), Flag):
            payload[name] = request.form.get(name) in ("1", "on", "true", "y")
    if "lines" in checker.fields:
        payload["lines"] = lines
    if "warehouse" in context:
        payload["warehouse_id"] = context["warehouse"].id  # the page's, not the form's
    return typed(checker, payload)


def _problems(checker, payload, rules, checks=None) -> tuple[dict, dict, int]:
    """The loaded input, the schema's field and rule messages with the lines' rules, all at
    once (flat keys, translated), so a keeper fixes every mistake in one round, and the status
    to answer them with: 422 for the schema's, else the first rule's (as the API would)."""
    try:
        data, errors, status = checker.load(payload), {}, 200
    except ValidationError as error:
        data, errors, status = error.valid_data or {}, field_messages(error.messages), 422
    problems = []
    if rules is not None:
        problems += lookups.line_problems(db.session, data, today=local_today(),
                                          known=set(errors), **rules)
    if checks is not None:
        problems += checks(data, set(errors))
    for problem in problems:
        errors.setdefault(problem.field or "_", []).append(stock_error(problem))
        status = status if status != 200 else status_for(problem)
    return data, errors, status


def _postable(warehouse_id):
    warehouse = queries.get_warehouse(db.session, warehouse_id)
    access.ensure_may_post_in(db.session, current_user, warehouse)
    return warehouse


def _context(warehouse, **more) -> dict:
    lots = queries.lots_on_hand(db.session, warehouse.id)
    if "items" not in more:
        more["items"] = queries.list_items(db.session, limit=1000)
    return {"warehouse": warehouse, "lots": lots, **more}


@bp.route("/warehouses/<int:warehouse_id>/receive", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.POST_STOCK)
def receive_form(warehouse_id: int):
    warehouse = _postable(warehouse_id)
    return _post("stock/forms/receive.html", s.ReceiptIn, operations.receive_stock,
                 header_fields=("warehouse_id", "document_date", "notes", "source", "donor_name",
                                "supplier_ref", "confirm_expiry"),
                 context=_context(warehouse, sources=choices(*LotSource)),
                 rules={"receiving": True})


@bp.route("/warehouses/<int:warehouse_id>/issue", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.POST_STOCK)
def issue_form(warehouse_id: int):
    warehouse = _postable(warehouse_id)
    today = local_today()
    return _post("stock/forms/issue.html", s.IssueIn, operations.issue_stock,
                 header_fields=("warehouse_id", "document_date", "notes", "posko_id",
                                "recipient_kind", "recipient_name", "giver_name",
                                "receiver_name", "witness_name", "request_ref", "authority_ref",
                                *s.SIGNER_FIELDS),
                 context=_context(warehouse, recipient_kinds=choices(*RecipientKind),
                                  posko_groups=posko_picker.open_posko_by_event(db.session,
                                                                                today),
                                  gate=settings_for(db.session).stock_emergency_gate
                                  and warehouse.is_lumbung_sosial, **_stocked(warehouse)),
                 rules={"outgoing": True},
                 checks=lambda data, known: posko_picker.release_problems(
                     db.session, data, warehouse=warehouse, today=today, known=known))


@bp.route("/warehouses/<int:warehouse_id>/transfer", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.POST_STOCK)
def transfer_form(warehouse_id: int):
    warehouse = _postable(warehouse_id)
    destinations = [(w.id, w.name) for w in queries.list_warehouses(db.session)
                    if w.id != warehouse.id]
    return _post("stock/forms/transfer.html", s.TransferIn, operations.transfer_stock,
                 header_fields=("warehouse_id", "to_warehouse_id", "document_date", "notes"),
                 context=_context(warehouse, destinations=destinations, **_stocked(warehouse)),
                 rules={"outgoing": True})


@bp.route("/warehouses/<int:warehouse_id>/adjust", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.POST_STOCK)
def adjust_form(warehouse_id: int):
    warehouse = _postable(warehouse_id)
    transfer_id = request.values.get("transfer_id", type=id_from_text)
    lots, prefill = queries.lots_on_hand(db.session, warehouse.id), None
    if transfer_id:  # settling a shortfall: the lots still in transit from that transfer
        transfer = queries.get_document(db.session, transfer_id)
        lots = [(None, lot) for lot in _lots_carried(transfer)]
        if transfer.status == TransferStatus.RECEIVED and transfer.to_warehouse_id == warehouse.id:
            # write off what is still open
            open_per_lot = queries.transfer_shortfall(db.session, transfer)
            prefill = {"reason": AdjustmentReason.LOST.value, "lines": [
                {"item_id": str(lot.item_id), "lot_id": str(lot.id),
                 "qty": str(-open_per_lot[lot.id])}
                for _, lot in lots if open_per_lot.get(lot.id, 0) > 0]}
    return _post("stock/forms/adjust.html", s.AdjustmentIn, operations.adjust_stock,
                 header_fields=("warehouse_id", "reason", "transfer_id", "document_date",
                                "notes"),
                 context={**_context(warehouse, reasons=choices(*AdjustmentReason),
                                     transfer_id=transfer_id), "lots": lots},
                 prefill=prefill, rules={})


@bp.route("/warehouses/<int:warehouse_id>/count", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.POST_STOCK)
def count_form(warehouse_id: int):
    warehouse = _postable(warehouse_id)
    return _post("stock/forms/count.html", s.CountIn, operations.count_stock,
                 header_fields=("warehouse_id", "document_date", "notes"), content=("counted_qty",),
                 context=_context(warehouse), rules={"counting": True})


@bp.route("/transfers/<int:transfer_id>/receive", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.POST_STOCK)
def transfer_receipt_form(transfer_id: int):
    transfer = queries.get_document(db.session, transfer_id)
    if transfer.kind != DocumentKind.TRANSFER:
        return redirect(url_for("stock.document", document_id=transfer.id))
    access.ensure_may_post_in(db.session, current_user, transfer.to_warehouse)
    if request.method == "GET" and transfer.status != TransferStatus.IN_TRANSIT:
        flash(translate_error(TransferNotInTransit(number=transfer.number)), "warning")
        return redirect(url_for("stock.document", document_id=transfer.id))
    # One row per lot: a transfer whose lines took one lot twice carried it once, summed.
    sent = queries.sent_per_lot(db.session, transfer)
    lots = [(lot, sent[lot.id]) for lot in _lots_carried(transfer)]
    return _post("stock/forms/transfer_receipt.html", s.TransferReceiptIn,
                 operations.receive_transfer, header_fields=("document_date", "notes"),
                 content=("qty",),
                 context={"transfer": transfer, "sent_lots": lots},
                 extra={"transfer_id": transfer.id}, rules={})


def _stocked(warehouse) -> dict:
    """For a form that takes stock out: the catalogue with what is on hand here first, each
    with its figure, then the items this warehouse holds none of."""
    on_hand = queries.on_hand_per_item(db.session, warehouse.id)
    items = queries.list_items(db.session, limit=1000)
    return {"items": sorted(items, key=lambda item: item.id not in on_hand),
            "on_hand": on_hand}


def _lots_carried(transfer) -> list:
    """The lots a transfer put in transit, each once, in the order it sent them."""
    lots = {movement.lot_id: movement.lot for movement in transfer.movements
            if movement.is_in_transit and movement.qty > 0}
    return list(lots.values())


@bp.route("/documents/<int:document_id>/reverse", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.POST_STOCK)
def reverse_form(document_id: int):
    original = queries.get_document(db.session, document_id)
    access.ensure_may_post_in(db.session, current_user, original.warehouse)
    return _post("stock/forms/reverse.html", s.ReversalIn, operations.reverse_document,
                 header_fields=("document_date", "notes"), context={"document": original},
                 extra={"document_id": original.id})
