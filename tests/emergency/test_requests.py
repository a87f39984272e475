"""A posko's request from asking to delivery: the rules posko staff, coordinators and keepers
rely on, with inputs as people make them (two lines of one item, retries, refused moves)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import gettext
from shapely.geometry import Point
from sqlalchemy import select

from app.extensions import db
from app.i18n import translate_error
from logistics.calendar import local_today
from logistics.emergency import errors, request_queries, requests
from logistics.emergency.request_models import (
    REQUEST_FLOW,
    Fulfilment,
    PoskoDelivery,
    StockRequest,
)
from logistics.errors import InvalidTransition, PermissionDenied
from logistics.stock.documents import Document
from logistics.stock.errors import NotYourWarehouse, UnknownItem
from logistics.stock.models import Item, Warehouse
from tests.emergency.request_factories import (  # noqa: F401  (the fixture)
    COORDINATOR,
    KEEPER,
    STAFF,
    requests_world_fixture,
)


def test_a_request_is_met_over_two_deliveries_and_each_release_names_the_posko(
        app, requests_world):
    w = requests_world
    request_id = w.ask([{"item_id": w.ids["rice"], "qty": 50},
                        {"item_id": w.ids["soap"], "qty": 20}])
    assert w.state(request_id) == ("submitted", [(50, None, 0), (20, None, 0)])
    assert w.approve(request_id, 40, 20)[1] == "approved"
    w.fulfil(request_id, 30, 20)
    assert w.state(request_id) == ("partly_fulfilled", [(50, 40, 30), (20, 20, 20)])
    w.fulfil(request_id, 10, 0)
    assert w.state(request_id) == ("fulfilled", [(50, 40, 40), (20, 20, 20)])
    assert w.stock.on_hand(w.ids["warehouse"], w.ids["rice"]) == 60
    assert w.stock.on_hand(w.ids["warehouse"], w.ids["soap"]) == 20
    assert w.stock.mismatches() == []
    with app.app_context():
        request = db.session.get(StockRequest, request_id)
        documents = db.session.scalars(select(Document).where(
            Document.request_ref == request.number).order_by(Document.id)).all()
        assert len(documents) == 2
        assert all(request.posko.name in d.recipient_name for d in documents)
        assert all(d.authority_ref.startswith("SK Bupati") for d in documents)  # SK in force
        deliveries = db.session.scalars(select(PoskoDelivery)).all()
        assert {(d.document_id, d.request_id) for d in deliveries} == {
            (d.id, request_id) for d in documents}
        assert sorted(f.qty for f in db.session.scalars(select(Fulfilment))) == [10, 20, 30]


def test_the_number_names_the_posko_and_the_year(app, requests_world):
    w = requests_world
    first, second = w.ask(), w.ask(submit=False)
    with app.app_context():
        code = db.session.get(StockRequest, first).posko.code
        numbers = [db.session.get(StockRequest, rid).number for rid in (first, second)]
        assert db.session.get(StockRequest, second).status == "draft"
    year = local_today().year
    assert numbers == [f"PMT-{code}-{year}-00001", f"PMT-{code}-{year}-00002"]


def test_a_draft_is_submitted_once_and_a_second_submit_is_409_naming_both_statuses(
        app, requests_world):
    w = requests_world
    request_id = w.ask(submit=False)
    assert w.run(requests.submit_request, STAFF, request_id=request_id)[1] == "submitted"
    with pytest.raises(InvalidTransition) as refused:
        w.run(requests.submit_request, STAFF, request_id=request_id)
    assert refused.value.params["old_code"] == "submitted"
    assert refused.value.params["new_code"] == "submitted"


@pytest.mark.parametrize(("prepare", "move", "old", "new"), [
    ("draft", "approve", "draft", "approved"),
    ("draft", "reject", "draft", "rejected"),
    ("draft", "fulfil", "draft", "partly_fulfilled"),
    ("submitted", "fulfil", "submitted", "partly_fulfilled"),
    ("approved", "approve", "approved", "approved"),
    ("approved", "reject", "approved", "rejected"),
    ("approved", "submit", "approved", "submitted"),
    ("rejected", "approve", "rejected", "approved"),
    ("rejected", "cancel", "rejected", "cancelled"),
    ("cancelled", "submit", "cancelled", "submitted"),
    ("cancelled", "fulfil", "cancelled", "partly_fulfilled"),
    ("fulfilled", "cancel", "fulfilled", "cancelled"),
    ("fulfilled", "fulfil", "fulfilled", "partly_fulfilled"),
])
def test_every_move_the_flow_does_not_allow_is_409_naming_from_and_to(
        app, requests_world, prepare, move, old, new):
    w = requests_world
    request_id = w.ask(submit=prepare != "draft")
    if prepare in ("approved", "fulfilled"):
        w.approve(request_id, 10)
    if prepare == "fulfilled":
        w.fulfil(request_id, 10)
    if prepare == "rejected":
        w.run(requests.reject_request, COORDINATOR, request_id=request_id, reason="Cukup")
    if prepare == "cancelled":
        w.run(requests.cancel_request, STAFF, request_id=request_id, reason="Salah ketik")
    before = w.state(request_id)
    line_id = w.line_ids(request_id)[0]
    calls = {
        "approve": (requests.approve_request, COORDINATOR,
                    {"lines": [{"line_id": line_id, "approved_qty": 5}]}),
        "reject": (requests.reject_request, COORDINATOR, {"reason": "Tidak perlu"}),
        "submit": (requests.submit_request, STAFF, {}),
        "cancel": (requests.cancel_request, STAFF, {"reason": "Tidak perlu"}),
        "fulfil": (requests.fulfil_request, KEEPER,
                   {"warehouse_id": w.ids["warehouse"], "giver_name": "A", "receiver_name": "B",
                    "lines": [{"line_id": line_id, "qty": 1}]}),
    }
    operation, username, arguments = calls[move]
    with pytest.raises(InvalidTransition) as refused:
        w.run(operation, username, request_id=request_id, **arguments)
    assert (refused.value.params["old_code"], refused.value.params["new_code"]) == (old, new)
    with app.test_request_context():
        text = translate_error(refused.value)
        assert text == gettext("Cannot move from %(old)s to %(new)s.") % {
            "old": gettext(REQUEST_FLOW.label(old)), "new": gettext(REQUEST_FLOW.label(new))}
    assert w.state(request_id) == before
    assert w.releases() == (1 if prepare == "fulfilled" else 0)


def test_a_cancellation_needs_a_reason_and_keeps_it(app, requests_world):
    w = requests_world
    request_id = w.ask()
    for blank in (None, "", "   "):
        with pytest.raises(errors.ReasonRequired) as refused:
            w.run(requests.cancel_request, STAFF, request_id=request_id, reason=blank)
        assert refused.value.field == "reason"
    assert w.state(request_id)[0] == "submitted"
    w.run(requests.cancel_request, STAFF, request_id=request_id, reason="Pengungsi sudah pulang")
    with app.app_context():
        request = db.session.get(StockRequest, request_id)
        assert (request.status, request.reason) == ("cancelled", "Pengungsi sudah pulang")


def test_a_rejection_needs_a_reason_and_only_a_coordinator_decides(app, requests_world):
    w = requests_world
    request_id = w.ask()
    with pytest.raises(errors.ReasonRequired):
        w.run(requests.reject_request, COORDINATOR, request_id=request_id, reason=" ")
    for username in (STAFF, KEEPER):
        with pytest.raises(PermissionDenied):
            w.run(requests.reject_request, username, request_id=request_id, reason="x")
        with pytest.raises(PermissionDenied):
            w.approve(request_id, 10, username=username)
    w.run(requests.reject_request, COORDINATOR, request_id=request_id, reason="Stok habis")
    with app.app_context():
        request = db.session.get(StockRequest, request_id)
        assert (request.status, request.reason, request.decided_by.username) == (
            "rejected", "Stok habis", COORDINATOR)


def test_approving_more_than_asked_is_refused_on_its_line_and_changes_nothing(
        app, requests_world):
    w = requests_world
    request_id = w.ask([{"item_id": w.ids["rice"], "qty": 50},
                        {"item_id": w.ids["soap"], "qty": 20}])
    with pytest.raises(errors.ApprovedMoreThanAsked) as refused:
        w.approve(request_id, 50, 21)
    assert refused.value.field == "lines.1.approved_qty"
    assert refused.value.params == {"approved": 21, "asked": 20}
    assert w.state(request_id) == ("submitted", [(50, None, 0), (20, None, 0)])


def test_every_line_must_be_decided_once_and_something_approved(app, requests_world):
    w = requests_world
    request_id = w.ask([{"item_id": w.ids["rice"], "qty": 50},
                        {"item_id": w.ids["soap"], "qty": 20}])
    first, second = w.line_ids(request_id)
    decide = lambda lines: w.run(requests.approve_request, COORDINATOR,  # noqa: E731
                                 request_id=request_id, lines=lines)
    with pytest.raises(requests.LineNotDecided) as refused:
        decide([{"line_id": first, "approved_qty": 50}])
    assert refused.value.field == "lines"
    with pytest.raises(requests.LineNamedTwice) as refused:
        decide([{"line_id": first, "approved_qty": 5}, {"line_id": first, "approved_qty": 5}])
    assert refused.value.field == "lines.1.line_id"
    other = w.ask()
    with pytest.raises(errors.UnknownLine) as refused:
        decide([{"line_id": first, "approved_qty": 5},
                {"line_id": w.line_ids(other)[0], "approved_qty": 5}])
    assert refused.value.field == "lines.1.line_id"
    with pytest.raises(requests.NothingApproved):
        decide([{"line_id": first, "approved_qty": 0}, {"line_id": second, "approved_qty": 0}])
    assert w.state(request_id)[0] == "submitted"
    decide([{"line_id": second, "approved_qty": 0}, {"line_id": first, "approved_qty": 50}])
    assert w.state(request_id) == ("approved", [(50, 50, 0), (20, 0, 0)])
    w.fulfil(request_id, 50, 0)
    assert w.state(request_id)[0] == "fulfilled"  # a declined line waits for nothing


def test_fulfilling_more_than_approved_is_refused_and_posts_nothing(app, requests_world):
    w = requests_world
    request_id = w.ask()
    w.approve(request_id, 30)
    with pytest.raises(errors.FulfilledMoreThanApproved) as refused:
        w.fulfil(request_id, 31)
    assert refused.value.field == "lines.0.qty"
    assert refused.value.params == {"qty": 31, "open": 30, "approved": 30}
    w.fulfil(request_id, 20)
    with pytest.raises(errors.FulfilledMoreThanApproved) as refused:
        w.fulfil(request_id, 11)
    assert refused.value.params["open"] == 10
    assert w.state(request_id) == ("partly_fulfilled", [(50, 30, 20)])
    assert w.releases() == 1
    assert w.stock.on_hand(w.ids["warehouse"], w.ids["rice"]) == 80


def test_a_line_named_twice_in_one_delivery_adds_up(app, requests_world):
    w = requests_world
    request_id = w.ask()
    w.approve(request_id, 30)
    line_id = w.line_ids(request_id)[0]

    def deliver(*quantities):
        return w.run(requests.fulfil_request, KEEPER, request_id=request_id,
                     warehouse_id=w.ids["warehouse"], giver_name="A", receiver_name="B",
                     lines=[{"line_id": line_id, "qty": qty} for qty in quantities])

    with pytest.raises(errors.FulfilledMoreThanApproved) as refused:
        deliver(20, 11)
    assert refused.value.field == "lines.1.qty"
    deliver(20, 10)
    assert w.state(request_id) == ("fulfilled", [(50, 30, 30)])
    assert w.stock.on_hand(w.ids["warehouse"], w.ids["rice"]) == 70


def test_an_unknown_or_retired_item_is_refused_on_its_line(app, requests_world):
    w = requests_world
    with pytest.raises(UnknownItem) as refused:
        w.ask([{"item_id": w.ids["rice"], "qty": 5}, {"item_id": 999_999, "qty": 5}])
    assert refused.value.field == "lines.1.item_id"
    with app.app_context():
        db.session.get(Item, w.ids["soap"]).is_active = False
        db.session.commit()
    with pytest.raises(requests.ItemNotRequestable) as refused:
        w.ask([{"item_id": w.ids["soap"], "qty": 5}])
    assert refused.value.field == "lines.0.item_id"
    with app.app_context():
        assert db.session.scalar(select(StockRequest.id)) is None


def test_the_same_item_on_two_lines_is_two_needs_met_by_one_release(app, requests_world):
    w = requests_world
    soon, later = local_today() + timedelta(days=1), local_today() + timedelta(days=5)
    request_id = w.ask([{"item_id": w.ids["rice"], "qty": 30, "needed_by": soon},
                        {"item_id": w.ids["rice"], "qty": 40, "needed_by": later}])
    with app.app_context():
        assert db.session.get(StockRequest, request_id).needed_by == soon
    w.approve(request_id, 30, 25)
    with app.app_context():
        request = db.session.get(StockRequest, request_id)
        proposal = request_queries.propose_fulfilment(db.session, request, local_today())
        offered = [sum(qty for _, qty in line.sources[0].lots) for line in proposal.lines]
    assert offered == [30, 25]
    w.fulfil(request_id, 30, 25)
    assert w.state(request_id) == ("fulfilled", [(30, 30, 30), (40, 25, 25)])
    assert w.releases() == 1
    assert w.stock.on_hand(w.ids["warehouse"], w.ids["rice"]) == 45


def test_a_retried_request_and_a_retried_delivery_post_once(app, requests_world):
    w = requests_world
    first = w.ask(idempotency_key="hp-1")
    assert w.ask(idempotency_key="hp-1") == first
    w.approve(first, 40)
    one = w.fulfil(first, 15, idempotency_key="bast-1")
    assert w.fulfil(first, 15, idempotency_key="bast-1") == one
    assert w.state(first) == ("partly_fulfilled", [(50, 40, 15)])
    assert w.releases() == 1
    assert w.stock.on_hand(w.ids["warehouse"], w.ids["rice"]) == 85


def test_staff_ask_only_at_their_posko_and_keepers_deliver_only_from_theirs(
        app, requests_world, emergency, stock, make_user):
    w = requests_world
    other_posko = emergency.posko(w.ids["event"], name="Masjid")
    with pytest.raises(errors.NotYourPosko):
        w.run(requests.request_stock, STAFF, posko_id=other_posko,
              lines=[{"item_id": w.ids["rice"], "qty": 5}])
    request_id = w.ask()
    w.approve(request_id, 10)
    make_user(role="warehouse_keeper", username="penjaga-lain")
    elsewhere = stock.warehouse(keepers=["penjaga-lain"])
    with pytest.raises(NotYourWarehouse):
        w.fulfil(request_id, 5, username="penjaga-lain")
    with pytest.raises(NotYourWarehouse):
        w.fulfil(request_id, 5, warehouse=elsewhere)
    assert w.releases() == 0


def test_the_proposal_offers_the_nearest_warehouses_and_their_first_expiring_lots(
        app, requests_world):
    w = requests_world
    near, far, nowhere = (w.stock.warehouse(name=name) for name in ("Dekat", "Jauh", "Entah"))
    today = local_today()
    for warehouse in (near, far, nowhere):
        w.stock.receive(warehouse, w.ids["rice"], 20, batch_no=f"LATE-{warehouse}",
                        expires_on=today + timedelta(days=90))
    w.stock.receive(near, w.ids["rice"], 15, batch_no="SOON", expires_on=today + timedelta(days=9))
    w.stock.receive(near, w.ids["rice"], 500, batch_no="GONE", expires_on=today - timedelta(days=1))
    with app.app_context():
        db.session.get(Warehouse, near).location = Point(102.06, -3.45)  # about 1 km
        db.session.get(Warehouse, far).location = Point(102.05, -2.45)  # about 111 km
        db.session.commit()
    request_id = w.ask([{"item_id": w.ids["rice"], "qty": 30}])
    w.approve(request_id, 30)
    with app.app_context():
        request = db.session.get(StockRequest, request_id)
        proposal = request_queries.propose_fulfilment(db.session, request, today)
        sources = proposal.lines[0].sources
        assert [s.warehouse.id for s in sources] == [near, w.ids["warehouse"], far, nowhere]
        assert sources[0].km == pytest.approx(1.11, abs=0.05)
        assert sources[1].km == pytest.approx(10.0, abs=0.2)
        assert sources[2].km == pytest.approx(111.2, abs=0.5)
        assert sources[3].km is None
        assert sources[0].available == 35  # the expired lot is not offered
        assert [(lot.batch_no, qty) for lot, qty in sources[0].lots] == [
            ("SOON", 15), (f"LATE-{near}", 15)]
        assert [c.warehouse.id for c in proposal.warehouses][:2] == [near, w.ids["warehouse"]]
        assert proposal.warehouses[0].lines_covered == 1


def test_the_queue_puts_undecided_first_and_unmet_lines_count_what_is_missing(
        app, requests_world):
    w = requests_world
    today = local_today()
    approved = w.ask([{"item_id": w.ids["rice"], "qty": 50, "needed_by": today}])
    late = w.ask([{"item_id": w.ids["soap"], "qty": 5,
                   "needed_by": today + timedelta(days=3)}])
    soon = w.ask([{"item_id": w.ids["soap"], "qty": 7,
                   "needed_by": today + timedelta(days=1)}])
    done = w.ask([{"item_id": w.ids["soap"], "qty": 2}])
    w.ask(submit=False)
    w.approve(approved, 40)
    w.fulfil(approved, 15)
    w.approve(done, 2)
    w.fulfil(done, 2)
    with app.app_context():
        assert [r.id for r in request_queries.queue(db.session)] == [soon, late, approved]
        unmet = request_queries.unmet_lines(db.session, w.ids["event"])
        assert [(u.request.id, u.missing, u.undecided) for u in unmet] == [
            (approved, 25, False), (soon, 7, True), (late, 5, True)]
