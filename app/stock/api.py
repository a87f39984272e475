"""Stock over the API: postings (with Idempotency-Key), documents, balances, stock cards, alerts."""

from __future__ import annotations

from flask_login import current_user
from marshmallow import Schema

from app.api_support import ApiBlueprint, answers
from app.extensions import db
from app.pagination import keyset_page, page_of, page_schema
from app.security import require
from logistics.accounts.roles import Permission
from logistics.calendar import local_today
from logistics.core.fields import Text
from logistics.stock import alerts, operations, queries
from logistics.stock import output_schemas as out
from logistics.stock import query_schemas as query
from logistics.stock import schemas as s

blp = ApiBlueprint("stock_api", __name__, url_prefix="/api/v1/stock",
                   description="Lumbung sosial stock: warehouses, items, lots, documents, ledger")

DocumentPage = page_schema(out.DocumentOut, "DocumentPage")
StockCardPage = page_schema(out.StockCardLineOut, "StockCardPage")
ItemPage = page_schema(out.ItemOut, "ItemPage")
ShortfallPage = page_schema(out.ShortfallOut, "ShortfallPage")
WarehousePage = page_schema(out.WarehouseOut, "WarehousePage")
LotBalancePage = page_schema(out.LotBalanceOut, "LotBalancePage")
StockOnHandPage = page_schema(out.StockOnHandOut, "StockOnHandPage")


class IdempotencyHeader(Schema):
    key = Text(100, min_length=1, data_key="Idempotency-Key", load_default=None, metadata={
        "description": "a retry with the same key returns the first answer and never posts "
                       "twice"})


def _post(operation, data, key, **extra):
    document = operation(db.session, actor=current_user, idempotency_key=key, **data, **extra)
    db.session.commit()
    return document


# --- postings ------------------------------------------------------------------------------

@blp.post("/receipts")
@require(Permission.POST_STOCK)
@blp.arguments(s.ReceiptIn)
@blp.arguments(IdempotencyHeader, location="headers")
@blp.response(201, out.DocumentOut)
def post_receipt(data, header):
    """Receive goods into a warehouse (penerimaan)."""
    return _post(operations.receive_stock, data, header["key"])


@blp.post("/issues")
@require(Permission.POST_STOCK)
@blp.arguments(s.IssueIn)
@blp.arguments(IdempotencyHeader, location="headers")
@blp.response(201, out.DocumentOut)
def post_issue(data, header):
    """Release goods against a BAST; lines without lot_id go first expiry, first out."""
    return _post(operations.issue_stock, data, header["key"])


@blp.post("/transfers")
@require(Permission.POST_STOCK)
@blp.arguments(s.TransferIn)
@blp.arguments(IdempotencyHeader, location="headers")
@blp.response(201, out.DocumentOut)
def post_transfer(data, header):
    """Send goods to another warehouse; they stay in transit until received."""
    return _post(operations.transfer_stock, data, header["key"])


@blp.post("/transfers/<int:transfer_id>/receipt")
@require(Permission.POST_STOCK)
@blp.arguments(s.TransferReceiptIn, required=False)  # no body: everything arrived
@blp.arguments(IdempotencyHeader, location="headers")
@blp.response(201, out.DocumentOut)
def post_transfer_receipt(data, header, transfer_id):
    """Record what arrived; lots short of what was sent stay open as a discrepancy."""
    return _post(operations.receive_transfer, data, header["key"], transfer_id=transfer_id)


@blp.post("/adjustments")
@require(Permission.POST_STOCK)
@blp.arguments(s.AdjustmentIn)
@blp.arguments(IdempotencyHeader, location="headers")
@blp.response(201, out.DocumentOut)
def post_adjustment(data, header):
    """Correct stock with a reason code; with transfer_id, settle a transfer's shortfall."""
    return _post(operations.adjust_stock, data, header["key"])


@blp.post("/counts")
@require(Permission.POST_STOCK)
@blp.arguments(s.CountIn)
@blp.arguments(IdempotencyHeader, location="headers")
@blp.response(201, out.DocumentOut)
def post_count(data, header):
    """Post a stock count (stock opname): each counted lot is set to the counted quantity."""
    return _post(operations.count_stock, data, header["key"])


@blp.post("/documents/<int:document_id>/reversal")
@require(Permission.POST_STOCK)
@blp.arguments(s.ReversalIn)
@blp.arguments(IdempotencyHeader, location="headers")
@blp.response(201, out.DocumentOut)
def post_reversal(data, header, document_id):
    """Undo a posted document with a new one negating its lines; documents are never edited."""
    return _post(operations.reverse_document, data, header["key"], document_id=document_id)


# --- documents -----------------------------------------------------------------------------

