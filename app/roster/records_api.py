"""A volunteer's records over the API, as on the profile's forms: skills and levels,
trainings with certificates, unavailable days, promotion; and the roster's overviews: the
skills catalogue, certificates expiring, the promotion pipeline. Regu and equipment writes are
in `records_teams_api`.

Creates take an Idempotency-Key (a retry records one training, one period, one promotion);
refusals are 422 or 409 on their field, with nothing written.
"""

from __future__ import annotations

from flask_login import current_user
from marshmallow import Schema

from app.api_support import ApiBlueprint
from app.extensions import db
from app.security import require
from app.stock.api import IdempotencyHeader
from logistics.accounts.roles import Permission
from logistics.core.fields import Text
from logistics.roster import availability, promotions, skills, trainings
from logistics.roster import schemas as s
from logistics.roster import volunteer_schemas as vs
from logistics.roster.lookups import volunteer_or_fail
from logistics.roster.models import Promotion

blp = ApiBlueprint("roster_records_api", __name__, url_prefix="/api/v1/roster",
                   description="Skills, trainings, unavailable days, promotions, pipeline")


class PipelineQuery(Schema):
    kecamatan_code = Text(20, metadata={"description": "one kecamatan only"})


# --- skills catalogue ----------------------------------------------------------------------

@blp.get("/skills")
@require(Permission.VIEW_ROSTER)
@blp.response(200, s.SkillOut(many=True))
def get_skills():
    """The skills catalogue in its order."""
    return skills.catalogue(db.session)


@blp.post("/skills")
@require(Permission.MANAGE_ROSTER)
@blp.arguments(s.SkillIn)
@blp.response(201, s.SkillOut)
def post_skill(data):
    """Add a skill; a retry with the same code and name returns it, another skill with that
    code or name is a 409 on its field."""
    skill = skills.add_skill(db.session, actor=current_user, **data)
    db.session.commit()
    return skill


@blp.patch("/skills/<code:skill_code>")
@require(Permission.MANAGE_ROSTER)
@blp.arguments(s.SkillRenameIn)
@blp.response(200, s.SkillOut)
def patch_skill(data, skill_code):
    """Rename a skill; its code, which volunteers and deployments point at, stays."""
    skill = skills.rename_skill(db.session, actor=current_user, code=skill_code, **data)
    db.session.commit()
    return skill


# --- a volunteer's skills ------------------------------------------------------------------

@blp.post("/volunteers/<int:volunteer_id>/skills")
@require(Permission.MANAGE_ROSTER)
@blp.arguments(vs.SkillLevelIn)
@blp.response(200, vs.VolunteerSkillOut)
def post_volunteer_skill(data, volunteer_id):
    """Give the volunteer one skill at a level, or change the level of one held; the other
    skills stay (a repeat changes nothing)."""
    line = skills.set_volunteer_skill(db.session, actor=current_user,
                                      volunteer_id=volunteer_id, **data)
    db.session.commit()
    return line


@blp.delete("/volunteers/<int:volunteer_id>/skills/<code:skill_code>")
@require(Permission.MANAGE_ROSTER)
@blp.response(204)
def delete_volunteer_skill(volunteer_id, skill_code):
    """Take one skill off the volunteer (one not held is already off)."""
    skills.remove_volunteer_skill(db.session, actor=current_user, volunteer_id=volunteer_id,
                                  skill_code=skill_code)
    db.session.commit()


# --- trainings -----------------------------------------------------------------------------

@blp.get("/volunteers/<int:volunteer_id>/trainings")
@require(Permission.VIEW_ROSTER)
@blp.response(200, s.TrainingOut(many=True))
def get_trainings(volunteer_id):
    """The volunteer's trainings, latest first."""
    person = volunteer_or_fail(db.session, volunteer_id)
    return trainings.trainings_of(db.session, person.id)


