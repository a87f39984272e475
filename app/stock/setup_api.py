"""Setting stock up over the API: warehouses, keepers, catalogue, minimum levels; and alerts."""

from __future__ import annotations

from app.api_support import ApiBlueprint
from app.extensions import db
from app.security import require
from logistics.accounts import queries as account_queries
from logistics.accounts.roles import Permission
from logistics.calendar import local_today
from logistics.stock import alerts, queries, setup
from logistics.stock import output_schemas as out
from logistics.stock import query_schemas as query
from logistics.stock import schemas as s

blp = ApiBlueprint("stock_setup_api", __name__, url_prefix="/api/v1/stock",
                   description="Stock set-up (coordinators and admins) and alerts")


@blp.get("/alerts")
@require(Permission.VIEW_STOCK)
@blp.arguments(query.WarehouseFilter, location="query")
@blp.response(200, out.AlertsOut)
def get_alerts(args):
    """Lots expired or expiring within 90 days, items under minimum, days of cover, transfer
    shortfalls left open."""
    today, warehouse_id = local_today(), args.get("warehouse_id")
    return {
        "expiring": alerts.expiring_lots(db.session, today=today, warehouse_id=warehouse_id),
        "under_minimum": alerts.items_under_minimum(db.session, warehouse_id=warehouse_id),
        "days_of_cover": alerts.days_of_cover(db.session, today=today,
                                              warehouse_id=warehouse_id),
        "open_shortfalls": alerts.open_shortfalls(db.session, warehouse_id=warehouse_id),
    }


@blp.get("/warehouses/<int:warehouse_id>")
@require(Permission.VIEW_STOCK)
@blp.response(200, out.WarehouseDetailOut)
def get_warehouse(warehouse_id):
    warehouse = queries.get_warehouse(db.session, warehouse_id)
    levels = alerts.warehouse_levels(db.session, today=local_today())
    warehouse.level = levels.get(warehouse.id, alerts.Level.OK).value
    return warehouse


@blp.post("/warehouses")
@require(Permission.MANAGE_STOCK_SETUP)
@blp.arguments(s.WarehouseIn)
@blp.response(201, out.WarehouseOut)
def post_warehouse(data):
    """Open a warehouse in a kecamatan."""
    warehouse = setup.create_warehouse(db.session, **data)
    db.session.commit()
    warehouse.level = alerts.Level.OK.value
    return warehouse


@blp.put("/warehouses/<int:warehouse_id>/keepers/<int:user_id>")
@require(Permission.MANAGE_STOCK_SETUP)
@blp.response(204)
def put_keeper(warehouse_id, user_id):
    """Let a warehouse keeper post in this warehouse."""
    setup.assign_keeper(db.session, queries.get_warehouse(db.session, warehouse_id),
                        account_queries.get_user(db.session, user_id))
    db.session.commit()


@blp.delete("/warehouses/<int:warehouse_id>/keepers/<int:user_id>")
@require(Permission.MANAGE_STOCK_SETUP)
@blp.response(204)
def delete_keeper(warehouse_id, user_id):
    setup.unassign_keeper(db.session, queries.get_warehouse(db.session, warehouse_id),
                          account_queries.get_user(db.session, user_id))
    db.session.commit()


@blp.put("/warehouses/<int:warehouse_id>/minimums")
@require(Permission.MANAGE_STOCK_SETUP)
@blp.arguments(s.MinimumLevelIn)
@blp.response(204)
def put_minimum(data, warehouse_id):
    """Set the buffer this warehouse should not fall under for one item."""
    queries.get_warehouse(db.session, warehouse_id)
    queries.get_item(db.session, data["item_id"])
    setup.set_minimum_level(db.session, warehouse_id=warehouse_id, **data)
    db.session.commit()


@blp.post("/items")
@require(Permission.MANAGE_STOCK_SETUP)
@blp.arguments(s.ItemIn)
@blp.response(201, out.ItemOut)
def post_item(data):
    """Add an item to the catalogue, with its packs (e.g. karung of 25 kg)."""
    data["packs"] = [(pack["name"], pack["base_qty"]) for pack in data["packs"]]
    item = setup.create_item(db.session, **data)
    db.session.commit()
    return item
