"""Request pages: posko staff ask on a phone, coordinators decide, keepers deliver.

Forms are checked by the API's schemas (`logistics.emergency.request_schemas`) and posted by the
same operations; a one-time token in each creating form is its idempotency key, so a double tap
or a resent page asks or delivers once.
"""

from __future__ import annotations

import uuid
from collections import defaultdict

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from marshmallow import ValidationError
from wtforms import HiddenField

from app.emergency.blueprint import bp
from app.errors import field_messages, status_for
from app.extensions import db
from app.forms_support import id_from_text, reshows_on_expiry, typed
from app.i18n import day, number, translate_error
from app.security import require
from app.stock.labels import item_name
from logistics.accounts.roles import Permission
from logistics.calendar import local_today
from logistics.core import idempotency
from logistics.core.masking import text_shown_to
from logistics.emergency import access, request_queries, requests
from logistics.emergency import request_schemas as s
from logistics.emergency.lookups import event_or_fail
from logistics.emergency.models import Event, Posko
from logistics.emergency.request_models import (
    OPEN_STATUSES,
    REQUEST_FLOW,
    Fulfilment,
    RequestStatus,
    StockRequest,
)
from logistics.errors import DomainError
from logistics.stock import queries as stock_queries
from logistics.stock.access import ensure_may_post_in, may_post_in, postable_warehouse_ids
from logistics.stock.documents import Document
from logistics.stock.schemas import SIGNER_FIELDS

BLANK_ROWS = 3
ASK_LINE = ("item_id", "qty", "needed_by")
FULFIL_HEADER = ("giver_name", "receiver_name", "witness_name", *SIGNER_FIELDS,
                 "authority_ref", "document_date", "notes")


class TokenForm(FlaskForm):
    """CSRF plus the one-time token that makes a create idempotent."""

    form_token = HiddenField()


@bp.app_context_processor
def _request_helpers():
    return {"request_status": lambda status: gettext(REQUEST_FLOW.label(status))}


def _rows(names) -> list[dict]:
    """Every line row as submitted (blank ones too), keyed by field, empty values left out."""
    columns = {name: request.form.getlist(name) for name in names}
    count = max((len(values) for values in columns.values()), default=0)
    return [{name: values[index].strip() for name, values in columns.items()
             if index < len(values) and values[index].strip()} for index in range(count)]


def _load(schema, payload, places) -> tuple[dict, dict]:
    """The loaded input and the schema's messages, lines moved to their rows on the page."""
    try:
        return schema().load(typed(schema(), payload)), {}
    except ValidationError as error:
        return error.valid_data or {}, _on_page(field_messages(error.messages), places)


def _on_page(errors: dict, places: list[int]) -> dict:
    moved = {}
    for key, messages in errors.items():
        parts = key.split(".", 2)
        if parts[0] == "lines" and len(parts) > 1 and parts[1].isdigit() \
                and int(parts[1]) < len(places):
            parts[1] = str(places[int(parts[1])])
        moved[".".join(parts)] = messages
    return moved


def _refused(error: DomainError, places=None) -> dict:
    db.session.rollback()
    return _on_page({error.field or "_": [translate_error(error)]}, places or [])


def _flash_rest(errors: dict, shown) -> None:
    for key, messages in errors.items():
        if key not in shown and not key.startswith("lines."):
            for message in messages:
                flash(message, "danger")


# --- asking --------------------------------------------------------------------------------

def _recordable_posko() -> list[Posko]:
    allowed = access.recordable_posko_ids(db.session, current_user)
    today = local_today()
    query = db.select(Posko).join(Event).where(
        (Event.ended_on.is_(None)) | (Event.ended_on >= today),
        (Posko.closed_on.is_(None)) | (Posko.closed_on >= today)).order_by(Posko.code)
    if allowed is not None:
        query = query.where(Posko.id.in_(allowed or {0}))
    return list(db.session.scalars(query))


