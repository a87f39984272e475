"""Read regions: children, ancestors, search, keyset pages."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from logistics.regions.errors import UnknownRegionCode
from logistics.regions.models import Region


def get_region(session: Session, code: str) -> Region:
    region = session.get(Region, code)
    if region is None:
        raise UnknownRegionCode(code=code)
    return region


def ancestors(session: Session, region: Region) -> list[Region]:
    """Return the chain from the province down to (not including) the region."""
    parts = region.code.split(".")
    codes = [".".join(parts[:depth]) for depth in range(1, len(parts))]
    found = {r.code: r for r in session.scalars(select(Region).where(Region.code.in_(codes)))}
    return [found[c] for c in codes if c in found]


def list_regions(
    session: Session,
    *,
    parent_code: str | None = None,
    level: int | None = None,
    search: str | None = None,
    after: str | None = None,
    limit: int = 50,
) -> list[Region]:
    """Return up to ``limit`` regions ordered by code, starting after the ``after`` key.

    Without a parent or search, only the top-level units held are listed.
    """
    query = select(Region).order_by(Region.code).limit(limit)
    if parent_code is not None:
        query = query.where(Region.parent_code == parent_code)
    elif search is None and level is None:
        query = query.where(Region.parent_code.is_(None))
    if level is not None:
        query = query.where(Region.level == level)
    if search:
        term = search.strip().lower()
        query = query.where(or_(
            func.lower(Region.name).contains(term, autoescape=True),
            Region.code.startswith(term, autoescape=True),
        ))
    if after is not None:
        query = query.where(Region.code > after)
    return list(session.scalars(query))


def count_children_by_kind(session: Session, parent_code: str) -> dict[str, int]:
    rows = session.execute(
        select(Region.kind, func.count()).where(Region.parent_code == parent_code)
        .group_by(Region.kind)
    )
    return dict(rows.all())


def count_descendants_by_kind(session: Session, code: str) -> dict[str, int]:
    """Count every unit below ``code`` by kind (e.g. 19 kecamatan, 215 desa, 5 kelurahan)."""
    rows = session.execute(
        select(Region.kind, func.count()).where(Region.code.startswith(code + "."))
        .group_by(Region.kind)
    )
    return dict(rows.all())
