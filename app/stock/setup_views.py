"""Setting a warehouse up from the browser: open it, assign its keepers, set its minimums."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_wtf import FlaskForm
from marshmallow import ValidationError
from sqlalchemy import select

from app.errors import field_messages
from app.extensions import db
from app.forms_support import id_from_text, typed
from app.i18n import translate_error
from app.security import require
from app.stock.blueprint import bp
from app.stock.labels import item_name
from logistics.accounts.models import User
from logistics.accounts.roles import Permission, Role
from logistics.errors import DomainError
from logistics.regions.models import Level, Region
from logistics.stock import queries, setup
from logistics.stock.models import MinimumLevel, WarehouseKind
from logistics.stock.schemas import MinimumLevelIn, WarehouseIn

WAREHOUSE_FIELDS = ("code", "name", "kind", "region_code", "address", "lat", "lon",
                    "capacity_note")


@bp.route("/warehouses/new", methods=["GET", "POST"])
@require(Permission.MANAGE_STOCK_SETUP)
def new_warehouse():
    form, errors, status = FlaskForm(), {}, 200
    if form.validate_on_submit():
        payload = {name: request.form.get(name, "").strip() for name in WAREHOUSE_FIELDS}
        try:
            checker = WarehouseIn()
            data = checker.load(typed(checker, {k: v for k, v in payload.items() if v}))
            warehouse = setup.create_warehouse(db.session, **data)
        except ValidationError as error:
            errors, status = field_messages(error.messages), 422
        except DomainError as error:
            db.session.rollback()
            errors, status = {error.field or "code": [translate_error(error)]}, 409
        else:
            db.session.commit()
            flash(gettext("%(name)s was opened.", name=warehouse.name), "success")
            return redirect(url_for("stock.warehouse_settings", warehouse_id=warehouse.id))
    kecamatan = db.session.scalars(select(Region).where(Region.level == Level.KECAMATAN)
                                   .order_by(Region.name))
    return render_template("stock/warehouse_new.html", form=form, errors=errors,
                           values=request.form, kecamatan=list(kecamatan),
                           kinds=list(WarehouseKind)), status


@bp.route("/warehouses/<int:warehouse_id>/settings", methods=["GET", "POST"])
@require(Permission.MANAGE_STOCK_SETUP)
def warehouse_settings(warehouse_id: int):
    """Keepers, minimum levels and open/closed, saved together."""
    warehouse = queries.get_warehouse(db.session, warehouse_id)
    keepers = list(db.session.scalars(select(User).where(
        User.role == Role.WAREHOUSE_KEEPER, User.is_active.is_(True)).order_by(User.username)))
    items = queries.list_items(db.session, limit=1000)
    form = FlaskForm()
    minimums = {level.item_id: level.min_qty for level in db.session.scalars(
        select(MinimumLevel).where(MinimumLevel.warehouse_id == warehouse.id))}
    status = 200
    if form.validate_on_submit():
        entered = {item: text for item in items
                 if (text := request.form.get(f"min_{item.id}", "").strip())}  # blank: as is
        levels, problems = _minimum_levels(entered)
        if problems:  # nothing is saved until every minimum is a whole number in range
            for item, message in problems:
                flash(gettext("Minimum of %(item)s: %(problem)s", item=item_name(item),
                              problem=message), "danger")
            minimums.update({item.id: text for item, text in entered.items()})
            status = 422
        else:
            chosen = set(request.form.getlist("keeper_id", type=id_from_text))
            for user in keepers:
                if user.id in chosen:
                    setup.assign_keeper(db.session, warehouse, user)
                else:
                    setup.unassign_keeper(db.session, warehouse, user)
            for item_id, min_qty in levels.items():
                setup.set_minimum_level(db.session, warehouse_id=warehouse.id, item_id=item_id,
                                        min_qty=min_qty)
            setup.set_warehouse_active(db.session, warehouse, "is_active" in request.form)
            db.session.commit()
            flash(gettext("Settings of %(name)s were saved.", name=warehouse.name), "success")
            return redirect(url_for("stock.warehouse", warehouse_id=warehouse.id))
    return render_template("stock/warehouse_settings.html", form=form, warehouse=warehouse,
                           keepers=keepers, items=items, minimums=minimums), status


def _minimum_levels(entered: dict) -> tuple[dict[int, int], list[tuple]]:
    """Each typed minimum read as the API reads one (MinimumLevelIn), or its problem."""
    checker, levels, problems = MinimumLevelIn(), {}, []
    for item, text in entered.items():
        try:
            data = checker.load(typed(checker, {"item_id": item.id, "min_qty": text}))
        except ValidationError as error:
            messages = field_messages(error.messages)
            problems.append((item, next(iter(messages.values()))[0]))
        else:
            levels[item.id] = data["min_qty"]
    return levels, problems
