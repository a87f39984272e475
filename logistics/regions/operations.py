"""Load regions and attach their geometry. Operations flush; the caller commits."""

from __future__ import annotations

from dataclasses import dataclass, field

from shapely import get_parts, make_valid, union_all
from shapely.errors import ShapelyError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity
from sqlalchemy import select
from sqlalchemy.orm import Session

from logistics.db import utcnow
from logistics.regions import source
from logistics.regions.errors import GeoJSONRejected, UnknownRegionCode
from logistics.regions.models import Region


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    counts_by_kind: dict[str, int] = field(default_factory=dict)


def import_regions(session: Session, *, code: str) -> ImportResult:
    """Load a unit and everything under it from the official data; re-running changes nothing."""
    normalized = source.normalize_code(code)
    records = source.subtree(normalized)
    if records is None:
        raise UnknownRegionCode(code=code)
    label = source.source_label()
    existing = {
        region.code: region
        for region in session.scalars(
            select(Region).where(Region.code.in_([r.code for r in records]))
        )
    }
    result = ImportResult()
    for record in records:
        result.counts_by_kind[record.kind] = result.counts_by_kind.get(record.kind, 0) + 1
        region = existing.get(record.code)
        if region is None:
            session.add(Region(
                code=record.code, parent_code=record.parent_code, level=record.level,
                kind=record.kind, name=record.name, source=label,
            ))
            result.created += 1
        elif (region.name, region.kind, region.parent_code) != (
            record.name, record.kind, record.parent_code
        ):
            region.name, region.kind, region.parent_code = (
                record.name, record.kind, record.parent_code
            )
            region.source, region.imported_at = label, utcnow()
            result.updated += 1
        else:
            result.unchanged += 1
        # Parents must exist before children reference them on PostgreSQL.
        if record.level < 4:
            session.flush()
    session.flush()
    return result


def set_geometry(
    session: Session,
    *,
    code: str,
    centroid: BaseGeometry | None,
    boundary: BaseGeometry | None,
    is_synthetic: bool,
    geometry_source: str,
) -> Region:
    """Attach a point and/or polygon to a region, recording where it came from."""
    region = session.get(Region, code)
    if region is None:
        raise UnknownRegionCode(code=code)
    if centroid is None and boundary is not None:
        centroid = boundary.representative_point()
    region.centroid, region.boundary = centroid, boundary
    region.is_synthetic, region.geometry_source = is_synthetic, geometry_source
    session.flush()
    return region


@dataclass
class GeoJSONImport:
    """What a boundary file did: codes attached, codes skipped, and codes whose geometry was
    invalid and repaired, each with the reason GEOS gave."""

    attached: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    repaired: dict[str, str] = field(default_factory=dict)


def import_geojson(
    session: Session,
    *,
    collection: dict,
    code_property: str,
    geometry_source: str,
    skip_unknown: bool = False,
) -> GeoJSONImport:
    """Attach real boundaries from a FeatureCollection, all or nothing.

    An invalid polygon (a self-intersecting ring, as simplified real data has) is repaired with
    shapely ``make_valid`` and reported. Any feature without a code, with unreadable or
    unrepairable geometry, or (unless ``skip_unknown``) with a code we do not hold rejects the
    file.
    """
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection" \
            or not isinstance(features, list):
        raise GeoJSONRejected(reason="not a GeoJSON FeatureCollection")
    parsed: dict[str, BaseGeometry] = {}
    repaired: dict[str, str] = {}
    problems: list[str] = []
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        raw = properties.get(code_property) if isinstance(properties, dict) else None
        if raw in (None, ""):
            problems.append(f"feature {number}: no property {code_property!r}")
            continue
        code = source.normalize_code(str(raw))
        if not code:
            problems.append(f"feature {number}: {raw!r} is not a Kemendagri code")
            continue
        try:
            geometry, repair = geometry_from_geojson(feature.get("geometry"))
        except ValueError as exc:
            problems.append(f"feature {number} ({code}): {exc}")
            continue
        parsed[code] = geometry
        if repair is not None:
            repaired[code] = repair
    if not parsed and not problems:
        problems.append("no features")
    known = set(session.scalars(select(Region.code).where(Region.code.in_(list(parsed)))))
    unknown = sorted(set(parsed) - known)
    if unknown and not skip_unknown:
        problems.append("unknown codes: " + ", ".join(unknown[:20]))
    if problems:
        raise GeoJSONRejected(reason="; ".join(problems))
    result = GeoJSONImport(skipped=unknown)
    for code in sorted(known):
        set_geometry(
            session, code=code, centroid=None, boundary=parsed[code],
            is_synthetic=False, geometry_source=geometry_source,
        )
        result.attached.append(code)
        if code in repaired:
            result.repaired[code] = repaired[code]
    return result


def geometry_from_geojson(raw) -> tuple[BaseGeometry, str | None]:
    """Read one GeoJSON geometry; repair an invalid one, returning why it needed repair.

    Raises ValueError with a short reason when the geometry is unreadable, empty, or leaves no
    area once repaired.
    """
    try:
        geometry = shape(raw)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, ShapelyError) as exc:
        raise ValueError(f"unreadable geometry ({exc})") from None
    try:
        if geometry.is_empty:
            raise ValueError("empty geometry")
        if geometry.is_valid:
            return geometry, None
        reason = explain_validity(geometry)
        polygonal = _polygonal_part(make_valid(geometry))
    except ShapelyError as exc:
        raise ValueError(f"unreadable geometry ({exc})") from None
    if polygonal is None:
        raise ValueError(f"invalid geometry that cannot be repaired ({reason})")
    return polygonal, reason


def _polygonal_part(geometry: BaseGeometry) -> BaseGeometry | None:
    """Keep the polygons of a repaired geometry, dropping stray lines and points."""
    polygons = [
        part for part in get_parts(geometry)
        if part.geom_type in ("Polygon", "MultiPolygon") and not part.is_empty
    ]
    if not polygons:
        return None
    merged = union_all(polygons)
    if merged.geom_type not in ("Polygon", "MultiPolygon") or merged.is_empty \
            or not merged.is_valid:
        return None
    return merged
