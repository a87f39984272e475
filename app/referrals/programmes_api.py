"""Programmes over the API: everyone on a case reads them; the admin adds, edits and
deactivates them, and sets the step limits and intake conditions."""

from __future__ import annotations

from flask_login import current_user

from app.api_support import ApiBlueprint
from app.extensions import db
from app.security import require
from logistics.accounts.roles import Permission
from logistics.referrals import case_schemas as s
from logistics.referrals import programmes

blp = ApiBlueprint("slrt_programmes_api", __name__, url_prefix="/api/v1/slrt",
                   description="SLRT programmes, step limits and intake conditions")


@blp.get("/programmes")
@require(Permission.VIEW_CASES)
@blp.response(200, s.ProgrammeOut(many=True))
def get_programmes():
    """Every programme, active ones first."""
    return programmes.all_programmes(db.session)


@blp.post("/programmes")
@require(Permission.MANAGE_PROGRAMMES)
@blp.arguments(s.ProgrammeIn)
@blp.response(201, s.ProgrammeOut)
def post_programme(data):
    """Add a programme (409 when its code is taken)."""
    programme = programmes.create_programme(db.session, actor=current_user, **data)
    db.session.commit()
    return programme


@blp.patch("/programmes/<int:programme_id>")
@require(Permission.MANAGE_PROGRAMMES)
@blp.arguments(s.ProgrammePatch, required=False)  # no body: nothing changes
@blp.response(200, s.ProgrammeOut)
def patch_programme(data, programme_id):
    """Change a programme; ``is_active: false`` deactivates it (no new referrals)."""
    programme = programmes.update_programme(db.session, actor=current_user,
                                            programme_id=programme_id, **(data or {}))
    db.session.commit()
    return programme


@blp.get("/step-limits")
@require(Permission.VIEW_CASES)
@blp.response(200, s.StepLimitOut(many=True))
def get_step_limits():
    """Days a case may stay in each step before it is overdue."""
    return [{"status": k, "days": v} for k, v in programmes.step_limits(db.session).items()]


@blp.put("/step-limits/<status>")
@require(Permission.MANAGE_PROGRAMMES)
@blp.arguments(s.StepLimitIn)
@blp.response(200, s.StepLimitOut)
def put_step_limit(data, status):
    """Set the days of one open step (pendaftaran, penanganan, penetapan, rujukan)."""
    limit = programmes.set_step_limit(db.session, actor=current_user,
                                      status=status, **data)
    db.session.commit()
    return limit


@blp.get("/intake-conditions")
@require(Permission.VIEW_CASES)
@blp.response(200, s.IntakeConditionOut(many=True))
def get_intake_conditions():
    """Which disaster-assessment findings open a case, and as what need."""
    return programmes.intake_conditions(db.session)


@blp.patch("/intake-conditions/<int:condition_id>")
@require(Permission.MANAGE_PROGRAMMES)
@blp.arguments(s.IntakeConditionIn, required=False)  # no body: nothing changes
@blp.response(200, s.IntakeConditionOut)
def patch_intake_condition(data, condition_id):
    """Switch a condition on or off, or change its threshold."""
    condition = programmes.update_intake_condition(db.session, actor=current_user,
                                                   condition_id=condition_id, **(data or {}))
    db.session.commit()
    return condition
