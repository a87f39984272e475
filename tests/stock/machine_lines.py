"""What the stock state machine (`test_stateful.py`) draws its documents from: the expiries,
batches, items and packs of its small world, and how it builds lines the way keepers write
them (the same item or lot on several lines, lines with and without a lot, quantities in
packs)."""

from datetime import date, timedelta

from hypothesis import strategies as st

from logistics.stock.documents import REASON_SIGN

TODAY = date(2026, 11, 24)
# Expiries a lot may have: past, the last usable day, ahead, far ahead, none.
EXPIRIES = [TODAY - timedelta(days=3), TODAY, TODAY + timedelta(days=10),
            TODAY + timedelta(days=90), None]
# Typed batch "B<e>" is usually received with EXPIRIES[e] (or, once it exists, with its own
# expiry); blank batches in three spellings.
BATCHES = [None, "", "  ", "B0", "B1", "B2", "B3", "B4"]
# Item 0 is perishable; item 1 is not and also comes in a "dus" of 5.
PERISHABLE = [True, False]
PACKS = [{}, {"dus": 5}]
BAST = {"recipient_kind": "person", "recipient_name": "P", "giver_name": "A",
        "receiver_name": "B"}
OUTGOING_REASONS = [r for r, sign in REASON_SIGN.items() if sign <= 0]
MAX_LINES = 5

warehouse_index = st.integers(0, 1)
item_index = st.integers(0, 1)
# "usual" lines follow the rules; "odd" ones may break them (another expiry, none at all).
usual = st.sampled_from([True] * 5 + [False])
receipt_lines = st.lists(
    st.tuples(item_index, st.integers(1, 40), st.sampled_from(BATCHES), st.integers(0, 4),
              usual, st.booleans()),
    min_size=1, max_size=MAX_LINES)
# How an outgoing line picks its lot: none (first expiry first out), a usable lot held here,
# any lot held here (maybe expired), any lot at all (maybe of another item, maybe not here).
LOT_CHOICES = ["fefo"] * 8 + ["usable here"] * 8 + ["held here"] * 2 + ["any lot"]
outgoing_lines = st.lists(
    st.tuples(item_index, st.integers(1, 10), st.sampled_from(LOT_CHOICES), st.integers(0, 7),
              st.booleans()),
    min_size=1, max_size=MAX_LINES)
strays = st.sampled_from([False, False, False, True])
# How much of one lot of a transfer arrived, on how many lines: all, nothing, some, all on two
# lines, less than all on two lines, one more than was sent on two lines.
ARRIVALS = ["all"] * 3 + ["none", "some", "some", "split", "split", "split short",
                          "one too many"]


class LineBuilding:
    """The machine's line builders; they read ``self.items`` and ``self.model``."""

    @staticmethod
    def choose(data, preferred: list, fallback: list):
        """One of ``preferred``, or of ``fallback`` when there is none."""
        return data.draw(st.sampled_from(preferred or fallback))

    def quantity_line(self, i, qty, packed) -> dict:
        """``qty`` of item ``i``, or about as much in whole packs when it comes in packs."""
        item = self.items[i]
        if packed and PACKS[i]:
            (pack, size), = PACKS[i].items()
            return {"item_id": item, "pack": pack, "packs": max(1, qty // size)}
        return {"item_id": item, "qty": qty}

    def receipt_line(self, earlier, i, qty, batch, e, follows_rules, packed) -> dict:
        line = {**self.quantity_line(i, qty, packed), "batch_no": batch}
        typed = (batch or "").strip()
        if not follows_rules:
            line["expires_on"] = EXPIRIES[e]
        elif typed:
            known = self.model.lot_by_batch(line["item_id"], typed)
            same = [x["expires_on"] for x in earlier
                    if x["item_id"] == line["item_id"] and (x["batch_no"] or "").strip() == typed]
            line["expires_on"] = (self.model.lots[known].expires_on if known is not None
                                  else same[0] if same else EXPIRIES[int(typed[1:])])
        else:
            line["expires_on"] = EXPIRIES[min(e, 3) if PERISHABLE[i] else e]
        return line

    def outgoing_line(self, warehouse, i, qty, how, pick, packed) -> dict:
        line = self.quantity_line(i, qty, packed)
        held = sorted(self.model.held(warehouse, line["item_id"]))
        candidates = {"fefo": [],
                      "usable here": [lot for lot in held if not self.model.expired(lot)],
                      "held here": held,
                      "any lot": sorted(self.model.lots)}[how]
        if candidates:
            line["lot_id"] = candidates[pick % len(candidates)]
        return line

    @staticmethod
    def shapes(lines: list[dict]) -> list[str]:
        """What makes a document more than one simple line, for Hypothesis' statistics."""
        items = [line["item_id"] for line in lines if "item_id" in line]
        lots = [line["lot_id"] for line in lines if line.get("lot_id") is not None]
        shapes = []
        if len(set(items)) < len(items):
            shapes.append("an item on several lines")
        if len(set(lots)) < len(lots):
            shapes.append("a lot on several lines")
        if sum(1 for line in lines if "lot_id" not in line and "batch_no" not in line) > 1:
            shapes.append("several lines without a lot")
        blank = {(line["item_id"], line["expires_on"]) for line in lines
                 if "batch_no" in line and not (line["batch_no"] or "").strip()}
        if len(blank) > len({item for item, _ in blank}):
            shapes.append("blank batches of one item with several expiries")
        return shapes
