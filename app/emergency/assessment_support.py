"""What the assessment pages and API share: every rule problem on its field, and the import."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user
from marshmallow.experimental.context import Context

from app.errors import error_response
from app.extensions import db
from app.i18n import translate_error
from app.referrals.intake_support import feed_pipeline_by_id
from app.stock.files import sheet_limits
from logistics.emergency import assessments, kobo
from logistics.errors import DomainError


def rule_messages(errors: list[DomainError]) -> dict[str, list[str]]:
    """Each problem translated, under its field (``_schema`` when it names none)."""
    messages: dict[str, list[str]] = {}
    for error in errors:
        messages.setdefault(error.field or "_schema", []).append(translate_error(error))
    return messages


def problems_response(error: assessments.AssessmentInvalid):
    return error_response(422, translate_error(error), rule_messages(error.problems))


def dumped(schema, value, status: int = 200):
    """``value`` dumped for the current user (NIK and No. KK as they may see them)."""
    with Context({"viewer": current_user}):
        response = jsonify(schema.dump(value))
    response.status_code = status
    return response


def run_import(event_id: int, upload, members=None) -> kobo.Summary:
    """Read the export (no database held), then import it whole; the caller commits."""
    export = kobo.read_export(
        upload.read(), upload.filename or "", sheet_limits(),
        members=members.read() if members else None,
        members_filename=(members.filename or "") if members else "")
    summary = kobo.import_households(db.session, actor=current_user, event_id=event_id,
                                     export=export)
    taken = feed_pipeline_by_id(summary.household_ids)
    summary.slrt_cases_opened = len(taken.cases_opened)
    summary.slrt_needs_added, summary.slrt_without_kk = taken.needs_added, taken.without_kk
    return summary
