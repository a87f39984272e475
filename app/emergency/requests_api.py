"""Requests over the API: a posko asks, a coordinator decides, a keeper delivers.

Every create and every delivery takes an ``Idempotency-Key``: a retry returns the first answer
and never posts twice.
"""

from __future__ import annotations

from flask_login import current_user
from marshmallow import Schema

from app.api_support import ApiBlueprint
from app.extensions import db
from app.pagination import keyset_page, page_of, page_schema
from app.security import require
from logistics.accounts.roles import Permission
from logistics.calendar import local_today
from logistics.core.fields import Text
from logistics.emergency import request_queries, requests
from logistics.emergency import request_schemas as s
from logistics.emergency.lookups import event_or_fail
from logistics.emergency.request_models import PoskoDelivery

blp = ApiBlueprint("emergency_requests_api", __name__, url_prefix="/api/v1/emergency",
                   description="Requests from posko: ask, decide, deliver, and what is unmet")

RequestPage = page_schema(s.RequestOut, "RequestPage")
UnmetPage = page_schema(s.UnmetLineOut, "UnmetLinePage")


class IdempotencyHeader(Schema):
    key = Text(100, min_length=1, data_key="Idempotency-Key", load_default=None, metadata={
        "description": "a retry with the same key returns the first answer and never posts "
                       "twice"})


def _done(result):
    db.session.commit()
    return result


@blp.post("/posko/<int:posko_id>/requests")
@require(Permission.RECORD_POSKO)
@blp.arguments(s.RequestIn)
@blp.arguments(IdempotencyHeader, location="headers")
@blp.response(201, s.RequestOut)
def post_request(data, header, posko_id):
    """Ask the warehouses for goods (a draft, or submitted at once with ``submit``)."""
    return _done(requests.request_stock(db.session, actor=current_user, posko_id=posko_id,
                                        idempotency_key=header["key"], **data))


@blp.get("/requests")
@require(Permission.VIEW_EMERGENCY)
@blp.arguments(s.RequestQuery, location="query")
@blp.response(200, RequestPage)
def get_requests(args):
    """Requests newest first, by event, posko or status."""
    limit = args.pop("limit")
    rows = request_queries.list_requests(db.session, **args, limit=limit + 1)
    return keyset_page(rows, limit=limit, key=lambda request: str(request.id))


@blp.get("/requests/<int:request_id>")
@require(Permission.VIEW_EMERGENCY)
@blp.response(200, s.RequestOut)
def get_request(request_id):
    return requests.request_or_fail(db.session, request_id)


@blp.post("/requests/<int:request_id>/submit")
@require(Permission.RECORD_POSKO)
@blp.response(200, s.RequestOut)
def post_submit(request_id):
    """Send a draft to the coordinators."""
    return _done(requests.submit_request(db.session, actor=current_user,
                                         request_id=request_id))


@blp.post("/requests/<int:request_id>/approve")
@require(Permission.DECIDE_REQUESTS)
@blp.arguments(s.ApproveIn)
@blp.response(200, s.RequestOut)
def post_approve(data, request_id):
    """Approve every line, possibly less than asked (0 declines a line)."""
    return _done(requests.approve_request(db.session, actor=current_user,
                                          request_id=request_id, **data))


@blp.post("/requests/<int:request_id>/reject")
@require(Permission.DECIDE_REQUESTS)
@blp.arguments(s.ReasonIn)
@blp.response(200, s.RequestOut)
def post_reject(data, request_id):
    """Refuse a submitted request, saying why."""
    return _done(requests.reject_request(db.session, actor=current_user,
                                         request_id=request_id, **data))


@blp.post("/requests/<int:request_id>/cancel")
@require(Permission.RECORD_POSKO)
@blp.arguments(s.ReasonIn)
@blp.response(200, s.RequestOut)
def post_cancel(data, request_id):
    """Withdraw a request not yet fulfilled, saying why."""
    return _done(requests.cancel_request(db.session, actor=current_user,
                                         request_id=request_id, **data))


@blp.post("/requests/<int:request_id>/fulfilments")
@require(Permission.POST_STOCK)
@blp.arguments(s.FulfilIn)
@blp.arguments(IdempotencyHeader, location="headers")
@blp.response(201, s.FulfilmentOut)
def post_fulfilment(data, header, request_id):
    """Deliver approved goods from one warehouse: one release (BAST) to the posko."""
    document = requests.fulfil_request(db.session, actor=current_user, request_id=request_id,
                                       idempotency_key=header["key"], **data)
    db.session.commit()
    delivered = db.session.get(PoskoDelivery, document.id)
    return {"document": document,
            "request": requests.request_or_fail(db.session, delivered.request_id)}


@blp.get("/requests/<int:request_id>/proposal")
@require(Permission.VIEW_EMERGENCY)
@blp.response(200, s.ProposalOut)
def get_proposal(request_id):
    """Where to deliver from: per open line the nearest warehouses holding unexpired stock,
    and the lots a release would take (first expiry first)."""
    request = requests.request_or_fail(db.session, request_id)
    return request_queries.propose_fulfilment(db.session, request, local_today())


@blp.get("/events/<int:event_id>/unmet")
@require(Permission.VIEW_EMERGENCY)
@blp.arguments(s.UnmetQuery, location="query")
@blp.response(200, UnmetPage)
def get_unmet(args, event_id):
    """What the event's posko still wait for, needed soonest first: approved and not delivered,
    and asked but not yet decided."""
    event_or_fail(db.session, event_id)
    rows = request_queries.unmet_lines(db.session, event_id)
    return page_of(rows, limit=args["limit"], after=args.get("after"),
                   sort_key=s.unmet_sort_key, cursor=s.unmet_cursor)
