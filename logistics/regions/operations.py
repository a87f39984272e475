"""Load regions and attach their geometry. Operations flush; the caller commits."""

from __future__ import annotations

from dataclasses import dataclass, field

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
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


def import_geojson(
    session: Session,
    *,
    collection: dict,
    code_property: str,
    geometry_source: str,
    skip_unknown: bool = False,
) -> tuple[list[str], list[str]]:
    """Attach real boundaries from a FeatureCollection, all or nothing.

    Returns (attached codes, skipped unknown codes). Any feature without a code, with an
    invalid geometry, or (unless ``skip_unknown``) with a code we do not hold rejects the file.
    """
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise GeoJSONRejected(reason="not a GeoJSON FeatureCollection")
    parsed: dict[str, BaseGeometry] = {}
    problems: list[str] = []
    for number, feature in enumerate(collection.get("features") or [], start=1):
        raw = (feature.get("properties") or {}).get(code_property)
        if raw in (None, ""):
            problems.append(f"feature {number}: no property {code_property!r}")
            continue
        code = source.normalize_code(str(raw))
        try:
            geometry = shape(feature["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            problems.append(f"feature {number} ({code}): unreadable geometry ({exc})")
            continue
        if geometry.is_empty or not geometry.is_valid:
            problems.append(f"feature {number} ({code}): empty or invalid geometry")
            continue
        parsed[code] = geometry
    if not parsed and not problems:
        problems.append("no features")
    known = set(session.scalars(select(Region.code).where(Region.code.in_(list(parsed)))))
    unknown = sorted(set(parsed) - known)
    if unknown and not skip_unknown:
        problems.append("unknown codes: " + ", ".join(unknown[:20]))
    if problems:
        raise GeoJSONRejected(reason="; ".join(problems))
    attached = []
    for code in sorted(known):
        set_geometry(
            session, code=code, centroid=None, boundary=parsed[code],
            is_synthetic=False, geometry_source=geometry_source,
        )
        attached.append(code)
    return attached, unknown
