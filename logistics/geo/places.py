"""Where a posko or warehouse is drawn: its own point, else its desa's centroid, else nowhere.

One rule for every layer. A posko is always opened in a desa, and the desa's centroid is a
point inside its boundary (the import takes a representative point), so a posko recorded
without coordinates still lands in the right village: its row says ``is_approximate`` so a
map may draw it differently. A warehouse without a location and without a desa is left out
of the map (a kecamatan's middle is too far from any door a truck drives to); callers count
what they left out so a page can say so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from shapely.geometry.base import BaseGeometry
from sqlalchemy import select

from logistics.regions.models import Region


class Translate(Protocol):
    def __call__(self, message: str, /) -> str: ...


def untranslated(message: str) -> str:
    """The message as written (English): what rows carry when no translator is given."""
    return str(message)


@dataclass(frozen=True)
class Place:
    lon: float
    lat: float
    is_approximate: bool


def centroids(session, codes: Iterable[str | None]) -> dict[str, BaseGeometry]:
    """The centroid of each region named, in one query; regions without one left out."""
    wanted = {code for code in codes if code}
    if not wanted:
        return {}
    return {code: centroid for code, centroid in session.execute(
        select(Region.code, Region.centroid).where(Region.code.in_(wanted),
                                                   Region.centroid.is_not(None)))}


def place_of(point: BaseGeometry | None, desa_code: str | None,
             desa_centroids: dict[str, BaseGeometry]) -> Place | None:
    """The point itself, else the desa's centroid (approximate), else None (left out)."""
    if point is not None and not point.is_empty:
        return Place(point.x, point.y, False)
    fallback = desa_centroids.get(desa_code) if desa_code else None
    if fallback is not None and not fallback.is_empty:
        return Place(fallback.x, fallback.y, True)
    return None
