"""Load-or-fail helpers for the verbs: each names the form field that was wrong."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Row, select

from logistics.core.bulk import insert_many
from logistics.core.fields import QTY_MAX
from logistics.errors import DomainError
from logistics.stock import errors
from logistics.stock.access import ensure_may_post_in
from logistics.stock.documents import Document, DocumentKind
from logistics.stock.models import Item, Lot, Warehouse


def postable_warehouse(session, actor, warehouse_id) -> Warehouse:
    warehouse = warehouse_or_fail(session, warehouse_id, field="warehouse_id")
    ensure_may_post_in(session, actor, warehouse)
    return warehouse


def warehouse_or_fail(session, warehouse_id, *, field) -> Warehouse:
    warehouse = session.get(Warehouse, warehouse_id)
    if warehouse is None:
        raise errors.UnknownWarehouse(field=field)
    return warehouse


def transfer_or_fail(session, transfer_id) -> Document:
    transfer = session.get(Document, transfer_id)
    if transfer is None:
        raise errors.UnknownDocument(field="transfer_id")
    if transfer.kind != DocumentKind.TRANSFER:
        raise errors.NotATransfer(number=transfer.number, field="transfer_id")
    return transfer


def item_or_fail(session, item_id, index) -> Item:
    item = session.get(Item, item_id)
    if item is None:
        raise errors.UnknownItem(item=item_id, field=f"lines.{index}.item_id")
    return item


def lot_or_fail(session, lot_id, index) -> Lot:
    lot = session.get(Lot, lot_id)
    if lot is None:
        raise errors.UnknownLot(lot=lot_id, field=f"lines.{index}.lot_id")
    return lot


def lot_of_item(session, item: Item, lot_id, index) -> Lot:
    lot = lot_or_fail(session, lot_id, index)
    if lot.item_id != item.id:
        raise errors.LotOfAnotherItem(lot=lot.batch_no, lot_item=lot.item.name_id,
                                      item=item.name_id, field=f"lines.{index}.lot_id")
    return lot


def quantity_of(item: Item, line: dict, index: int) -> int:
    """Base-unit quantity of a line given either as ``qty`` or as ``packs`` of a named ``pack``."""
    if line.get("pack"):
        pack = next((p for p in item.packs if p.name == line["pack"]), None)
        if pack is None:
            raise errors.UnknownPack(item=item.name_id, pack=line["pack"],
                                     field=f"lines.{index}.pack")
        qty = line["packs"] * pack.base_qty
        if qty > QTY_MAX:  # each factor is in range; their product need not be
            raise errors.LineTooLarge(packs=line["packs"], pack=pack.name, size=pack.base_qty,
                                      qty=qty, field=f"lines.{index}.packs")
        return qty
    return line["qty"]


def receiving_lots(session, items: list[Item], lines: list[dict], *, source, donor_name,
                   received_on, number) -> list[Lot | Row]:
    """The lot of each receipt line (its id, batch_no and expires_on): the batch it names,
    found or created, else a new one.

    Lines without a batch of one item and one expiry share a lot named after the receipt
    (``number``); each further expiry gets ``number-2``, ``number-3``... skipping any batch
    already in use, so a generated lot never meets another. Lots are created in (item, batch)
    order, the order every receipt takes their locks in, before any balance is touched. A
    receipt of thousands of lines (an opening-stock sheet) reads and creates them in bulk.
    """
    batches = [(line.get("batch_no") or "").strip() for line in lines]
    taken: set | None = None  # batches a generated one must avoid, read when first needed
    suffix: dict[int, int] = {}  # item id -> the last generated batch's suffix
    generated: dict[tuple, str] = {}  # (item id, expiry) -> batch
    wanted: dict[tuple, date | None] = {}  # (item id, batch) -> expiry of a lot made for it
    keys = []
    for index, (item, line, batch_no) in enumerate(zip(items, lines, batches, strict=True)):
        expires_on = line.get("expires_on")
        if expires_on is None and item.is_perishable:
            raise errors.ExpiryRequired(item=item.name_id, field=f"lines.{index}.expires_on")
        if not batch_no:
            if (item.id, expires_on) not in generated:
                if taken is None:
                    taken = {(i.id, typed) for i, typed in zip(items, batches, strict=True)}
                    taken |= _batches_starting(session, number, {i.id for i in items})
                batch_no, suffix[item.id] = _free_batch(item.id, number, taken=taken,
                                                        after=suffix.get(item.id, 0))
                generated[(item.id, expires_on)] = batch_no
                taken.add((item.id, batch_no))
            batch_no = generated[(item.id, expires_on)]
        key = (item.id, batch_no)
        if wanted.get(key) is None:
            wanted[key] = expires_on
        keys.append(key)
    made_up = {(item_id, batch_no) for (item_id, _), batch_no in generated.items()}
    lots = _find_or_create_lots(session, wanted, made_up, source=source, donor_name=donor_name,
                                received_on=received_on)
    for index, (item, line, key) in enumerate(zip(items, lines, keys, strict=True)):
        expires_on, lot = line.get("expires_on"), lots[key]
        if expires_on is not None and lot.expires_on != expires_on:
            raise errors.LotMismatch(lot=lot.batch_no, item=item.name_id,
                                     expires_on=lot.expires_on or "-",
                                     field=f"lines.{index}.expires_on")
    return [lots[key] for key in keys]


def _batches_starting(session, number: str, item_ids: set[int]) -> set[tuple[int, str]]:
    """(item, batch) pairs in use whose batch begins with ``number``: what a generated batch
    must avoid."""
    return set(session.execute(select(Lot.item_id, Lot.batch_no).where(
        Lot.item_id.in_(item_ids), Lot.batch_no.startswith(number, autoescape=True))).all())


def _free_batch(item_id: int, number: str, *, taken: set, after: int) -> tuple[str, int]:
    """``number``, else ``number-2``, ``number-3``...: the first not in use for this item whose
    suffix comes after ``after``; returns it with its suffix."""
    count = after
    while True:
        count += 1
        batch_no = number if count == 1 else f"{number}-{count}"
        if (item_id, batch_no) not in taken:
            return batch_no, count


_LOT_COLUMNS = (Lot.id, Lot.item_id, Lot.batch_no, Lot.expires_on)


def _find_or_create_lots(session, wanted: dict, made_up: set, **fields) -> dict[tuple, Row]:
    """Create the lots that do not exist yet in (item, batch) order, then read the others.

    A few statements for any number of lines; rows carry id, item_id, batch_no, expires_on.
    A batch a concurrent receipt is creating is skipped (PostgreSQL waits for that one to
    commit) and read with the others; a generated batch that exists after all was typed by
    someone at the same moment.
    """
    keys = sorted(wanted)
    created = insert_many(session, Lot.__table__, [
        {"item_id": item_id, "batch_no": batch_no, "expires_on": wanted[(item_id, batch_no)],
         **fields} for item_id, batch_no in keys],
        lambda statement: statement.on_conflict_do_nothing(
            index_elements=["item_id", "batch_no"]).returning(*_LOT_COLUMNS))
    lots = {(lot.item_id, lot.batch_no): lot for lot in created or ()}
    clashes = [key for key in keys if key in made_up and key not in lots]
    if clashes:
        raise errors.BatchTaken(lot=clashes[0][1])
    return {**lots, **_lots_by_key(session, [key for key in keys if key not in lots])}


def _lots_by_key(session, keys: list[tuple]) -> dict[tuple, Row]:
    found = {}
    for start in range(0, len(keys), 500):  # a bounded number of bound parameters per query
        chunk = set(keys[start:start + 500])
        rows = session.execute(select(*_LOT_COLUMNS).where(
            Lot.item_id.in_({item_id for item_id, _ in chunk}),
            Lot.batch_no.in_({batch_no for _, batch_no in chunk})))
        found.update({(lot.item_id, lot.batch_no): lot for lot in rows
                      if (lot.item_id, lot.batch_no) in chunk})
    return found


EXPIRY_PLAUSIBLE_YEARS = 10


def check_expiry(expires_on: date | None, today: date, index: int) -> None:
    """An expiry already passed, or more than ten years away, is most often a typo: refused on
    its line unless the keeper confirms it (``confirm_expiry``). Checked when posting, after a
    retry has been recognised, so a retry after midnight still replays."""
    if expires_on is None:
        return
    if expires_on < today:
        raise errors.ExpiryPassed(field=f"lines.{index}.expires_on")
    if expires_on > today + timedelta(days=365 * EXPIRY_PLAUSIBLE_YEARS + 3):
        raise errors.ExpiryFar(field=f"lines.{index}.expires_on")


def line_problems(session, data: dict, *, receiving: bool = False, counting: bool = False,
                  outgoing: bool = False, today: date, known: frozenset | set = frozenset()
                  ) -> list[DomainError]:
    """Every rule a document's lines break that can be read without posting, each naming its
    line: an unknown item or lot, a lot of another item, an unknown pack, a perishable item
    received without expiry or with an implausible one, an expired lot chosen to go out, a lot
    counted twice.

    ``data`` is what the schema loaded, possibly partly (a line whose quantity failed still
    names its item); ``known`` holds the fields that already carry a message, which are left
    alone. A form calls this with the schema's errors so that one answer names every mistake;
    the operation checks the same rules again when it posts.
    """
    found: list[DomainError] = []
    counted_on: dict[int, int] = {}
    confirm_expiry = data.get("confirm_expiry", False)
    for index, line in enumerate(data.get("lines") or []):
        if not isinstance(line, dict):
            continue
        try:
            item = _line_item(session, line, index, known)
            lot = _line_lot(session, item, line, index, known)
            if item is None:
                continue
            if line.get("pack") and line.get("packs") and f"lines.{index}.packs" not in known:
                quantity_of(item, line, index)
            if (receiving and item.is_perishable and line.get("expires_on") is None
                    and f"lines.{index}.expires_on" not in known):
                raise errors.ExpiryRequired(item=item.name_id, field=f"lines.{index}.expires_on")
            if (receiving and not confirm_expiry
                    and f"lines.{index}.expires_on" not in known):
                check_expiry(line.get("expires_on"), today, index)
            if lot is not None and outgoing and lot.is_expired(today):
                raise errors.ExpiredLot(lot=lot.batch_no, item=item.name_id,
                                        expires_on=lot.expires_on,
                                        field=f"lines.{index}.lot_id")
            if lot is not None and counting:
                if lot.id in counted_on:
                    raise errors.LotCountedTwice(lot=lot.batch_no, line=counted_on[lot.id] + 1,
                                                 field=f"lines.{index}.lot_id")
                counted_on[lot.id] = index
        except DomainError as problem:
            found.append(problem)
    return found


def _line_item(session, line, index, known) -> Item | None:
    if line.get("item_id") is None or f"lines.{index}.item_id" in known:
        return None
    return item_or_fail(session, line["item_id"], index)


def _line_lot(session, item, line, index, known) -> Lot | None:
    if line.get("lot_id") is None or f"lines.{index}.lot_id" in known:
        return None
    return lot_or_fail(session, line["lot_id"], index) if item is None else \
        lot_of_item(session, item, line["lot_id"], index)