@bp.route("/requests/new", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.RECORD_POSKO)
def request_new():
    """Ask for goods: one posko, several lines of item, quantity and date needed."""
    form, errors, status = TokenForm(), {}, 200
    posko = _recordable_posko()
    values = {"posko_id": request.values.get("posko_id", type=id_from_text)
              or (posko[0].id if len(posko) == 1 else None)}
    rows = []
    if request.method == "POST" and form.validate_on_submit():
        earlier = idempotency.made_with(db.session, current_user, form.form_token.data)
        if isinstance(earlier, StockRequest):
            return redirect(url_for("emergency.request_page", request_id=earlier.id))
        rows = _rows(ASK_LINE)
        values.update({name: request.form.get(name, "").strip() for name in ("needed_by",
                                                                               "notes")})
        filled = [(place, row) for place, row in enumerate(rows)
                  if row.get("item_id") or row.get("qty")]
        if "more" not in request.form:
            payload = {"lines": [row for _, row in filled],
                       **{k: v for k, v in values.items() if v and k != "posko_id"},
                       "submit": request.form.get("action") != "draft"}
            data, errors = _load(s.RequestIn, payload, [place for place, _ in filled])
            if not values["posko_id"]:
                errors["posko_id"] = [gettext("Pick the posko that asks.")]
            status = 422 if errors else 200
            if not errors:
                try:
                    made = requests.request_stock(
                        db.session, actor=current_user, posko_id=values["posko_id"],
                        idempotency_key=form.form_token.data, **data)
                except DomainError as error:
                    errors = _refused(error, [place for place, _ in filled])
                    status = status_for(error)
                else:
                    db.session.commit()
                    flash(gettext("Request %(number)s was saved.", number=made.number),
                          "success")
                    return redirect(url_for("emergency.request_page", request_id=made.id))
        _flash_rest(errors, {"posko_id", "needed_by", "notes"})
    else:
        form.form_token.data = form.form_token.data or uuid.uuid4().hex
    rows += [{}] * max(BLANK_ROWS - len(rows), 0)
    if "more" in request.form or any(rows[-1].values()):
        rows += [{}] * BLANK_ROWS
    item_choices = [(item.id, f"{item_name(item)} ({item.code}), {item.base_unit}")
                    for item in stock_queries.list_items(db.session, limit=1000)
                    if item.is_active]
    return render_template("emergency/request_new.html", form=form, errors=errors,
                           values=values, rows=rows, posko=posko,
                           item_choices=item_choices), status


# --- reading ---------------------------------------------------------------------------------

@bp.get("/requests")
@require(Permission.VIEW_EMERGENCY)
def request_queue():
    """The coordinator's queue: undecided first, then what is approved and not yet delivered."""
    queue = request_queries.queue(db.session)
    waiting = [r for r in queue if r.status == RequestStatus.SUBMITTED]
    to_deliver = [r for r in queue if r.status != RequestStatus.SUBMITTED]
    recent = request_queries.list_requests(db.session, limit=20)
    return render_template("emergency/request_queue.html", waiting=waiting,
                           to_deliver=to_deliver, recent=recent)


def _page(request_id: int, *, errors=None, values=None, status=200):
    stock_request = requests.request_or_fail(db.session, request_id)
    deliveries = db.session.execute(
        db.select(Fulfilment, Document).join(Document, Document.id == Fulfilment.document_id)
        .where(Fulfilment.line_id.in_([line.id for line in stock_request.lines]))
        .order_by(Document.id)).all()
    delivered = defaultdict(list)
    for fulfilment, document in deliveries:
        delivered[document].append(fulfilment)
    # A reversed release no longer counts: the page says so beside it, with its reversal.
    reversed_by = {reversal.reverses_id: reversal for reversal in db.session.scalars(
        db.select(Document).where(Document.reverses_id.in_([d.id for d in delivered])))}
    may_record = _may_record(stock_request)
    current = stock_request.status
    return render_template(
        "emergency/request_page.html", req=stock_request, delivered=delivered,
        reversed_by=reversed_by,
        errors=errors or {}, values=values or {}, form=TokenForm(),
        may_submit=may_record and current == RequestStatus.DRAFT,
        may_decide=current_user.can(Permission.DECIDE_REQUESTS)
        and current == RequestStatus.SUBMITTED,
        may_cancel=may_record and (current == RequestStatus.DRAFT or current in OPEN_STATUSES),
        may_fulfil=current_user.can(Permission.POST_STOCK)
        and current in requests.DELIVERABLE), status


