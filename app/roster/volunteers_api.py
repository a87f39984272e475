"""Volunteers and equipment over the API: the roster filtered and paged, one volunteer,
registration (idempotent) and corrections. NIK and birth date are dumped as the caller may see
them; the home point only for those who manage the roster (`volunteer_out_for`)."""

from __future__ import annotations

from flask_login import current_user

from app.api_support import ApiBlueprint
from app.extensions import db
from app.pagination import keyset_page, page_of, page_schema
from app.roster import support
from app.security import require
from app.stock.api import IdempotencyHeader
from logistics.accounts.roles import Permission
from logistics.roster import equipment, volunteers
from logistics.roster import schemas as s
from logistics.roster import volunteer_schemas as vs
from logistics.roster.lookups import volunteer_or_fail

blp = ApiBlueprint("roster_api", __name__, url_prefix="/api/v1/roster",
                   description="Tagana and Sahabat Tagana, their equipment")

VolunteerPage = page_schema(vs.VolunteerWithHomeOut, "VolunteerPage")
VolunteerPageMasked = page_schema(vs.VolunteerOut, "VolunteerPageMasked")
EquipmentPage = page_schema(s.EquipmentOut, "EquipmentPage")


@blp.get("/volunteers")
@require(Permission.VIEW_ROSTER)
@blp.arguments(vs.VolunteerQuery, location="query")
@blp.response(200, VolunteerPage)
def get_volunteers(args):
    """The roster by id, filtered by kind, status, kecamatan, skill, who is available now and
    whose certificate expires within some days."""
    limit = args.pop("limit")
    rows = support.roster_rows(limit=limit, **args)
    page = keyset_page(rows, limit=limit, key=lambda volunteer: str(volunteer.id))
    schema = (VolunteerPage if current_user.can(Permission.MANAGE_ROSTER)
              else VolunteerPageMasked)
    return support.dumped(schema(), page)


@blp.get("/volunteers/<int:volunteer_id>")
@require(Permission.VIEW_ROSTER)
@blp.response(200, vs.VolunteerWithHomeOut)
def get_volunteer(volunteer_id):
    return support.dumped(support.volunteer_schema(),
                          volunteer_or_fail(db.session, volunteer_id))


@blp.post("/volunteers")
@require(Permission.MANAGE_ROSTER)
@blp.arguments(vs.VolunteerIn)
@blp.arguments(IdempotencyHeader, location="headers")
@blp.response(201, vs.VolunteerWithHomeOut)
def post_volunteer(data, header):
    """Register a Tagana or Sahabat Tagana; a retry with the same Idempotency-Key registers
    once, a duplicate NIK or NIA is a 409 on its field."""
    volunteer = volunteers.register_volunteer(db.session, actor=current_user,
                                              idempotency_key=header["key"], **data)
    db.session.commit()
    return support.dumped(support.volunteer_schema(), volunteer, 201)


@blp.patch("/volunteers/<int:volunteer_id>")
@require(Permission.MANAGE_ROSTER)
@blp.arguments(vs.VolunteerChangeIn, required=False)  # no body: nothing changes
@blp.response(200, vs.VolunteerWithHomeOut)
def patch_volunteer(data, volunteer_id):
    """Correct what was recorded; only what is sent changes (the kind only by promotion)."""
    volunteer = volunteers.change_volunteer(db.session, actor=current_user,
                                            volunteer_id=volunteer_id, **(data or {}))
    db.session.commit()
    return support.dumped(support.volunteer_schema(), volunteer)


@blp.get("/equipment")
@require(Permission.VIEW_ROSTER)
@blp.arguments(s.EquipmentQuery, location="query")
@blp.response(200, EquipmentPage)
def get_equipment(args):
    """The equipment register by id; retired items only when asked for by status."""
    rows = equipment.equipment_list(db.session, kind=args.get("kind"),
                                    with_status=args.get("status"),
                                    kecamatan_code=args.get("kecamatan_code"))
    return page_of(rows, limit=args["limit"], after=args.get("after"),
                   sort_key=lambda item: item.id)
