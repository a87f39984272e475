"""Events, their emergency status decrees, posko and evacuee censuses over the API."""

from __future__ import annotations

from flask_login import current_user
from flask_smorest import abort
from sqlalchemy import select

from app.api_support import ApiBlueprint
from app.extensions import db
from app.i18n import translate_error
from app.pagination import keyset_page, page_schema
from app.security import require
from app.stock.api import IdempotencyHeader
from logistics.accounts.roles import Permission
from logistics.emergency import census, events
from logistics.emergency import event_schemas as s
from logistics.emergency.lookups import event_or_fail, posko_or_fail
from logistics.emergency.models import Event, Posko

blp = ApiBlueprint("emergency_events_api", __name__, url_prefix="/api/v1/emergency",
                   description="Disaster events, emergency status decrees, posko and censuses")

EventPage = page_schema(s.EventOut, "EventPage")
PoskoPage = page_schema(s.PoskoOut, "PoskoPage")
CensusPage = page_schema(s.CensusOut, "CensusPage")


def _with_capacity(posko_list):
    """Each posko with the persons its covered area shelters at the standard in force."""
    standard = census.covered_space(db.session)
    for posko in posko_list:
        posko.capacity = census.capacity_of(posko.covered_m2, standard)
    return posko_list


# --- events --------------------------------------------------------------------------------

@blp.get("/events")
@require(Permission.VIEW_EMERGENCY)
@blp.arguments(s.EventQuery, location="query")
@blp.response(200, EventPage)
def get_events(args):
    """Events, newest first."""
    query = select(Event).order_by(Event.id.desc()).limit(args["limit"] + 1)
    if args.get("after") is not None:
        query = query.where(Event.id < args["after"])
    rows = list(db.session.scalars(query))
    return keyset_page(rows, limit=args["limit"], key=lambda event: str(event.id))


@blp.post("/events")
@require(Permission.MANAGE_EVENTS)
@blp.arguments(s.EventIn)
@blp.arguments(IdempotencyHeader, location="headers")
@blp.response(201, s.EventOut)
def post_event(data, header):
    """Open an event over the kecamatan and desa affected."""
    event = events.open_new_event(db.session, actor=current_user, idempotency_key=header["key"],
                                  **data)
    db.session.commit()
    return event


@blp.get("/events/<int:event_id>")
@require(Permission.VIEW_EMERGENCY)
@blp.response(200, s.EventOut)
def get_event(event_id):
    return event_or_fail(db.session, event_id)


@blp.patch("/events/<int:event_id>")
@require(Permission.MANAGE_EVENTS)
@blp.arguments(s.EventChangeIn, required=False)  # no body: nothing changes
@blp.response(200, s.EventOut)
def patch_event(data, event_id):
    """Rename, widen or narrow the area, or end the event."""
    event = events.change_event(db.session, actor=current_user, event_id=event_id, **data)
    db.session.commit()
    return event


@blp.post("/events/<int:event_id>/statuses")
@require(Permission.MANAGE_EVENTS)
@blp.arguments(s.StatusIn)
@blp.arguments(IdempotencyHeader, location="headers")
@blp.response(201, s.StatusOut)
def post_status(data, header, event_id):
    """Record an SK Bupati setting the emergency phase; the status before it ends the day
    before, and one that already covers the day is a 409 naming its decree."""
    status = events.record_status(db.session, actor=current_user, event_id=event_id,
                                  idempotency_key=header["key"], **data)
    db.session.commit()
    return status


# --- posko ---------------------------------------------------------------------------------

@blp.get("/events/<int:event_id>/posko")
@require(Permission.VIEW_EMERGENCY)
@blp.arguments(s.PoskoQuery, location="query")
@blp.response(200, PoskoPage)
def get_event_posko(args, event_id):
    """The event's posko by id, with their capacity."""
    event_or_fail(db.session, event_id)
    query = (select(Posko).where(Posko.event_id == event_id).order_by(Posko.id)
             .limit(args["limit"] + 1))
    if args.get("after") is not None:
        query = query.where(Posko.id > args["after"])
    rows = _with_capacity(list(db.session.scalars(query)))
    return keyset_page(rows, limit=args["limit"], key=lambda posko: str(posko.id))


@blp.post("/events/<int:event_id>/posko")
@require(Permission.MANAGE_EVENTS)
@blp.arguments(s.PoskoIn)
@blp.arguments(IdempotencyHeader, location="headers")
@blp.response(201, s.PoskoOut)
def post_posko(data, header, event_id):
    """Open a posko at a point inside its desa, in the event's area."""
    posko = events.open_posko(db.session, actor=current_user, event_id=event_id,
                              idempotency_key=header["key"], **data)
    db.session.commit()
    return _with_capacity([posko])[0]


@blp.get("/posko/<int:posko_id>")
@require(Permission.VIEW_EMERGENCY)
@blp.response(200, s.PoskoOut)
def get_posko(posko_id):
    return _with_capacity([posko_or_fail(db.session, posko_id)])[0]


@blp.patch("/posko/<int:posko_id>")
@require(Permission.MANAGE_EVENTS)
@blp.arguments(s.PoskoChangeIn, required=False)  # no body: nothing changes
@blp.response(200, s.PoskoOut)
def patch_posko(data, posko_id):
    """Move, resize, re-contact or close (closed_on) a posko."""
    posko = events.change_posko(db.session, actor=current_user, posko_id=posko_id, **data)
    db.session.commit()
    return _with_capacity([posko])[0]


# --- censuses ------------------------------------------------------------------------------

@blp.get("/posko/<int:posko_id>/censuses")
@require(Permission.VIEW_EMERGENCY)
@blp.arguments(s.CensusQuery, location="query")
@blp.response(200, CensusPage)
def get_censuses(args, posko_id):
    """The posko's census history, latest count first."""
    posko_or_fail(db.session, posko_id)
    rows = census.census_history(db.session, posko_id, after=args.get("after"),
                                 limit=args["limit"] + 1)
    return keyset_page(rows, limit=args["limit"], key=lambda row: str(row.id))


@blp.post("/posko/<int:posko_id>/censuses")
@require(Permission.RECORD_POSKO)
@blp.arguments(s.CensusIn)
@blp.arguments(IdempotencyHeader, location="headers")
@blp.response(201, s.CensusOut)
def post_census(data, header, posko_id):
    """Add a census (posko staff: at their posko). Figures that do not add up are refused
    together, each on its field."""
    try:
        row = census.record_census(db.session, actor=current_user, posko_id=posko_id,
                                   idempotency_key=header["key"], **data)
    except census.CensusRefused as refused:
        db.session.rollback()
        abort(422, messages={problem.field: [translate_error(problem)]
                             for problem in refused.problems})
    db.session.commit()
    return row