def _may_record(stock_request) -> bool:
    allowed = access.recordable_posko_ids(db.session, current_user)
    return current_user.can(Permission.RECORD_POSKO) and (
        allowed is None or stock_request.posko_id in allowed)


@bp.get("/requests/<int:request_id>")
@require(Permission.VIEW_EMERGENCY)
def request_page(request_id: int):
    return _page(request_id)


# --- deciding --------------------------------------------------------------------------------

def _act(request_id, operation, done_message, *, values=None, rename=None, **arguments):
    """Run a status change from the request page; on a refusal show the page again with the
    message beside its field."""
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(request_id, errors={"_": [gettext("The form has expired; please try "
                                                       "again.")]}, status=400)
    try:
        operation(db.session, actor=current_user, request_id=request_id, **arguments)
    except DomainError as error:
        errors = {(rename or {}).get(key, key): messages
                  for key, messages in _refused(error).items()}
        _flash_rest(errors, {"reason", "cancel_reason", "lines"})
        return _page(request_id, errors=errors, values=values, status=status_for(error))
    db.session.commit()
    flash(done_message, "success")
    return redirect(url_for("emergency.request_page", request_id=request_id))


@bp.post("/requests/<int:request_id>/submit")
@require(Permission.RECORD_POSKO)
def request_submit(request_id: int):
    return _act(request_id, requests.submit_request,
                gettext("Sent to the coordinators."))


@bp.post("/requests/<int:request_id>/approve")
@require(Permission.DECIDE_REQUESTS)
def request_approve(request_id: int):
    rows = _rows(("line_id", "approved_qty"))
    values = {f"approved_{row.get('line_id')}": row.get("approved_qty", "") for row in rows}
    data, errors = _load(s.ApproveIn, {"lines": rows}, list(range(len(rows))))
    if errors:
        requests.request_or_fail(db.session, request_id)
        _flash_rest(errors, {"lines"})
        return _page(request_id, errors=errors, values=values, status=422)
    return _act(request_id, requests.approve_request, gettext("Approved."), values=values,
                **data)


@bp.post("/requests/<int:request_id>/reject")
@require(Permission.DECIDE_REQUESTS)
def request_reject(request_id: int):
    reason = request.form.get("reason", "").strip()
    return _act(request_id, requests.reject_request, gettext("Rejected."),
                values={"reason": reason}, reason=reason)


@bp.post("/requests/<int:request_id>/cancel")
@require(Permission.RECORD_POSKO)
def request_cancel(request_id: int):
    reason = request.form.get("cancel_reason", "").strip()
    return _act(request_id, requests.cancel_request, gettext("Cancelled."),
                values={"cancel_reason": reason}, rename={"reason": "cancel_reason"},
                reason=reason)


# --- delivering ------------------------------------------------------------------------------

@bp.get("/requests/<int:request_id>/fulfil")
@require(Permission.POST_STOCK)
def request_fulfil_choose(request_id: int):
    """Open the delivery form for the warehouse asked for, else the nearest one the keeper
    may post in that holds something the request still waits for."""
    stock_request = requests.request_or_fail(db.session, request_id)
    chosen = request.args.get("warehouse_id", type=id_from_text)
    if chosen is None:
        allowed = postable_warehouse_ids(db.session, current_user)
        proposal = request_queries.propose_fulfilment(db.session, stock_request, local_today())
        options = [c.warehouse.id for c in proposal.warehouses
                   if allowed is None or c.warehouse.id in allowed]
        options += sorted(allowed or ())
        chosen = options[0] if options else None
    if chosen is None:
        flash(gettext("You keep no warehouse to deliver from."), "warning")
        return redirect(url_for("emergency.request_page", request_id=request_id))
    return redirect(url_for("emergency.request_fulfil", request_id=request_id,
                            warehouse_id=chosen))


