"""Needs over the API: an event's and a posko's needs against Sphere, and the standards."""

from __future__ import annotations

from flask_login import current_user

from app.api_support import ApiBlueprint
from app.extensions import db
from app.security import require
from logistics.accounts.roles import Permission
from logistics.calendar import local_today
from logistics.emergency import overview, standard_edits
from logistics.emergency import overview_schemas as s

blp = ApiBlueprint("emergency_overview_api", __name__, url_prefix="/api/v1/emergency",
                   description="Needs by Sphere standards: needed, delivered, available")


def _event_ref(event) -> dict:
    return {"id": event.id, "number": event.number, "name": event.name}


@blp.get("/events/<int:event_id>/needs")
@require(Permission.VIEW_EMERGENCY)
@blp.arguments(s.NeedsQuery, location="query")
@blp.response(200, s.EventNeedsOut)
def get_event_needs(args, event_id):
    """Population of the open posko (latest census each), needs for ``days`` ahead,
    delivered net of reversals, available in the warehouses, days of cover; per posko too;
    and the totals of the latest rapid assessment of each desa."""
    needs = overview.event_needs(db.session, event_id, today=local_today(), days=args["days"])
    return {"event": _event_ref(needs.event), "today": needs.today, "days": needs.days,
            "population": s.population_out(needs.population),
            "lines": [s.line_out(line) for line in needs.lines],
            "posko": [s.posko_out(posko) for posko in needs.posko],
            "affected": vars(needs.affected)}


@blp.get("/posko/<int:posko_id>/needs")
@require(Permission.VIEW_EMERGENCY)
@blp.arguments(s.NeedsQuery, location="query")
@blp.response(200, s.PoskoPageOut)
def get_posko_needs(args, posko_id):
    """One posko's latest census, capacity, needs, deliveries and days of cover."""
    today = local_today()
    posko, event = overview.posko_needs(db.session, posko_id, today=today, days=args["days"])
    return {"event": _event_ref(event), "today": today, "days": args["days"],
            "posko": s.posko_out(posko)}


@blp.get("/standards")
@require(Permission.VIEW_EMERGENCY)
@blp.response(200, s.StandardsOut)
def get_standards():
    """The standards in force (Sphere's until an admin saves the table) and their items."""
    return {"standards": standard_edits.standards_table(db.session)}


@blp.put("/standards")
@require(Permission.MANAGE_STANDARDS)
@blp.arguments(s.StandardsIn)
@blp.response(200, s.StandardsOut)
def put_standards(data):
    """Set the named standards and their supplying items; the first save writes Sphere's
    table first. One bad row refuses the whole save."""
    standard_edits.set_standards(db.session, actor=current_user, standards=data["standards"])
    db.session.commit()
    return {"standards": standard_edits.standards_table(db.session)}
