"""The join no other system makes: the emergency pages and API hand each household assessment
they record here, in their own transaction, and those that meet an intake condition enter the
desa's Puskesos queue. Emergency code never imports the SLRT domain; this web-layer call is
the one place the two meet."""

from __future__ import annotations

from collections.abc import Iterable

from flask_login import current_user
from sqlalchemy import select

from app.extensions import db
from logistics.emergency.assessment_models import HouseholdAssessment
from logistics.referrals import intake


def feed_pipeline(assessments: Iterable[HouseholdAssessment]) -> intake.Intake:
    """Run the intake for what the current user just recorded; the caller commits."""
    return intake.take_assessments(db.session, actor=current_user, assessments=assessments)


def feed_pipeline_by_id(assessment_ids: list[int]) -> intake.Intake:
    rows = db.session.scalars(select(HouseholdAssessment)
                              .where(HouseholdAssessment.id.in_(assessment_ids))
                              .order_by(HouseholdAssessment.id)) if assessment_ids else []
    return feed_pipeline(list(rows))