@bp.route("/requests/<int:request_id>/fulfil/<int:warehouse_id>", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.POST_STOCK)
def request_fulfil(request_id: int, warehouse_id: int):
    """Deliver from one warehouse: the open lines prefilled from the proposal, the signers."""
    stock_request = requests.request_or_fail(db.session, request_id)
    warehouse = stock_queries.get_warehouse(db.session, warehouse_id)
    ensure_may_post_in(db.session, current_user, warehouse)
    proposal = request_queries.propose_fulfilment(db.session, stock_request, local_today())
    form, errors, status = TokenForm(), {}, 200
    # The contact is free text (a NIK may be typed in it): prefilled as this keeper may see it.
    values = {"giver_name": current_user.full_name,
              "receiver_name": text_shown_to(current_user, stock_request.posko.contact_name)
              or ""}
    rows = []
    for line_proposal in proposal.lines:
        source = proposal.source(line_proposal.line.id, warehouse.id)
        rows.append({"line_id": str(line_proposal.line.id),
                     "qty": str(source.takes) if source and source.takes else ""})
    if request.method == "POST" and form.validate_on_submit():
        earlier = idempotency.made_with(db.session, current_user, form.form_token.data)
        if isinstance(earlier, Document):
            return redirect(url_for("stock.document", document_id=earlier.id))
        rows = _rows(("line_id", "qty", "lot_id"))
        values = {name: request.form.get(name, "").strip() for name in FULFIL_HEADER}
        filled = [(place, row) for place, row in enumerate(rows) if row.get("qty")]
        payload = {**{k: v for k, v in values.items() if v}, "warehouse_id": warehouse.id,
                   "lines": [row for _, row in filled]}
        data, errors = _load(s.FulfilIn, payload, [place for place, _ in filled])
        status = 422 if errors else 200
        if not errors:
            try:
                document = requests.fulfil_request(
                    db.session, actor=current_user, request_id=stock_request.id,
                    idempotency_key=form.form_token.data, **data)
            except DomainError as error:
                errors = _refused(error, [place for place, _ in filled])
                status = status_for(error)
            else:
                db.session.commit()
                flash(gettext("%(number)s was posted.", number=document.number), "success")
                return redirect(url_for("stock.document", document_id=document.id))
        _flash_rest(errors, set(FULFIL_HEADER))
    else:
        form.form_token.data = form.form_token.data or uuid.uuid4().hex
    allowed = postable_warehouse_ids(db.session, current_user)
    choices = [c for c in proposal.warehouses if allowed is None or c.warehouse.id in allowed]
    if warehouse.id not in {c.warehouse.id for c in choices}:
        choices.append(request_queries.WarehouseChoice(
            warehouse, request_queries.km_between(stock_request.posko.point, warehouse.location),
            0, 0))
    lots = defaultdict(list)  # item id -> (lot id, "batch · exp. day · qty"), first expiry first
    for balance, lot in stock_queries.lots_on_hand(db.session, warehouse.id):
        if not lot.is_expired(local_today()):
            expiry = f" · {gettext('exp.')} {day(lot.expires_on, 'medium')}" \
                if lot.expires_on else ""
            lots[lot.item_id].append((lot.id, f"{lot.batch_no}{expiry} · {number(balance.qty)}"))
    return render_template(
        "emergency/request_fulfil.html", req=stock_request, warehouse=warehouse,
        proposal=proposal, choices=choices, rows=rows, lots=lots, values=values,
        errors=errors, form=form, lines={line.id: line for line in stock_request.lines},
        may_post=may_post_in(db.session, current_user, warehouse)), status


# --- what is missing -------------------------------------------------------------------------

@bp.get("/events/<int:event_id>/unmet")
@require(Permission.VIEW_EMERGENCY)
def request_unmet(event_id: int):
    """What the event's posko still wait for, per line and summed per item."""
    event = event_or_fail(db.session, event_id)
    unmet = request_queries.unmet_lines(db.session, event.id)
    totals: dict = {}
    for row in unmet:
        item = row.line.item
        approved, undecided = totals.get(item, (0, 0))
        totals[item] = (approved + (0 if row.undecided else row.missing),
                        undecided + (row.missing if row.undecided else 0))
    return render_template("emergency/request_unmet.html", event=event, unmet=unmet,
                           totals=sorted(totals.items(), key=lambda pair: pair[0].code))
