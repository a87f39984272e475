"""Which kecamatan share one land mass, read from their real boundaries.

Bengkulu Utara has Enggano, an island some 150 km out at sea: no volunteer or boat based on
the mainland reaches a posko there within the hour, nor the other way round. A distance
penalty alone still offers them when nearer people run short, so dispatch suggestions keep to
the posko's own land mass. The land masses are the parts of the union of the kecamatan
boundaries; each kecamatan belongs to the part holding most of its area (a mainland
kecamatan with a few islets stays mainland). Regions change only when boundaries are loaded,
so the answer is kept per database and per set of kecamatan.
"""

from __future__ import annotations

from shapely.ops import unary_union
from sqlalchemy import func, select

from logistics.regions.models import Level, Region

GAP_DEGREES = 0.005
_cache: dict[tuple, dict[str, int]] = {}


def land_of(session) -> dict[str, int]:
    """Kecamatan code -> land mass number; kecamatan without a boundary are left out."""
    stamp = session.execute(select(func.count(Region.code), func.max(Region.imported_at))
                            .where(Region.level == Level.KECAMATAN)).one()
    key = (str(session.get_bind().url), *stamp)
    if key not in _cache:
        _cache.clear()
        shapes = {code: boundary for code, boundary in session.execute(
            select(Region.code, Region.boundary).where(
                Region.level == Level.KECAMATAN, Region.boundary.is_not(None)))}
        _cache[key] = _masses(shapes)
    return _cache[key]


def _masses(shapes: dict) -> dict[str, int]:
    if not shapes:
        return {}
    # Neighbours' boundaries do not always meet exactly: grown by about 500 m, slivers and
    # hairline gaps close, while a sea crossing stays open.
    union = unary_union([shape.buffer(GAP_DEGREES) for shape in shapes.values()])
    parts = list(getattr(union, "geoms", [union]))
    return {code: max(range(len(parts)), key=lambda i: parts[i].intersection(shape).area)
            for code, shape in shapes.items()}


def same_land(session, kecamatan_code: str | None) -> frozenset[str] | None:
    """The kecamatan on the same land mass as ``kecamatan_code``; None when it is unknown
    (no boundary), so nobody is left out on a guess."""
    lands = land_of(session)
    if kecamatan_code not in lands:
        return None
    mass = lands[kecamatan_code]
    return frozenset(code for code, other in lands.items() if other == mass)


def kecamatan_of(region_code: str | None) -> str | None:
    """The kecamatan part of a desa code (``17.03.01.2001`` -> ``17.03.01``)."""
    if not region_code:
        return None
    parts = region_code.split(".")
    return ".".join(parts[:3]) if len(parts) >= 3 else None
