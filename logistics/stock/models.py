"""Warehouses, the item catalogue and lots: what stock is, and where it may lie."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from shapely.geometry.base import BaseGeometry
from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from logistics.db import Base, Geometry, UTCDateTime, one_of, utcnow


class WarehouseKind(StrEnum):
    CENTRAL = "central"  # the kabupaten's gudang
    LUMBUNG_SOSIAL = "lumbung_sosial"  # a kecamatan's buffer-stock site


class Category(StrEnum):
    FOOD = "pangan"
    CLOTHING = "sandang"
    SHELTER = "hunian"
    FAMILY_KIT = "kit_keluarga"
    KIDS_KIT = "kit_anak"
    KITCHEN = "dapur_umum"
    HYGIENE = "kebersihan"
    OTHER = "lainnya"


class LotSource(StrEnum):
    KEMENSOS = "kemensos"
    PROVINCE = "provinsi"
    APBD = "apbd"  # bought from the kabupaten budget
    DONOR = "donor"


warehouse_keepers = Table(
    "warehouse_keepers",
    Base.metadata,
    Column("warehouse_id", ForeignKey("warehouses.id"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True, index=True),
)


class Warehouse(Base):
    __tablename__ = "warehouses"
    __table_args__ = (CheckConstraint(one_of("kind", WarehouseKind), name="kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    desa_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    address: Mapped[str | None] = mapped_column(String(250))
    location: Mapped[BaseGeometry | None] = mapped_column(Geometry)
    capacity_note: Mapped[str | None] = mapped_column(String(250))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    keepers = relationship("User", secondary=warehouse_keepers, order_by="User.username")

    @property
    def is_lumbung_sosial(self) -> bool:
        return self.kind == WarehouseKind.LUMBUNG_SOSIAL

    def __repr__(self) -> str:
        return f"<Warehouse {self.code}>"


class Item(Base):
    __tablename__ = "items"
    __table_args__ = (
        CheckConstraint(one_of("category", Category), name="category_known"),
        CheckConstraint("shelf_life_days IS NULL OR shelf_life_days > 0", name="shelf_life_pos"),
        CheckConstraint("kcal_per_unit IS NULL OR kcal_per_unit >= 0", name="kcal_nonneg"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name_id: Mapped[str] = mapped_column(String(120), index=True)
    name_en: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(20), index=True)
    base_unit: Mapped[str] = mapped_column(String(20))
    is_perishable: Mapped[bool] = mapped_column(default=False)
    shelf_life_days: Mapped[int | None]
    kcal_per_unit: Mapped[int | None]
    is_active: Mapped[bool] = mapped_column(default=True)

    packs: Mapped[list[ItemPack]] = relationship(
        back_populates="item", order_by="ItemPack.base_qty", cascade="all, delete-orphan"
    )

    def name(self, locale: str | None = "id") -> str:
        return self.name_en if locale == "en" else self.name_id

    def __repr__(self) -> str:
        return f"<Item {self.code}>"


class ItemPack(Base):
    """A pack an item arrives in, e.g. a karung of 25 kg or a dus of 48 bungkus."""

    __tablename__ = "item_packs"
    __table_args__ = (
        UniqueConstraint("item_id", "name"),
        CheckConstraint("base_qty > 1", name="base_qty_gt_one"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    name: Mapped[str] = mapped_column(String(20))
    base_qty: Mapped[int]

    item: Mapped[Item] = relationship(back_populates="packs")


class MinimumLevel(Base):
    """The buffer a warehouse should never fall under for one item."""

    __tablename__ = "minimum_levels"
    __table_args__ = (CheckConstraint("min_qty >= 0", name="min_qty_nonneg"),)

    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), primary_key=True)
    min_qty: Mapped[int]


class Lot(Base):
    """One batch of an item; it may lie in several warehouses after transfers."""

    __tablename__ = "lots"
    __table_args__ = (
        UniqueConstraint("item_id", "batch_no"),
        CheckConstraint(one_of("source", LotSource), name="source_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    batch_no: Mapped[str] = mapped_column(String(60))
    expires_on: Mapped[date | None] = mapped_column(index=True)
    source: Mapped[str] = mapped_column(String(20))
    donor_name: Mapped[str | None] = mapped_column(String(120))
    received_on: Mapped[date]
    notes: Mapped[str | None] = mapped_column(Text)

    item: Mapped[Item] = relationship()

    def is_expired(self, today: date) -> bool:
        return self.expires_on is not None and self.expires_on < today

    def __repr__(self) -> str:
        return f"<Lot {self.batch_no} of item {self.item_id}>"
