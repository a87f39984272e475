"""Balance lookup and stock card first page at 10k and 1M ledger lines."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, text

from app.extensions import db
from bench.common import timings_ms
from logistics.calendar import local_today
from logistics.db import utcnow
from logistics.stock import queries
from logistics.stock.documents import Document
from logistics.stock.ledger_tables import Movement, StockBalance, StockTotal
from logistics.stock.models import Lot
from logistics.stock.verify import balance_mismatches

BATCH = 20_000


def fill_ledger(world, movements: int) -> None:
    """Write ``movements`` consistent lines spread over every (warehouse, item) pair.

    Bulk inserts, not the operation: a million postings through the verbs would take an hour
    and measure posting, not reading. Balances and running balances are computed here exactly
    as the ledger would leave them; `balance_mismatches` checks that on the small ledger.
    """
    pairs = [(w, i) for w in world.warehouse_ids for i in world.item_ids]
    per_pair = movements // len(pairs)
    with world.app.app_context():
        session = db.session
        lots = {}
        for item in world.item_ids:
            lot = Lot(item_id=item, batch_no=f"BULK-{item}", source="kemensos",
                      received_on=local_today(), expires_on=local_today() + timedelta(days=999))
            session.add(lot)
            session.flush()
            lots[item] = lot.id
        balances = {}
        rows = []
        for warehouse, item in pairs:
            document = Document(number=f"BULK-{warehouse}-{item}", kind="adjustment",
                                reason="found", warehouse_id=warehouse, actor_id=world.actor_id,
                                document_date=local_today(), posted_at=utcnow())
            session.add(document)
            session.flush()
            running = 0
            for n in range(per_pair):
                qty = 5 if n % 3 != 2 else -4
                running += qty
                rows.append({"document_id": document.id, "warehouse_id": warehouse,
                             "is_in_transit": False, "item_id": item, "lot_id": lots[item],
                             "qty": qty, "balance_after": running, "counted_qty": None})
                if len(rows) >= BATCH:
                    session.execute(insert(Movement), rows)
                    rows = []
            balances[(warehouse, item)] = running
        if rows:
            session.execute(insert(Movement), rows)
        session.execute(insert(StockBalance), [
            {"warehouse_id": w, "is_in_transit": False, "item_id": i, "lot_id": lots[i],
             "qty": qty} for (w, i), qty in balances.items()])
        session.execute(insert(StockTotal), [
            {"warehouse_id": w, "is_in_transit": False, "item_id": i, "qty": qty}
            for (w, i), qty in balances.items()])
        session.commit()
        session.execute(text("ANALYZE"))
        session.commit()


def measure(world, *, check: bool) -> dict:
    warehouse, item = world.warehouse_ids[-1], world.item_ids[-1]
    with world.app.app_context():
        session = db.session
        if check:
            assert balance_mismatches(session) == [], "the bulk ledger does not add up"
            session.rollback()
        lookup = timings_ms(lambda: queries.item_on_hand(session, warehouse, item), 300)
        card = timings_ms(lambda: [line.document.number for line in queries.stock_card(
            session, warehouse, item, limit=50)], 200)
        session.rollback()
    return {"lookup": lookup, "card": card}
