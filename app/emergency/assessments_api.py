"""Assessments over the API: kaji cepat per desa, household records, Kobo / ODK imports.

NIK and No. KK are dumped as the caller may see them (`PersonalNumber` with the viewer in
the context). Rule problems come back together, each on its field.
"""

from __future__ import annotations

from flask_login import current_user
from flask_smorest.fields import Upload
from marshmallow import Schema, fields

from app.api_support import ApiBlueprint, answers
from app.emergency import assessment_support as support
from app.extensions import db
from app.pagination import keyset_page, page_schema
from app.referrals.intake_support import feed_pipeline
from app.security import require
from app.sheet_imports import invalid_response
from app.stock.api import IdempotencyHeader
from app.stock.files import upload_outside_transaction
from logistics.accounts.roles import Permission
from logistics.emergency import assessment_schemas as s
from logistics.emergency import assessments, kobo
from logistics.emergency.lookups import event_or_fail

blp = ApiBlueprint("assessments_api", __name__, url_prefix="/api/v1/emergency",
                   description="Kaji cepat per desa, household assessments and their imports")

HouseholdPage = page_schema(s.HouseholdOut, "HouseholdPage")


class RapidAssessmentList(Schema):
    items = fields.List(fields.Nested(s.RapidAssessmentOut))
    totals = fields.Dict(keys=fields.String(), values=fields.Integer())


class ImportIn(Schema):
    file = Upload(required=True, metadata={
        "description": "KoboToolbox XLSX, a CSV, or ODK Central's ZIP of CSVs"})
    members_file = Upload(metadata={
        "description": "ODK Central's members repeat CSV (PARENT_KEY), beside a CSV file"})


@blp.get("/events/<int:event_id>/rapid-assessments")
@require(Permission.VIEW_EMERGENCY)
@blp.response(200, RapidAssessmentList)
def get_rapid_assessments(event_id):
    """The latest kaji cepat of each desa of the event, and their totals."""
    event_or_fail(db.session, event_id)
    latest = assessments.latest_rapid_assessments(db.session, event_id)
    return {"items": latest, "totals": assessments.rapid_totals(latest)}


@blp.post("/events/<int:event_id>/rapid-assessments")
@require(Permission.RECORD_ASSESSMENTS)
@blp.arguments(s.RapidAssessmentIn)
@blp.arguments(IdempotencyHeader, location="headers")
@blp.response(201, s.RapidAssessmentOut)
def post_rapid_assessment(data, header, event_id):
    """Record a kaji cepat of a desa in the event's area (a later visit adds another)."""
    try:
        assessment = assessments.record_rapid_assessment(
            db.session, actor=current_user, idempotency_key=header["key"], event_id=event_id,
            **data)
    except assessments.AssessmentInvalid as error:
        return support.problems_response(error)
    db.session.commit()
    return assessment


@blp.get("/events/<int:event_id>/households")
@require(Permission.VIEW_EMERGENCY)
@blp.arguments(s.HouseholdQuery, location="query")
@blp.response(200, HouseholdPage)
def get_households(args, event_id):
    """Assessed households of the event, newest first (``desa_code`` to filter)."""
    event_or_fail(db.session, event_id)
    rows = assessments.list_households(db.session, event_id, desa_code=args["desa_code"],
                                       limit=args["limit"], after=args["after"])
    page = keyset_page(rows, limit=args["limit"], key=lambda row: str(row.id))
    return support.dumped(HouseholdPage(), page)


@blp.post("/events/<int:event_id>/households")
@require(Permission.RECORD_ASSESSMENTS)
@blp.arguments(s.HouseholdIn)
@blp.arguments(IdempotencyHeader, location="headers")
@blp.response(201, s.HouseholdOut)
def post_household(data, header, event_id):
    """Record a household's losses and needs with its members (the head first)."""
    try:
        household = assessments.record_household_assessment(
            db.session, actor=current_user, idempotency_key=header["key"], event_id=event_id,
            **data)
    except assessments.AssessmentInvalid as error:
        return support.problems_response(error)
    feed_pipeline([household])
    db.session.commit()
    return support.dumped(s.HouseholdOut(), household, 201)


@blp.get("/households/<int:household_id>")
@require(Permission.VIEW_EMERGENCY)
@blp.response(200, s.HouseholdOut)
def get_household(household_id):
    return support.dumped(s.HouseholdOut(),
                          assessments.household_or_fail(db.session, household_id))


@blp.put("/households/<int:household_id>")
@require(Permission.RECORD_ASSESSMENTS)
@blp.arguments(s.HouseholdIn)
@blp.response(200, s.HouseholdOut)
def put_household(data, household_id):
    """Correct a household record whole: what is not sent is cleared, members replaced."""
    try:
        household = assessments.correct_household_assessment(
            db.session, actor=current_user, household_id=household_id, **data)
    except assessments.AssessmentInvalid as error:
        return support.problems_response(error)
    feed_pipeline([household])
    db.session.commit()
    return support.dumped(s.HouseholdOut(), household)


@blp.post("/events/<int:event_id>/assessment-imports")
@require(Permission.RECORD_ASSESSMENTS)
@upload_outside_transaction
@blp.arguments(ImportIn, location="files")
@blp.response(201, s.ImportSummaryOut)
@answers(413)
def post_assessment_import(data, event_id):
    """Import households from a KoboToolbox / ODK export, all or nothing.

    A 422 lists every bad row (``errors.rows``: row, sheet, column, message). Each
    submission id (``_uuid``, ``KEY``, ``meta/instanceID``) is kept, so importing the same
    export again updates those households (members replaced) and adds none twice; a retry
    is therefore safe without an Idempotency-Key.
    """
    upload, members = data["file"], data.get("members_file")
    try:
        summary = support.run_import(event_id, upload, members)
    except kobo.ImportInvalid as error:
        db.session.rollback()
        return invalid_response(error)
    db.session.commit()
    return summary
