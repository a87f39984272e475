"""The one place the map pages ask the database for their rows (maps/rows.py): every page
goes through these three functions, so the queries of `logistics/geo/` are called from
here only and a test can hand the pages written rows by replacing them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.extensions import db
from logistics.calendar import local_today

# TODO(issue 20, part A): call logistics.geo's queries once the geo-data branch lands.


@dataclass
class SituationRows:
    """An event's areas, posko and the warehouses that supply them."""

    areas: list = field(default_factory=list)
    posko: list = field(default_factory=list)
    warehouses: list = field(default_factory=list)


@dataclass
class WarehouseRows:
    warehouses: list = field(default_factory=list)
    transfers: list = field(default_factory=list)


@dataclass
class RosterRows:
    """Volunteers available per kecamatan (AreaRow figures) and people per posko, never homes."""

    areas: list = field(default_factory=list)
    deployments: list = field(default_factory=list)


def event_situation(event_id: int) -> SituationRows:
    session, today = db.session, local_today()
    del session, today
    return SituationRows()


def warehouse_sites() -> WarehouseRows:
    return WarehouseRows()


def roster_aggregates() -> RosterRows:
    return RosterRows()
