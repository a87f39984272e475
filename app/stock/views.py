"""Stock pages that read: warehouses, balances, stock cards, documents, alerts, shortfalls."""

from __future__ import annotations

import re
from collections import defaultdict

from flask import abort, render_template, request, url_for
from flask_babel import get_locale, gettext
from flask_login import current_user
from sqlalchemy import select

from app.extensions import db
from app.forms_support import id_from_text
from app.security import require
from app.stock.blueprint import bp
from app.stock.labels import LEVEL_COLOURS, from_to, item_name, lot_source, stock_label
from logistics.accounts.roles import Permission
from logistics.calendar import local_today
from logistics.core.words import date_in_words
from logistics.regions.models import Region
from logistics.stock import access, alerts, queries
from logistics.stock.documents import AdjustmentReason, DocumentKind, TransferStatus
from logistics.stock.models import Item

PAGE_SIZE = 50
PRINT_LINES = 500  # a printed stock card: the newest lines, in paper order
CURSOR = re.compile(r"(\d{1,10}):(\d{1,10})")


@bp.app_context_processor
def _stock_helpers():
    return {"stock_label": stock_label, "item_name": item_name, "LEVEL_COLOURS": LEVEL_COLOURS,
            "lot_source": lot_source, "from_to": from_to, "date_in_words": _date_in_words}


def _date_in_words(value) -> str:
    return date_in_words(value, str(get_locale()))


def _warehouse_or_404(warehouse_id: int):
    return queries.get_warehouse(db.session, warehouse_id)


def _after() -> int | None:
    return request.args.get("after", type=id_from_text)


@bp.get("/")
@require(Permission.VIEW_STOCK)
def index():
    """Every warehouse with its colour; the keeper's own first."""
    today = local_today()
    levels = alerts.warehouse_levels(db.session, today=today)
    own = access.postable_warehouse_ids(db.session, current_user)
    warehouses = sorted(queries.list_warehouses(db.session),
                        key=lambda w: (own is not None and w.id not in own, w.kind != "central",
                                       w.name))
    regions = dict(db.session.execute(select(Region.code, Region.name).where(
        Region.code.in_([w.region_code for w in warehouses]))).all())
    expiring, low, short = defaultdict(int), defaultdict(int), defaultdict(int)
    for lot in alerts.expiring_lots(db.session, today=today, within_days=30):
        expiring[lot.warehouse.id] += 1
    for item in alerts.items_under_minimum(db.session):
        low[item.warehouse.id] += 1
    for shortfall in queries.open_shortfalls(db.session, limit=None):
        short[shortfall.transfer.to_warehouse_id] += 1
    return render_template("stock/index.html", warehouses=warehouses, levels=levels,
                           regions=regions, own=own, expiring=expiring, low=low, short=short)


@bp.get("/warehouses/<int:warehouse_id>")
@require(Permission.VIEW_STOCK)
def warehouse(warehouse_id: int):
    """What is on this warehouse's shelves, what is on its way, and what happened lately."""
    today = local_today()
    place = _warehouse_or_404(warehouse_id)
    rows = queries.stock_on_hand(db.session, warehouse_id=place.id)
    lots = defaultdict(list)
    for balance, lot in queries.lots_on_hand(db.session, place.id):
        lots[balance.item_id].append((balance, lot))
    incoming = queries.list_documents(db.session, incoming_to=place.id, kind=DocumentKind.TRANSFER,
                                      status=TransferStatus.IN_TRANSIT, limit=20)
    recent = queries.list_documents(db.session, warehouse_id=place.id, limit=10)
    may_post = access.may_post_in(db.session, current_user, place)
    return render_template(
        "stock/warehouse.html", warehouse=place, rows=rows, lots=lots, incoming=incoming,
        recent=recent, today=today, may_post=may_post,
        shortfalls=alerts.open_shortfalls(db.session, warehouse_id=place.id),
        postable={place.id} if may_post else set(),
        level=alerts.warehouse_levels(db.session, today=today).get(place.id, alerts.Level.OK))


@bp.get("/warehouses/<int:warehouse_id>/items/<int:item_id>/card")
@bp.get("/warehouses/<int:warehouse_id>/items/<int:item_id>/card/print",
        endpoint="stock_card_print", defaults={"printable": True})
