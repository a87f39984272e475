"""Stock pages that post: receive, issue, transfer, receive a transfer, count, adjust, reverse.

Each form is checked by the same marshmallow schema as the API (validation has one home) and
posted by the same operation. A one-time token in the form is the idempotency key, so a double
click or a resubmitted page posts once and lands on the same document.
"""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField

from app.errors import field_messages, status_for
from app.extensions import db
from app.forms_support import id_from_text, typed
from app.i18n import translate_error
from app.security import require
from app.stock.blueprint import bp
from logistics.accounts.roles import Permission
from logistics.core.settings import settings_for
from logistics.errors import DomainError
from logistics.stock import access, operations, queries
from logistics.stock import schemas as s
from logistics.stock.documents import AdjustmentReason, DocumentKind, RecipientKind, TransferStatus
from logistics.stock.errors import TransferNotInTransit
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
          content=ROW_CONTENT, prefill=None):
    """Show the form, or check and post it; redirect to the document once posted.

    ``prefill`` fills a fresh form: header fields by name, and ``lines`` as rows.
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
        rows = _submitted_rows(request.form)
        filled = _filled(rows, content)
        try:
            payload = {name: request.form.get(name, "").strip() for name in header_fields}
            payload = {name: value for name, value in payload.items() if value}
            checker = schema()
            if "lines" in checker.fields:
                payload["lines"] = [row for _, row in filled]
            if "warehouse" in context:
                payload["warehouse_id"] = context["warehouse"].id  # the page's, not the form's
            data = checker.load(typed(checker, payload))  # typed text: numbers read once
            document = operation(db.session, actor=current_user,
                                 idempotency_key=form.form_token.data, **data, **(extra or {}))
        except ValidationError as error:
            errors, status = field_messages(error.messages), 422
        except DomainError as error:
            db.session.rollback()
            errors = {error.field or "_": [translate_error(error)]}
            status = status_for(error)
        else:
            db.session.commit()
            flash(gettext("%(number)s was posted.", number=document.number), "success")
            return redirect(url_for("stock.document", document_id=document.id))
        errors = _on_page(errors, [place for place, _ in filled])
    else:
        errors, status = {"_": [gettext("The form has expired; please try again.")]}, 400
    shown_in_place = set(header_fields) - {"warehouse_id"}
    for key, messages in errors.items():
        if key not in shown_in_place and not key.startswith("lines"):
            for message in messages:
                flash(message, "danger")
    rows += [{}] * max(BLANK_ROWS - len(rows), 0)
    if any(rows[-1].values()):
        rows.append({})  # room for one more line without JavaScript
    return render_template(template, form=form, errors=errors, values=values, rows=rows,
                           **context), status


def _postable(warehouse_id):
    warehouse = queries.get_warehouse(db.session, warehouse_id)
    access.ensure_may_post_in(db.session, current_user, warehouse)
    return warehouse


def _context(warehouse, **more) -> dict:
    lots = queries.lots_on_hand(db.session, warehouse.id)
    return {"warehouse": warehouse, "items": queries.list_items(db.session, limit=1000),
            "lots": lots, **more}


@bp.route("/warehouses/<int:warehouse_id>/receive", methods=["GET", "POST"])
@require(Permission.POST_STOCK)
def receive_form(warehouse_id: int):
    warehouse = _postable(warehouse_id)
    return _post("stock/forms/receive.html", s.ReceiptIn, operations.receive_stock,
                 header_fields=("warehouse_id", "document_date", "notes", "source", "donor_name",
                                "supplier_ref"),
                 context=_context(warehouse, sources=list(LotSource)))


@bp.route("/warehouses/<int:warehouse_id>/issue", methods=["GET", "POST"])
@require(Permission.POST_STOCK)
def issue_form(warehouse_id: int):
    warehouse = _postable(warehouse_id)
    return _post("stock/forms/issue.html", s.IssueIn, operations.issue_stock,
                 header_fields=("warehouse_id", "document_date", "notes", "recipient_kind",
                                "recipient_name", "giver_name", "receiver_name", "witness_name",
                                "request_ref", "authority_ref", *s.SIGNER_FIELDS),
                 context=_context(warehouse, recipient_kinds=list(RecipientKind),
                                  gate=settings_for(db.session).stock_emergency_gate
                                  and warehouse.is_lumbung_sosial))


@bp.route("/warehouses/<int:warehouse_id>/transfer", methods=["GET", "POST"])
@require(Permission.POST_STOCK)
def transfer_form(warehouse_id: int):
    warehouse = _postable(warehouse_id)
    destinations = [w for w in queries.list_warehouses(db.session) if w.id != warehouse.id]
    return _post("stock/forms/transfer.html", s.TransferIn, operations.transfer_stock,
                 header_fields=("warehouse_id", "to_warehouse_id", "document_date", "notes"),
                 context=_context(warehouse, destinations=destinations))


@bp.route("/warehouses/<int:warehouse_id>/adjust", methods=["GET", "POST"])
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
                 context={**_context(warehouse, reasons=list(AdjustmentReason),
                                     transfer_id=transfer_id), "lots": lots},
                 prefill=prefill)


@bp.route("/warehouses/<int:warehouse_id>/count", methods=["GET", "POST"])
@require(Permission.POST_STOCK)
def count_form(warehouse_id: int):
    warehouse = _postable(warehouse_id)
    return _post("stock/forms/count.html", s.CountIn, operations.count_stock,
                 header_fields=("warehouse_id", "document_date", "notes"), content=("counted_qty",),
                 context=_context(warehouse))


@bp.route("/transfers/<int:transfer_id>/receive", methods=["GET", "POST"])
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
                 extra={"transfer_id": transfer.id})


def _lots_carried(transfer) -> list:
    """The lots a transfer put in transit, each once, in the order it sent them."""
    lots = {movement.lot_id: movement.lot for movement in transfer.movements
            if movement.is_in_transit and movement.qty > 0}
    return list(lots.values())


@bp.route("/documents/<int:document_id>/reverse", methods=["GET", "POST"])
@require(Permission.POST_STOCK)
def reverse_form(document_id: int):
    original = queries.get_document(db.session, document_id)
    access.ensure_may_post_in(db.session, current_user, original.warehouse)
    return _post("stock/forms/reverse.html", s.ReversalIn, operations.reverse_document,
                 header_fields=("document_date", "notes"), context={"document": original},
                 extra={"document_id": original.id})
