"""The roster import page: upload an XLSX or CSV sheet, see every problem or what was done.

The sheet is read before the import's transaction begins (`upload_outside_transaction`), then
checked and written whole (`logistics.roster.roster_import`); a refused file writes nothing and
lists every bad row with its column. Importing the same sheet again is safe: people are found by
NIA or NIK and updated.
"""

from __future__ import annotations

import uuid

from flask import render_template
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField

from app.extensions import db
from app.forms_support import reshows_on_expiry
from app.roster.blueprint import bp
from app.security import require
from app.sheet_imports import import_on_page
from app.stock.files import sheet_limits, shown_limits, upload_outside_transaction
from logistics.accounts.roles import Permission
from logistics.roster import roster_import, roster_read


class RosterImportForm(FlaskForm):
    file = FileField(validators=[FileRequired()])
    form_token = HiddenField()


def run_import(upload) -> roster_import.Summary:
    """Read the sheet (no database held), then import it whole; the caller commits."""
    table = roster_read.read_roster(upload.read(), upload.filename or "", sheet_limits())
    return roster_import.import_roster(db.session, actor=current_user, table=table)


@bp.route("/import", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.MANAGE_ROSTER)
@upload_outside_transaction
def roster_import_page():
    form, problems, summary, status = RosterImportForm(), [], None, 200
    if not form.form_token.data:
        form.form_token.data = uuid.uuid4().hex
    if form.validate_on_submit():
        summary, problems, status = import_on_page(lambda: run_import(form.file.data))
    elif form.is_submitted():
        status = 422
    return render_template("roster/import.html", form=form, problems=problems, summary=summary,
                           limits=shown_limits(), columns=roster_read.HEADER_OF), status