@require(Permission.VIEW_STOCK)
def stock_card(warehouse_id: int, item_id: int, printable: bool = False):
    """Kartu stok, paged by key: newest first, or oldest first as on paper (``order=paper``).

    The printable card is always in paper order: the newest 500 lines, oldest of them on top.
    """
    place = _warehouse_or_404(warehouse_id)
    item = db.session.get(Item, item_id) or abort(404)
    paper = request.args.get("order") == "paper"
    if printable:
        lines = queries.stock_card(db.session, place.id, item.id, limit=PRINT_LINES + 1)
        next_after = lines[PRINT_LINES - 1].id if len(lines) > PRINT_LINES else None
        lines = lines[:PRINT_LINES][::-1]
    else:
        lines = queries.stock_card(db.session, place.id, item.id, after=_after(),
                                   limit=PAGE_SIZE + 1, oldest_first=paper)
        next_after = lines[PAGE_SIZE - 1].id if len(lines) > PAGE_SIZE else None
        lines = lines[:PAGE_SIZE]
    return render_template(
        "stock/stock_card_print.html" if printable else "stock/stock_card.html",
        warehouse=place, item=item, lines=lines, next_after=next_after, paper=paper,
        on_hand=queries.item_on_hand(db.session, place.id, item.id), printed_on=local_today())


@bp.get("/documents")
@require(Permission.VIEW_STOCK)
def documents():
    warehouse_id = request.args.get("warehouse_id", type=id_from_text)
    kind = request.args.get("kind") if request.args.get("kind") in set(DocumentKind) else None
    rows = queries.list_documents(db.session, warehouse_id=warehouse_id, kind=kind,
                                  after=_after(), limit=PAGE_SIZE + 1)
    next_after = rows[PAGE_SIZE - 1].id if len(rows) > PAGE_SIZE else None
    return render_template("stock/documents.html", documents=rows[:PAGE_SIZE],
                           next_after=next_after, warehouses=queries.list_warehouses(db.session),
                           warehouse_id=warehouse_id, kind=kind, kinds=list(DocumentKind))


@bp.get("/documents/<int:document_id>")
@bp.get("/documents/<int:document_id>/print", endpoint="document_print",
        defaults={"printable": True})
@require(Permission.VIEW_STOCK)
def document(document_id: int, printable: bool = False):
    """One document with its lines; printed, an issue is the BAST to sign."""
    paper = queries.get_document(db.session, document_id)
    shortfall = {}
    if paper.kind == DocumentKind.TRANSFER and paper.status == TransferStatus.RECEIVED:
        shortfall = queries.transfer_shortfall(db.session, paper)
    return render_template(
        "stock/document_print.html" if printable else "stock/document.html", document=paper,
        reversal=queries.reversal_of(db.session, paper), shortfall=shortfall,
        shortfall_lots={movement.lot_id: movement.lot for movement in paper.movements},
        may_post=access.may_post_in(db.session, current_user, paper.warehouse),
        may_receive=(paper.to_warehouse is not None and access.may_post_in(
            db.session, current_user, paper.to_warehouse)))


