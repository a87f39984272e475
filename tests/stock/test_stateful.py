"""Random sequences of multi-line stock documents against a plain Python model of the shelves.

Every verb gets documents of one to five lines: the same item or the same lot on several
lines, lines naming a lot beside lines without one (first expiry, first out), blank and typed
batch numbers, expiries past, ending today, ahead and none, quantities in packs; receipts,
issues, transfers and their arrivals (all, or per lot in parts: the same lot on two lines,
now and then one more than was sent), shortfall settlements, adjustments (a count correction
both ways on one lot), counts (now and then naming a lot twice) and reversals. Now and then a
rule aims at something that must be refused: a received transfer, a reversed document, an
expired lot, a lot of another item, a wrong sign, a settlement in the wrong warehouse.

The model (tests/stock/model.py, whose docstring states the rules) predicts every document:
either it posts, and then exactly which balance of which lot moves by how much (the
document's own ledger lines are compared too, and the lots a receipt creates), or it is
refused, with which error and, when the error belongs to a line, on which line. After every
step the database must equal the model: balances per warehouse, lot and in transit or not,
totals and on-hand per item, the lots that exist, the documents posted, each transfer's
status and what it still has on the road; nothing may be negative and `balance_mismatches`
(`flask stock verify`) must find nothing. Each example builds its own warehouses and items
(unique codes), because the rows of earlier examples stay until the test function ends.

Runtime with 30 examples of up to 50 steps (about 1,400 documents) on the shared 2-core
machine: 27-40 s on SQLite and 55-60 s on PostgreSQL, depending on the load. A failure takes
minutes more to shrink: every example adds rows that later steps' checks read.
"""

import itertools
import uuid
from collections import defaultdict

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.extensions import db
from logistics.accounts.models import User
from logistics.accounts.queries import get_user_by_username
from logistics.errors import DomainError
from logistics.stock import operations, setup
from logistics.stock.documents import REASON_SIGN, AdjustmentReason
from logistics.stock.models import Lot
from tests.stock.machine_checks import ShelfChecks
from tests.stock.machine_lines import (
    ARRIVALS,
    BAST,
    EXPIRIES,
    OUTGOING_REASONS,
    PACKS,
    PERISHABLE,
    TODAY,
    LineBuilding,
    item_index,
    outgoing_lines,
    receipt_lines,
    strays,
    warehouse_index,
)
from tests.stock.model import Outcome, Shelves


