"""Spreadsheets over the API: multipart XLSX imports and XLSX exports."""

from __future__ import annotations

from flask_babel import gettext
from flask_smorest.fields import Upload
from marshmallow import Schema, fields

from app.api_support import ApiBlueprint, answers
from app.errors import error_response
from app.extensions import db
from app.security import require
from app.stock import files
from app.stock.api import IdempotencyHeader
from logistics.accounts.roles import Permission
from logistics.core.fields import Choice
from logistics.stock import spreadsheets

blp = ApiBlueprint("stock_files_api", __name__, url_prefix="/api/v1/stock/files",
                   description="XLSX import of the catalogue and opening stock; XLSX exports")


class UploadIn(Schema):
    file = Upload(required=True)


class ImportOptions(Schema):
    confirm_expiry = Choice(["true", "false"], load_default="false", metadata={
        "description": "true: take opening-stock expiry dates that have passed or lie more "
                       "than ten years ahead (otherwise each such row is a problem)"})


class ImportedOut(Schema):
    number = fields.String(metadata={"description": "the import's number, e.g. IMP-2026-00001"})
    rows = fields.Integer(metadata={"description": "rows imported"})


class ProblemOut(Schema):
    row = fields.Integer()
    column = fields.String()
    message = fields.String()


@blp.post("/imports/<any(catalogue, opening):kind>")
@require(Permission.MANAGE_STOCK_SETUP)
@files.upload_outside_transaction
@blp.arguments(UploadIn, location="files")
@blp.arguments(IdempotencyHeader, location="headers")
@blp.arguments(ImportOptions, location="query")
@blp.response(201, ImportedOut)
@answers(413)
def post_import(data, header, options, kind):
    """Import a sheet all or nothing: a 422 lists every bad row (row, column, problem).

    A file whose content was imported before is refused (409); a retry with the same
    Idempotency-Key returns the first import. Uploads, rows, unpacked size and reading time
    are capped (413 or 422 naming the limit).
    """
    upload = data["file"]
    try:
        record = files.run_import(kind, upload.stream, upload.filename or "upload.xlsx",
                                  header["key"],
                                  confirm_expiry=options["confirm_expiry"] == "true")
    except spreadsheets.SpreadsheetInvalid as error:
        db.session.rollback()
        return error_response(422, gettext(error.message) % error.params, {
            "rows": [ProblemOut().dump({"row": p.row, "column": p.column,
                                        "message": gettext(p.message)})
                     for p in error.problems]})
    db.session.commit()
    return record


@blp.get("/on-hand.xlsx")
@require(Permission.VIEW_STOCK)
@blp.response(200, description="XLSX workbook")
def get_on_hand_xlsx():
    """Stock on hand of every warehouse (`?warehouse_id=` for one)."""
    return files.on_hand_xlsx()


@blp.get("/warehouses/<int:warehouse_id>/items/<int:item_id>/card.xlsx")
@require(Permission.VIEW_STOCK)
@blp.response(200, description="XLSX workbook")
def get_stock_card_xlsx(warehouse_id, item_id):
    return files.stock_card_xlsx(warehouse_id, item_id)