@bp.get("/alerts")
@require(Permission.VIEW_STOCK)
def alert_list():
    """Expiring lots, items under minimum, shortfalls, stale counts and days of cover, for one
    warehouse or all; the keeper's own warehouses first, each alert with the action that
    answers it (only those the user may post)."""
    today = local_today()
    warehouse_id = request.args.get("warehouse_id", type=id_from_text)
    own = access.postable_warehouse_ids(db.session, current_user)

    def own_first(rows, place):
        return sorted(rows, key=lambda row: own is not None and place(row).id not in own)

    def may_post(place) -> bool:
        return place.is_active and (own is None or place.id in own)

    expiring = own_first(alerts.expiring_lots(db.session, today=today, warehouse_id=warehouse_id),
                         lambda row: row.warehouse)
    low = own_first(alerts.items_under_minimum(db.session, warehouse_id=warehouse_id),
                    lambda row: row.warehouse)
    stale = own_first(alerts.stale_counts(db.session, today=today, warehouse_id=warehouse_id),
                      lambda row: row.warehouse)
    shortfalls = own_first(alerts.open_shortfalls(db.session, warehouse_id=warehouse_id),
                           lambda row: row.transfer.to_warehouse)
    cover = own_first(alerts.days_of_cover(db.session, today=today, warehouse_id=warehouse_id),
                      lambda row: row.warehouse)
    needed = alerts.where_needed(db.session, today=today,
                                 item_ids={row.item.id for row in expiring if row.days_left >= 0})
    holders = alerts.on_hand_elsewhere(db.session, {row.item.id for row in low})

    def lot_actions(row) -> list[tuple[str, str]]:
        if not may_post(row.warehouse):
            return []
        actions = [(gettext("Write off"), url_for(
            "stock.adjust_form", warehouse_id=row.warehouse.id,
            reason=AdjustmentReason.EXPIRED.value, item_id=row.item.id, lot_id=row.lot.id,
            qty=-row.qty))]
        if row.days_left >= 0:  # an expired lot can only be written off
            to = next((place for place in needed.get(row.item.id, ())
                       if place != row.warehouse.id), None)
            actions.append((gettext("Transfer where it will be used"), url_for(
                "stock.transfer_form", warehouse_id=row.warehouse.id, to_warehouse_id=to,
                item_id=row.item.id, lot_id=row.lot.id, qty=row.qty)))
        return actions

    def low_actions(row) -> list[tuple[str, str]]:
        actions = []
        source = next(((place, qty) for place, qty in holders.get(row.item.id, ())
                       if place.id != row.warehouse.id and may_post(place)), None)
        if source:
            place, qty = source
            actions.append((gettext("Transfer from %(warehouse)s", warehouse=place.name), url_for(
                "stock.transfer_form", warehouse_id=place.id, to_warehouse_id=row.warehouse.id,
                item_id=row.item.id, qty=min(qty, row.min_qty - row.on_hand))))
        if may_post(row.warehouse):
            actions.append((gettext("Record a receipt"), url_for(
                "stock.receive_form", warehouse_id=row.warehouse.id, item_id=row.item.id)))
        return actions

    return render_template(
        "stock/alerts.html", warehouse_id=warehouse_id, today=today,
        warehouses=own_first(queries.list_warehouses(db.session), lambda row: row),
        expiring=[(row, lot_actions(row)) for row in expiring],
        low=[(row, low_actions(row)) for row in low],
        stale=[(row, [(gettext("Count stock"), url_for(
            "stock.count_form", warehouse_id=row.warehouse.id))]
            if may_post(row.warehouse) else []) for row in stale],
        cover=cover, shortfalls=shortfalls, postable=own, own=own or set(),
        stale_days=alerts.STALE_COUNT_DAYS)


@bp.get("/shortfalls")
@require(Permission.VIEW_STOCK)
def shortfalls():
    """Transfers received short whose missing units are not yet written off, oldest first."""
    warehouse_id = request.args.get("warehouse_id", type=id_from_text)
    if warehouse_id is not None:
        _warehouse_or_404(warehouse_id)
    cursor = CURSOR.fullmatch(request.args.get("after", ""))
    try:
        after = (id_from_text(cursor[1]), id_from_text(cursor[2])) if cursor else None
    except ValueError:  # a cursor no row can have: start at the beginning
        after = None
    rows = queries.open_shortfalls(
        db.session, warehouse_id=warehouse_id, limit=PAGE_SIZE + 1, after=after)
    next_after = rows[PAGE_SIZE - 1].cursor if len(rows) > PAGE_SIZE else None
    return render_template(
        "stock/shortfalls.html", shortfalls=rows[:PAGE_SIZE], next_after=next_after,
        warehouse_id=warehouse_id, warehouses=queries.list_warehouses(db.session),
        postable=access.postable_warehouse_ids(db.session, current_user))


@bp.get("/on-hand")
@require(Permission.VIEW_STOCK)
def on_hand():
    """Stock on hand across warehouses, with a kabupaten total per item."""
    rows = queries.stock_on_hand(db.session)
    totals = defaultdict(lambda: {"on_hand": 0, "in_transit": 0})
    by_warehouse = defaultdict(list)
    for row in rows:
        by_warehouse[row["warehouse"]].append(row)
        totals[row["item"]]["on_hand"] += row["on_hand"]
        totals[row["item"]]["in_transit"] += row["in_transit"]
    return render_template("stock/on_hand.html", by_warehouse=by_warehouse,
                           totals=sorted(totals.items(), key=lambda pair: pair[0].code))
