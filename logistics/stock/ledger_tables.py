"""The ledger's tables: append-only movement lines, and the balances derived from them.

Only `ledger.post_changes` writes them (`ledger_guard.py` makes the database refuse changes
to the lines themselves); `verify.py` proves the balances equal the sum of the lines.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column, relationship

from logistics.db import Base
from logistics.stock.models import Item, Lot, Warehouse

# Balances and running totals sum many lines of up to QTY_MAX each, so they may pass what a
# PostgreSQL INTEGER holds; SQLite's INTEGER is 64-bit already.
Amount = BigInteger().with_variant(Integer, "sqlite")


class Movement(Base):
    """One ledger line: a signed quantity of one lot at one place, for one document."""

    __tablename__ = "stock_movements"
    __table_args__ = (
        CheckConstraint("qty <> 0", name="qty_nonzero"),
        CheckConstraint("balance_after >= 0", name="balance_after_nonneg"),
        # The stock card: newest first per (warehouse, item), paged by id.
        Index("ix_stock_movements_card", "warehouse_id", "item_id", "is_in_transit", "id"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True
    )
    document_id: Mapped[int] = mapped_column(ForeignKey("stock_documents.id"), index=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    is_in_transit: Mapped[bool] = mapped_column(default=False)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    qty: Mapped[int]
    # The item's total at this place right after this line, in posting order.
    balance_after: Mapped[int] = mapped_column(Amount)
    counted_qty: Mapped[int | None]  # stock counts: what the shelf held

    document = relationship("Document", back_populates="movements")
    item: Mapped[Item] = relationship()
    lot: Mapped[Lot] = relationship()
    warehouse: Mapped[Warehouse] = relationship()

    def __repr__(self) -> str:
        return f"<Movement {self.qty:+d} lot {self.lot_id} @ {self.warehouse_id}>"


class StockBalance(Base):
    __tablename__ = "stock_balances"
    __table_args__ = (
        CheckConstraint("qty >= 0", name="qty_nonneg"),
        Index("ix_stock_balances_lot", "lot_id"),
    )

    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), primary_key=True)
    is_in_transit: Mapped[bool] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), primary_key=True)
    qty: Mapped[int] = mapped_column(Amount)

    lot: Mapped[Lot] = relationship()


class StockTotal(Base):
    __tablename__ = "stock_totals"
    __table_args__ = (CheckConstraint("qty >= 0", name="qty_nonneg"),)

    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), primary_key=True)
    is_in_transit: Mapped[bool] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), primary_key=True)
    qty: Mapped[int] = mapped_column(Amount)
