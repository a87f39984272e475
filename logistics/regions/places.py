"""A desa named by code, and a point checked against its boundary: one rule for every module
that places something in a desa (a posko, a volunteer's home).

A desa without a boundary (no geometry imported yet) cannot be checked, so its point is taken
as given; a point outside a known boundary is a typo or a swapped latitude and longitude.
"""

from __future__ import annotations

from shapely.geometry import Point

from logistics.errors import InvalidInput
from logistics.i18n import N_
from logistics.regions.errors import PointOutsideDesa, RegionNotDesa
from logistics.regions.models import Level, Region

BOTH_OR_NEITHER = N_("Give both latitude and longitude, or neither.")


def desa_or_fail(session, code: str, *, field: str = "desa_code") -> Region:
    """The desa or kelurahan with this code, or `RegionNotDesa` on ``field``."""
    region = session.get(Region, code)
    if region is None or region.level != Level.DESA:
        raise RegionNotDesa(code=code, field=field)
    return region


def point_in_desa(desa: Region, longitude, latitude, *,
                  fields: tuple[str, str] = ("longitude", "latitude")) -> Point | None:
    """The point, or None when neither coordinate is given; refused on the latitude's field
    (``fields`` names the longitude's and the latitude's) when it lies outside the desa."""
    if longitude is None and latitude is None:
        return None
    if longitude is None or latitude is None:
        raise InvalidInput(BOTH_OR_NEITHER, field=fields[0] if longitude is None else fields[1])
    point = Point(float(longitude), float(latitude))
    if desa.boundary is not None and not desa.boundary.covers(point):
        raise PointOutsideDesa(desa=desa.name, field=fields[1])
    return point
