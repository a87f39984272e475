"""One table for every administrative level, keyed by the official Kemendagri code."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum, StrEnum

from shapely.geometry.base import BaseGeometry
from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from logistics.db import Base, Geometry, UTCDateTime, utcnow


class Level(IntEnum):
    """Depth of a code: `17` is 1, `17.03` is 2, `17.03.09` is 3, `17.03.09.2001` is 4."""

    PROVINSI = 1
    KABUPATEN = 2
    KECAMATAN = 3
    DESA = 4


class Kind(StrEnum):
    """What a unit is called; kabupaten vs kota and desa vs kelurahan share a level."""

    PROVINSI = "provinsi"
    KABUPATEN = "kabupaten"
    KOTA = "kota"
    KECAMATAN = "kecamatan"
    DESA = "desa"
    KELURAHAN = "kelurahan"


class Region(Base):
    __tablename__ = "regions"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 4", name="level_range"),
        CheckConstraint(
            "kind IN ('provinsi', 'kabupaten', 'kota', 'kecamatan', 'desa', 'kelurahan')",
            name="kind_known",
        ),
        Index("ix_regions_parent_code_name", "parent_code", "name"),
    )

    code: Mapped[str] = mapped_column(String(13), primary_key=True)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    level: Mapped[int]
    kind: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(120), index=True)
    source: Mapped[str] = mapped_column(String(60))
    centroid: Mapped[BaseGeometry | None] = mapped_column(Geometry)
    boundary: Mapped[BaseGeometry | None] = mapped_column(Geometry)
    is_synthetic: Mapped[bool] = mapped_column(default=False)
    geometry_source: Mapped[str | None] = mapped_column(String(200))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    parent: Mapped[Region | None] = relationship(remote_side=[code])

    @property
    def has_geometry(self) -> bool:
        return self.centroid is not None or self.boundary is not None

    def __repr__(self) -> str:
        return f"<Region {self.code} {self.name}>"
