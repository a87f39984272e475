"""SLRT households over the API: the list a user may see (searched by No. KK, NIK or head's
name), one household, registration (idempotent), the register status, members added and moved.

Every route is scoped to the caller's Puskesos by the operations and `household_for` (403
outside it). NIK and No. KK are dumped through `PersonalNumber`: in full only for callers with
VIEW_PERSONAL_DATA, whose reading of one household in full is noted in its audit trail.
"""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user
from marshmallow.experimental.context import Context

from app.api_support import ApiBlueprint
from app.extensions import db
from app.pagination import keyset_page, page_schema
from app.security import require
from app.stock.api import IdempotencyHeader
from logistics.accounts.roles import Permission
from logistics.referrals import audit, household_queries, households
from logistics.referrals import household_schemas as s
from logistics.referrals.models import AuditAction

blp = ApiBlueprint("slrt_households_api", __name__, url_prefix="/api/v1/slrt",
                   description="SLRT households and their members, per Puskesos")

SlrtHouseholdPage = page_schema(s.SlrtHouseholdSummaryOut, "SlrtHouseholdPage")


def _dumped(schema, value, status: int = 200):
    """``value`` dumped for the current user (NIK and No. KK as they may see them)."""
    with Context({"viewer": current_user}):
        response = jsonify(schema.dump(value))
    response.status_code = status
    return response


def _household(household_id: int):
    """The household dumped in full for the caller, its reading noted in the audit trail."""
    household = household_queries.household_for(db.session, current_user, household_id)
    audit.record_access(db.session, actor=current_user, household_ids=[household.id],
                        action=AuditAction.VIEW, what="API: household")
    db.session.commit()
    return household


@blp.get("/households")
@require(Permission.VIEW_CASES)
@blp.arguments(s.SlrtHouseholdQuery, location="query")
@blp.response(200, SlrtHouseholdPage)
def get_households(args):
    """The households of the caller's Puskesos, newest first; ``q`` is a No. KK or NIK
    (exact, separators allowed) or a part of the head's name."""
    rows = household_queries.visible_households(db.session, current_user, q=args.get("q"),
                                                limit=args["limit"], after=args.get("after"))
    page = keyset_page(rows, limit=args["limit"], key=lambda household: str(household.id))
    return _dumped(SlrtHouseholdPage(), page)


@blp.get("/households/<int:household_id>")
@require(Permission.VIEW_CASES)
@blp.response(200, s.SlrtHouseholdOut)
def get_household(household_id):
    return _dumped(s.SlrtHouseholdOut(), _household(household_id))


@blp.post("/households")
@require(Permission.REGISTER_CASES)
@blp.arguments(s.SlrtHouseholdIn)
@blp.arguments(IdempotencyHeader, location="headers")
@blp.response(201, s.SlrtHouseholdOut)
def post_household(data, header):
    """Register a household with its members (exactly one head); a retry with the same
    Idempotency-Key registers once. A No. KK already registered, or a NIK living in another
    household, is a 409 on its field."""
    household = households.register_household(db.session, actor=current_user,
                                               idempotency_key=header["key"], **data)
    db.session.commit()
    return _dumped(s.SlrtHouseholdOut(), household, 201)


@blp.patch("/households/<int:household_id>/register-status")
@require(Permission.VIEW_CASES)
@blp.arguments(s.SlrtRegisterStatusIn)
@blp.response(200, s.SlrtHouseholdOut)
def patch_register_status(data, household_id):
    """Record a check in DTKS / DTSEN: back office or front office of the Puskesos."""
    household = households.update_register_status(db.session, actor=current_user,
                                                  household_id=household_id, **data)
    db.session.commit()
    return _dumped(s.SlrtHouseholdOut(), household)


@blp.post("/households/<int:household_id>/members")
@require(Permission.REGISTER_CASES)
@blp.arguments(s.SlrtAddMemberIn)
@blp.response(201, s.SlrtMemberOut)
def post_member(data, household_id):
    """Someone joins the household; a NIK living in another household is a 409 (move them)."""
    membership = households.add_member(db.session, actor=current_user,
                                       household_id=household_id, **data)
    db.session.commit()
    return _dumped(s.SlrtMemberOut(), membership, 201)


@blp.post("/households/<int:household_id>/members/<int:person_id>/move")
@require(Permission.REGISTER_CASES)
@blp.arguments(s.SlrtMoveIn)
@blp.response(201, s.SlrtMemberOut)
def post_move(data, household_id, person_id):
    """The member moves to another registered household (the caller must work for both
    Puskesos); a head moving out names the new head."""
    membership = households.move_member(db.session, actor=current_user,
                                        household_id=household_id, person_id=person_id,
                                        **data)
    db.session.commit()
    return _dumped(s.SlrtMemberOut(), membership, 201)
