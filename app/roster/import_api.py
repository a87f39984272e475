"""The roster import over the API: a sheet in, the counts out, or every bad row (422)."""

from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import Schema, fields

from app.api_support import ApiBlueprint
from app.extensions import db
from app.roster.import_views import run_import
from app.security import require
from app.sheet_imports import invalid_response
from app.stock.files import upload_outside_transaction
from logistics.accounts.roles import Permission
from logistics.core.sheet_import import ImportInvalid

blp = ApiBlueprint("roster_import_api", __name__, url_prefix="/api/v1/roster",
                   description="Import the roster from a sheet")


class RosterImportIn(Schema):
    file = Upload(required=True, metadata={
        "description": "XLSX (first sheet) or CSV; the columns are in docs/roster-import.md"})


class RosterImportOut(Schema):
    rows = fields.Integer(metadata={"description": "volunteers read from the file"})
    created = fields.Integer(metadata={"description": "registered"})
    updated = fields.Integer(metadata={"description": "found by NIA or NIK and changed"})
    promoted = fields.Integer(metadata={"description": "of the updated: made Tagana"})
    unchanged = fields.Integer()


@blp.post("/imports")
@require(Permission.MANAGE_ROSTER)
@upload_outside_transaction
@blp.arguments(RosterImportIn, location="files")
@blp.response(201, RosterImportOut)
def post_roster_import(data):
    """Register or update the sheet's volunteers, all or nothing.

    A 422 lists every bad row (``errors.rows``: row, sheet, column, message) and writes
    nothing. A person already on the roster (same NIA, or same NIK) is updated, never added
    twice, so a retry is safe without an Idempotency-Key. A row may promote a Sahabat Tagana
    (kind Tagana with an NIA) but never makes a Tagana a Sahabat Tagana again.
    """
    try:
        summary = run_import(data["file"])
    except ImportInvalid as error:
        db.session.rollback()
        return invalid_response(error)
    db.session.commit()
    return summary