@blp.get("/documents")
@require(Permission.VIEW_STOCK)
@blp.arguments(query.DocumentQuery, location="query")
@blp.response(200, DocumentPage)
def get_documents(args):
    """Documents newest first, filtered by warehouse, kind, status or destination."""
    limit = args.pop("limit")
    rows = queries.list_documents(db.session, **args, limit=limit + 1)
    return keyset_page(rows, limit=limit, key=lambda document: str(document.id))


@blp.get("/documents/<int:document_id>")
@require(Permission.VIEW_STOCK)
@blp.response(200, out.DocumentOut)
def get_document(document_id):
    return queries.get_document(db.session, document_id)


# --- catalogue, warehouses, balances ------------------------------------------------------

@blp.get("/items")
@require(Permission.VIEW_STOCK)
@blp.arguments(query.ItemQuery, location="query")
@blp.response(200, ItemPage)
def get_items(args):
    """The item catalogue by code; q searches code and both names."""
    limit = args["limit"]
    rows = queries.list_items(db.session, search=args.get("q"), category=args.get("category"),
                              after=args.get("after"), limit=limit + 1)
    return keyset_page(rows, limit=limit, key=lambda item: item.code)


@blp.get("/warehouses")
@require(Permission.VIEW_STOCK)
@blp.arguments(query.WarehousePageQuery, location="query")
@blp.response(200, WarehousePage)
def get_warehouses(args):
    """Active warehouses by code, with their alert level."""
    levels = alerts.warehouse_levels(db.session, today=local_today())
    warehouses = queries.list_warehouses(db.session)
    for warehouse in warehouses:
        warehouse.level = levels.get(warehouse.id, alerts.Level.OK).value
    return page_of(warehouses, limit=args["limit"], after=args.get("after"),
                   sort_key=lambda warehouse: warehouse.code)


@blp.get("/warehouses/<int:warehouse_id>/lots")
@require(Permission.VIEW_STOCK)
@blp.arguments(query.LotQuery, location="query")
@blp.response(200, LotBalancePage)
def get_lots(args, warehouse_id):
    """Lots with stock here by item, first expiry first: the lot picker."""
    queries.get_warehouse(db.session, warehouse_id)
    pairs = queries.lots_on_hand(db.session, warehouse_id, args.get("item_id"))
    rows = [{"lot": lot, "item_id": balance.item_id, "qty": balance.qty}
            for balance, lot in pairs]
    return page_of(rows, limit=args["limit"], after=args.get("after"), cursor=query.lot_cursor,
                   sort_key=lambda row: query.lot_sort_key(row["item_id"], row["lot"].expires_on,
                                                       row["lot"].id))


@blp.get("/warehouses/<int:warehouse_id>/items/<int:item_id>/card")
@require(Permission.VIEW_STOCK)
@blp.arguments(query.PageQuery, location="query")
@blp.response(200, StockCardPage)
def get_stock_card(args, warehouse_id, item_id):
    """Kartu stok: newest line first, each with the item's balance after it."""
    queries.get_warehouse(db.session, warehouse_id)
    limit = args["limit"]
    rows = queries.stock_card(db.session, warehouse_id, item_id, after=args.get("after"),
                              limit=limit + 1)
    return keyset_page(rows, limit=limit, key=lambda movement: str(movement.id))


@blp.get("/on-hand")
@require(Permission.VIEW_STOCK)
@blp.arguments(query.OnHandQuery, location="query")
@blp.response(200, StockOnHandPage)
def get_stock_on_hand(args):
    """Stock on hand per warehouse and item (by their codes), with what is in transit
    towards it."""
    rows = queries.stock_on_hand(db.session, warehouse_id=args.get("warehouse_id"))
    return page_of(rows, limit=args["limit"], after=args.get("after"), cursor=":".join,
                   sort_key=lambda row: (row["warehouse"].code, row["item"].code))


@blp.get("/shortfalls")
@answers(404)  # the warehouse_id filter names a warehouse that must exist
@require(Permission.VIEW_STOCK)
@blp.arguments(query.ShortfallQuery, location="query")
@blp.response(200, ShortfallPage)
def get_shortfalls(args):
    """Transfer shortfalls left open, per transfer and lot, oldest transfer first: what was
    sent, arrived and written off, and what is still open to settle (POST /adjustments with
    transfer_id)."""
    if args.get("warehouse_id") is not None:
        queries.get_warehouse(db.session, args["warehouse_id"])
    limit = args["limit"]
    rows = queries.open_shortfalls(db.session, warehouse_id=args.get("warehouse_id"),
                                   after=args.get("after"), limit=limit + 1)
    return keyset_page(rows, limit=limit, key=lambda row: row.cursor)
