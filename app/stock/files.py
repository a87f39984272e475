"""Spreadsheet pages: upload the catalogue or opening stock, download on-hand and stock cards."""

from __future__ import annotations

import io
import uuid
from functools import wraps

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import format_decimal, gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import AnyOf

from app.errors import upload_size
from app.extensions import db
from app.forms_support import id_from_text
from app.i18n import moment, translate_error
from app.security import require
from app.stock.blueprint import bp
from app.stock.labels import from_to, stock_label
from logistics.accounts.roles import Permission
from logistics.calendar import local_today
from logistics.core import xlsx
from logistics.core.xlsx import Limits
from logistics.db import utcnow
from logistics.errors import DomainError
from logistics.stock import imports, queries, spreadsheets
from logistics.stock.models import Item

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(FlaskForm):
    kind = StringField(default="catalogue", validators=[AnyOf(["catalogue", "opening"])])
    file = FileField(validators=[FileRequired()])
    form_token = HiddenField()  # one per form shown: a double click imports once
    confirm_expiry = BooleanField()  # expiry dates passed or far away are meant


def on_hand_labels() -> dict:
    return {"title": gettext("Stock on hand"), "header": [
        gettext("Warehouse code"), gettext("Warehouse"), gettext("Item code"), gettext("Item"),
        gettext("Unit"), gettext("On hand"), gettext("In transit"), gettext("Minimum")]}


def card_labels() -> dict:
    """The stock card sheet's words in the current language, raw values never shown."""
    return {"title": gettext("Stock card"), "header": [
        gettext("Date"), gettext("Document"), gettext("Kind"), gettext("Lot"), gettext("In"),
        gettext("Out"), gettext("Balance"), gettext("From/To"), gettext("Source"),
        gettext("Donor")], "describe": describe_card_line}


def describe_card_line(line) -> tuple:
    """Kind, dari/kepada, lot source and donor of one stock card line, as a reader says them."""
    return (stock_label(line.document.kind), from_to(line), stock_label(line.lot.source),
            line.lot.donor_name)


def sheet_limits() -> Limits:
    """What reading one uploaded sheet may cost, from the configuration."""
    config = current_app.config
    return Limits(max_rows=int(config["IMPORT_MAX_ROWS"]),
                  max_unpacked_bytes=int(config["IMPORT_MAX_UNPACKED_MB"]) * xlsx.MB,
                  max_seconds=float(config["IMPORT_MAX_SECONDS"]))


def shown_limits() -> dict:
    return {"rows": format_decimal(current_app.config["IMPORT_MAX_ROWS"]),
            "size": upload_size(current_app.config["MAX_CONTENT_LENGTH"] or 0)}


def upload_outside_transaction(view):
    """Receive and read an upload holding no database lock.

    On SQLite a writing request's first statement takes the one write lock (app/database.py):
    here the user's lookup at login, before the view runs. That transaction is ended first, so
    that a slow upload, or a large sheet being read, keeps no one else from posting.
    """

    @wraps(view)
    def unlocked(*args, **kwargs):
        db.session.rollback()
        return view(*args, **kwargs)

    return unlocked


def run_import(kind: str, upload, filename: str, key: str | None,
               confirm_expiry: bool = False) -> imports.SheetImport:
    """Read the uploaded sheet, then import it once per key; the caller commits.

    The file is read and checked before the import's transaction begins (see
    `upload_outside_transaction`).
    """
    content = upload.read()
    sheet = imports.read_sheet(kind, content, limits=sheet_limits())
    return imports.import_sheet(db.session, actor=current_user, kind=kind, content=content,
                                filename=filename, idempotency_key=key, sheet=sheet,
                                confirm_expiry=confirm_expiry)


@bp.route("/import", methods=["GET", "POST"])
@require(Permission.MANAGE_STOCK_SETUP)
@upload_outside_transaction
def import_sheet():
    form = ImportForm()
    if not form.form_token.data:
        form.form_token.data = uuid.uuid4().hex
    problems, status = [], 200
    if form.validate_on_submit():
        try:
            record = run_import(form.kind.data, form.file.data.stream, form.file.data.filename,
                                form.form_token.data, confirm_expiry=form.confirm_expiry.data)
        except spreadsheets.SpreadsheetInvalid as error:
            db.session.rollback()
            problems, status = error.problems, 422
        except DomainError as error:
            db.session.rollback()
            flash(translate_error(error), "danger")
            status = 422
        else:
            db.session.commit()
            flash(gettext("%(count)s rows imported as %(number)s.", count=record.rows,
                          number=record.number), "success")
            return redirect(url_for("stock.index"))
    elif form.is_submitted():
        status = 422
    return render_template("stock/import.html", form=form, problems=problems,
                           limits=shown_limits()), status


@bp.get("/on-hand.xlsx")
@require(Permission.VIEW_STOCK)
def on_hand_xlsx():
    rows = queries.stock_on_hand(db.session, warehouse_id=request.args.get(
        "warehouse_id", type=id_from_text))
    content = spreadsheets.export_on_hand(rows, exported_at=moment(utcnow()),
                                          labels=on_hand_labels())
    return _download(content, f"stok-{local_today()}.xlsx")


@bp.get("/warehouses/<int:warehouse_id>/items/<int:item_id>/card.xlsx")
@require(Permission.VIEW_STOCK)
def stock_card_xlsx(warehouse_id: int, item_id: int):
    warehouse = queries.get_warehouse(db.session, warehouse_id)
    item = db.session.get(Item, item_id) or abort(404)
    lines = queries.stock_card(db.session, warehouse.id, item.id, limit=100_000)
    content = spreadsheets.export_stock_card(warehouse, item, lines, exported_at=moment(utcnow()),
                                             labels=card_labels())
    return _download(content, f"kartu-stok-{warehouse.code}-{item.code}.xlsx")


def _download(content: bytes, name: str):
    return send_file(io.BytesIO(content), mimetype=XLSX, as_attachment=True, download_name=name)