@blp.post("/volunteers/<int:volunteer_id>/trainings")
@require(Permission.MANAGE_ROSTER)
@blp.arguments(s.TrainingIn)
@blp.arguments(IdempotencyHeader, location="headers")
@blp.response(201, s.TrainingOut)
def post_training(data, header, volunteer_id):
    """Record a completed diklat with its certificate; a spesialisasi names its skill."""
    training = trainings.record_training(db.session, actor=current_user,
                                         volunteer_id=volunteer_id,
                                         idempotency_key=header["key"], **data)
    db.session.commit()
    return training


@blp.get("/certificates/expiring")
@require(Permission.VIEW_ROSTER)
@blp.arguments(s.ExpiringQuery, location="query")
@blp.response(200, s.ExpiringCertificateOut(many=True))
def get_expiring_certificates(args):
    """Active volunteers' latest certificates expiring within some days (and, when asked,
    those already expired), soonest first."""
    return trainings.expiring_certificates(db.session, **args)


# --- unavailable days ----------------------------------------------------------------------

@blp.get("/volunteers/<int:volunteer_id>/unavailable")
@require(Permission.VIEW_ROSTER)
@blp.response(200, s.UnavailabilityOut(many=True))
def get_unavailable(volunteer_id):
    """The volunteer's declared periods, earliest first."""
    person = volunteer_or_fail(db.session, volunteer_id)
    return availability.periods_of(db.session, person.id)


@blp.post("/volunteers/<int:volunteer_id>/unavailable")
@require(Permission.MANAGE_ROSTER)
@blp.arguments(s.UnavailabilityIn)
@blp.arguments(IdempotencyHeader, location="headers")
@blp.response(201, s.UnavailabilityOut)
def post_unavailable(data, header, volunteer_id):
    """Declare days the volunteer cannot be sent; overlapping a declared period is a 409."""
    period = availability.declare_unavailable(db.session, actor=current_user,
                                              volunteer_id=volunteer_id,
                                              idempotency_key=header["key"], **data)
    db.session.commit()
    return period


@blp.delete("/volunteers/<int:volunteer_id>/unavailable/<int:unavailability_id>")
@require(Permission.MANAGE_ROSTER)
@blp.response(204)
def delete_unavailable(volunteer_id, unavailability_id):
    """Take back a period not over yet; one already over stays on record (409)."""
    person = volunteer_or_fail(db.session, volunteer_id)
    availability.withdraw_unavailable(db.session, actor=current_user, volunteer_id=person.id,
                                      unavailability_id=unavailability_id)
    db.session.commit()


# --- promotions ----------------------------------------------------------------------------

@blp.get("/volunteers/<int:volunteer_id>/promotions")
@require(Permission.VIEW_ROSTER)
@blp.response(200, s.PromotionOut(many=True))
def get_promotions(volunteer_id):
    """The volunteer's promotion history."""
    person = volunteer_or_fail(db.session, volunteer_id)
    return list(person.promotions)


@blp.post("/volunteers/<int:volunteer_id>/promotions")
@require(Permission.MANAGE_ROSTER)
@blp.arguments(s.PromotionIn)
@blp.arguments(IdempotencyHeader, location="headers")
@blp.response(201, s.PromotionOut)
def post_promotion(data, header, volunteer_id) -> Promotion:
    """Make an active Sahabat Tagana a Tagana with the NIA given; an NIA already held or a
    volunteer already Tagana is a 409."""
    promotion = promotions.promote(db.session, actor=current_user, volunteer_id=volunteer_id,
                                   idempotency_key=header["key"], **data)
    db.session.commit()
    return promotion


@blp.get("/pipeline")
@require(Permission.VIEW_ROSTER)
@blp.arguments(PipelineQuery, location="query")
@blp.response(200, s.KecamatanPipelineOut(many=True))
def get_pipeline(args):
    """Active Sahabat Tagana by kecamatan, with the trainings each still lacks for promotion."""
    return promotions.pipeline(db.session, kecamatan_code=args.get("kecamatan_code"))