class ShelvesMachine(LineBuilding, ShelfChecks, RuleBasedStateMachine):
    def __init__(self, engine, actor_id, kecamatan):
        super().__init__()
        self.session = Session(engine)
        self.actor = self.session.get(User, actor_id)
        self.kecamatan = kecamatan

    @initialize(opening=st.lists(st.tuples(warehouse_index, item_index, st.integers(0, 4),
                                           st.integers(10, 80)), min_size=2, max_size=8))
    def world(self, opening):
        """Fresh warehouses and items, with one receipt of opening stock per warehouse.

        Hypothesis switches rules off at random per example (swarm testing); the opening stock
        keeps issues and transfers meaningful even when receipts are off.
        """
        tag = uuid.uuid4().hex[:6]
        self.warehouses = [setup.create_warehouse(
            self.session, code=f"S{tag}{n}", name=f"W{n}", kind="central",
            region_code=self.kecamatan).id for n in range(2)]
        self.items = [setup.create_item(
            self.session, code=f"I{tag}{n}", name_id=f"I{n}", name_en=f"I{n}",
            category="pangan", base_unit="kg", is_perishable=perishable,
            packs=list(PACKS[n].items())).id
            for n, perishable in enumerate(PERISHABLE)]
        self.session.commit()
        self.model = Shelves(
            TODAY, perishable={item for item, p in zip(self.items, PERISHABLE, strict=True) if p},
            packs={item: PACKS[n] for n, item in enumerate(self.items)})
        for w, warehouse in enumerate(self.warehouses):
            lines = []
            for w_, i, e, qty in opening:
                if w_ == w:
                    e = min(e, 3) if PERISHABLE[i] else e
                    lines.append({"item_id": self.items[i], "qty": qty, "batch_no": f"B{e}",
                                  "expires_on": EXPIRIES[e]})
            if lines:
                self.post_receipt(warehouse, lines)

    # --- posting and comparing ----------------------------------------------------------

    def post(self, kind: str, call, outcome: Outcome, lines=None, **booking):
        """Run the verb; it must be refused as the model expects (nothing written), or post
        exactly the model's changes. Books what posted in the model."""
        name = f"reversal of {booking['reverses'].kind}" if "reverses" in booking else kind
        label = f"{name} ({len(lines)} lines)" if lines else name
        refusal = None
        try:
            document = call()
        except DomainError as raised:
            self.session.rollback()
            refusal = raised
        for shape in self.shapes(lines or []):
            event(f"{name}, {shape}: {'refused' if refusal else 'posted'}")
        if refusal is not None:
            assert outcome.error is not None, (
                f"{label} refused though the model lets it post: {refusal!r}")
            assert isinstance(refusal, outcome.error), (
                f"{label}: {refusal!r}, expected {outcome.error.__name__}")
            if outcome.lines is not None:
                named = (refusal.field or "").split(".")[:2]
                assert named in (["lines", str(line)] for line in outcome.lines), (
                    f"{label}: {refusal!r} names {refusal.field}, expected line "
                    f"{' or '.join(map(str, sorted(outcome.lines)))}")
            event(f"{name} refused: {type(refusal).__name__}")
            return None
        if outcome.error is not None:
            self.session.rollback()
            raise AssertionError(f"{label} posted though the model expects "
                                 f"{outcome.error.__name__}")
        lot_ids = self.created_lots(outcome)
        expected = {(*key[:3], lot_ids.get(key[3], key[3])): qty
                    for key, qty in outcome.deltas.items()}
        moved = defaultdict(int)
        for m in document.movements:
            moved[(m.warehouse_id, m.is_in_transit, m.item_id, m.lot_id)] += m.qty
        assert {key: qty for key, qty in moved.items() if qty} == expected, (
            f"{label} moved other quantities than the model")
        document_id = document.id
        self.session.commit()
        event(f"{name} posted")
        return self.model.book(document_id, kind, outcome, lot_ids=lot_ids, **booking)

    def created_lots(self, outcome: Outcome) -> dict:
        """Map the receipt's placeholder lots to the lots it created, checking each one."""
        created = list(self.session.scalars(select(Lot).where(
            Lot.item_id.in_(self.items), Lot.id.not_in(list(self.model.lots)))))
        lot_ids = {}
        for lot in created:
            placeholder = ("typed", lot.item_id, lot.batch_no)
            if placeholder not in outcome.new_lots:
                placeholder = ("blank", lot.item_id, lot.expires_on)
            assert placeholder in outcome.new_lots, (
                f"unexpected lot {lot.batch_no} of item {lot.item_id} expiring {lot.expires_on};"
                f" the model expects {sorted(outcome.new_lots, key=str)}")
            assert placeholder not in lot_ids, f"two lots for {placeholder}"
            assert lot.expires_on == outcome.new_lots[placeholder].expires_on
            lot_ids[placeholder] = lot.id
        assert set(lot_ids) == set(outcome.new_lots), (
            f"lots created {sorted(lot_ids, key=str)}, expected "
            f"{sorted(outcome.new_lots, key=str)}")
        return lot_ids

    def post_receipt(self, warehouse, lines):
        self.post("receipt", lambda: operations.receive_stock(
            self.session, actor=self.actor, warehouse_id=warehouse, lines=lines, today=TODAY,
            confirm_expiry=True),  # expired lots are states the shelves must handle
            self.model.predict_receipt(warehouse, lines), lines)

    # --- rules --------------------------------------------------------------------------

    @rule(w=warehouse_index, specs=receipt_lines)
    def receive(self, w, specs):
        lines = []
        for spec in specs:
            lines.append(self.receipt_line(lines, *spec))
        self.post_receipt(self.warehouses[w], lines)

    @rule(w=warehouse_index, specs=outgoing_lines)
    def issue(self, w, specs):
        warehouse = self.warehouses[w]
        lines = [self.outgoing_line(warehouse, *spec) for spec in specs]
        self.post("issue", lambda: operations.issue_stock(
            self.session, actor=self.actor, warehouse_id=warehouse, lines=lines, today=TODAY,
            **BAST), self.model.predict_outgoing(warehouse, lines), lines)

    @rule(w=warehouse_index, specs=outgoing_lines)
    def transfer(self, w, specs):
        self.send(w, specs)

    def send(self, w, specs):
        source, destination = self.warehouses[w], self.warehouses[1 - w]
        lines = [self.outgoing_line(source, *spec) for spec in specs]
        return self.post("transfer", lambda: operations.transfer_stock(
            self.session, actor=self.actor, warehouse_id=source, to_warehouse_id=destination,
            lines=lines, today=TODAY), self.model.predict_transfer(source, destination, lines),
            lines, route=(source, destination))

    def on_the_road(self) -> list[int]:
        return [t for t, status in self.model.status.items() if status == "in_transit"]

    @precondition(lambda self: self.on_the_road())
    @rule(data=st.data(), stray=strays)
    def receive_whole_transfer(self, data, stray):
        """All of a transfer on the road arrived, or (stray) of any transfer."""
        transfer = self.choose(data, [] if stray else self.on_the_road(),
                               sorted(self.model.routes))
        self.post("transfer_receipt", lambda: operations.receive_transfer(
            self.session, actor=self.actor, transfer_id=transfer, today=TODAY),
            self.model.predict_arrival(transfer, None), transfer=transfer)

    @precondition(lambda self: self.on_the_road())
    @rule(data=st.data(), stray=strays, parts=st.lists(st.sampled_from(ARRIVALS), min_size=1,
                                                       max_size=4))
    def receive_transfer_in_parts(self, data, stray, parts):
        transfer = self.choose(data, [] if stray else self.on_the_road(),
                               sorted(self.model.routes))
        self.arrive(data, transfer, parts)

    def arrive(self, data, transfer, parts):
        """What arrived of a transfer, per lot in ``parts`` (see ARRIVALS), the lines in any
        order, now and then with a lot it did not carry."""
        lines = []
        load = sorted(self.model.routes[transfer].load.items())
        for ((_, _, _, lot), sent), part in zip(load, itertools.cycle(parts)):
            some = data.draw(st.integers(min(1, sent), sent))
            lines += [{"lot_id": lot, "qty": qty} for qty in {
                "all": [sent], "none": [0], "some": [some], "split": [some, sent - some],
                "split short": [some // 2, (sent - some) // 2],
                "one too many": [some, sent - some + 1]}[part]]
        if data.draw(st.sampled_from([False] * 9 + [True])):
            lines.append({"lot_id": self.choose(data, [], sorted(self.model.lots)), "qty": 1})
        lines = data.draw(st.permutations(lines))
        return self.post("transfer_receipt", lambda: operations.receive_transfer(
            self.session, actor=self.actor, transfer_id=transfer, lines=lines, today=TODAY),
            self.model.predict_arrival(transfer, lines), lines, transfer=transfer)

    @precondition(lambda self: self.model.short_transfers())
    @rule(data=st.data(), stray=strays, reason=st.sampled_from(OUTGOING_REASONS),
          wrong_warehouse=st.sampled_from([False] * 9 + [True]))
    def settle_shortfall(self, data, stray, reason, wrong_warehouse):
        transfer = self.choose(data, [] if stray else self.model.short_transfers(),
                               sorted(self.model.routes))
        self.settle(data, transfer, reason, stray=stray, wrong_warehouse=wrong_warehouse)

    def settle(self, data, transfer, reason, *, stray=False, wrong_warehouse=False):
        """Write off, in one to three lines, what a received transfer left open: each line all
        of a lot's open part, half of it, one unit or a few; lines of one lot add up."""
        route, left = self.model.routes[transfer], self.model.on_the_road(transfer)
        lines = []
        for _ in range(data.draw(st.sampled_from([1, 1, 2, 2, 3]))):
            key = self.choose(data, [] if stray else sorted(left), sorted(route.load))
            share = data.draw(st.sampled_from(["all", "half", "half", "one", "a few"]))
            qty = {"all": left.get(key, 0), "half": left.get(key, 0) // 2, "one": 1,
                   "a few": data.draw(st.integers(1, 12))}[share] or 1
            lines.append({"item_id": key[2], "lot_id": key[3], "qty": -qty})
        warehouse = route.source if wrong_warehouse else route.destination
        self.post("settlement", lambda: operations.adjust_stock(
            self.session, actor=self.actor, warehouse_id=warehouse, reason=reason,
            transfer_id=transfer, lines=lines, today=TODAY),
            self.model.predict_settlement(warehouse, transfer, reason, lines), lines,
            transfer=transfer)

    @rule(data=st.data(), w=warehouse_index, specs=outgoing_lines,
          parts=st.lists(st.sampled_from(ARRIVALS), min_size=1, max_size=4),
          reason=st.sampled_from(OUTGOING_REASONS), settle=st.booleans())
    def transfer_and_its_arrival(self, data, w, specs, parts, reason, settle):
        """A transfer, then what arrived of it, then (settle) a write-off of what it left
        open, checking the shelves after each document: the other rules seldom line up into
        this chain."""
        sent = self.send(w, specs)
        if sent is None:
            return
        self.check()
        if self.arrive(data, sent.id, parts) is None or not settle:
            return
        self.check()
        if self.model.on_the_road(sent.id):
            self.settle(data, sent.id, reason)

    @precondition(lambda self: self.model.lots)
    @rule(w=warehouse_index, reason=st.sampled_from(list(AdjustmentReason)),
          outgoing=st.booleans(),
          picks=st.lists(st.tuples(st.integers(0, 15), st.integers(1, 30),
                                   st.sampled_from([False] * 5 + [True])),
                         min_size=1, max_size=4))
    def adjust(self, w, reason, outgoing, picks):
        """A correction of one to four lines with its reason's sign; a line the other way is
        refused, except in a count correction, which may go both ways (even on one lot)."""
        warehouse = self.warehouses[w]
        sign = REASON_SIGN[reason] or (-1 if outgoing else 1)
        here = sorted(key[3] for key, qty in self.model.qty.items()
                      if key[:2] == (warehouse, False) and qty)
        lots = here if sign < 0 and here else sorted(self.model.lots)
        lines = [{"item_id": self.model.lots[lots[pick % len(lots)]].item,
                  "lot_id": lots[pick % len(lots)], "qty": -sign * qty if other_way else sign * qty}
                 for pick, qty, other_way in picks]
        self.post("adjustment", lambda: operations.adjust_stock(
            self.session, actor=self.actor, warehouse_id=warehouse, reason=reason,
            lines=lines, today=TODAY),
            self.model.predict_adjustment(warehouse, reason, lines), lines)

    @precondition(lambda self: self.model.lots)
    @rule(data=st.data(), w=warehouse_index, twice=st.sampled_from([False] * 3 + [True]))
    def count(self, data, w, twice):
        """Count one to four lots, or (twice) name one of them on a second line as well."""
        warehouse = self.warehouses[w]
        lots = data.draw(st.lists(st.sampled_from(sorted(self.model.lots)), min_size=1,
                                  max_size=4, unique=True))
        lines = [{"item_id": self.model.lots[lot].item, "lot_id": lot,
                  "counted_qty": data.draw(st.integers(0, 60))} for lot in lots]
        if twice:
            again = {**data.draw(st.sampled_from(lines)),
                     "counted_qty": data.draw(st.integers(0, 60))}
            lines.insert(data.draw(st.integers(0, len(lines))), again)
        self.post("count", lambda: operations.count_stock(
            self.session, actor=self.actor, warehouse_id=warehouse, lines=lines, today=TODAY),
            self.model.predict_count(warehouse, lines), lines)

    @precondition(lambda self: self.model.posted)
    @rule(data=st.data(), stray=strays, arrival=st.sampled_from([False, False, True]))
    def reverse(self, data, stray, arrival):
        """A document that still stands (now and then an arrival or a settlement, which are
        few), or (stray) any document at all."""
        posted = self.model.posted
        standing = [d for d in posted if d.kind != "reversal" and d.id not in self.model.reversed]
        arrivals = [d for d in standing if d.kind in ("transfer_receipt", "settlement")]
        original = self.choose(data, [] if stray else arrival and arrivals or standing, posted)
        self.post("reversal", lambda: operations.reverse_document(
            self.session, actor=self.actor, document_id=original.id, notes="x", today=TODAY),
            self.model.predict_reversal(original), reverses=original)

    # --- what must always hold ----------------------------------------------------------

    def teardown(self):
        self.session.close()


def test_random_sequences_of_documents_keep_the_shelves_right(app, stock, make_user):
    stock.ensure_regions()
    with app.app_context():
        engine = db.engine
        actor_id = get_user_by_username(db.session, make_user("admin")).id
    run_state_machine_as_test(lambda: ShelvesMachine(engine, actor_id, stock.KECAMATAN),
                              settings=settings(
        max_examples=30, stateful_step_count=50, deadline=None,
        suppress_health_check=list(HealthCheck)))
