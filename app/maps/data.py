"""The one place the map pages ask the database for their rows (maps/rows.py): every page goes
through these three functions, so the queries of `logistics/geo/` are called from here only
and a test can hand the pages written rows by replacing them.

The queries name an area's figures as the GeoJSON API publishes them; the map's popups label
a fixed set (maps/layers.py FIGURE_LABELS) and would show any other key raw. So the rows are
given those names here, and figures the popups have no label for are left out of the map:
- an event's desa: ``displaced`` is the people in its open posko (as the API has it);
  ``dead``, ``missing``, ``injured``, ``houses_moderate``, ``houses_light`` are the latest
  rapid assessment's; ``houses_heavy`` is the larger of the rapid assessment's and the count
  of households assessed as heavily damaged (each is a floor of the truth). Left out:
  reported_displaced, posko, households_assessed, houses_damaged, access_cut.
- a kecamatan on the roster map: ``volunteers_available`` and ``volunteers_deployed``
  (``active`` is left out).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import get_locale, gettext

from app.extensions import db
from logistics.calendar import local_today
from logistics.db import utcnow
from logistics.geo import roster_sites, situation, stock_sites

REPORTED = ("dead", "missing", "injured", "houses_moderate", "houses_light")
ROSTER_FIGURES = {"available": "volunteers_available", "deployed": "volunteers_deployed"}


@dataclass
class SituationRows:
    """An event's areas, posko and the warehouses that supply them; ``unplaced`` the codes of
    posko and warehouses with no point and no desa to draw them at (the page names them)."""

    areas: list = field(default_factory=list)
    posko: list = field(default_factory=list)
    warehouses: list = field(default_factory=list)
    unplaced: list = field(default_factory=list)


@dataclass
class WarehouseRows:
    """Warehouses and transfers in transit; ``unplaced`` the warehouse codes and transfer
    numbers the map cannot draw."""

    warehouses: list = field(default_factory=list)
    transfers: list = field(default_factory=list)
    unplaced: list = field(default_factory=list)


@dataclass
class RosterRows:
    """Volunteers available per kecamatan (AreaRow figures) and people per posko, never homes."""

    areas: list = field(default_factory=list)
    deployments: list = field(default_factory=list)


def _language() -> str:
    return str(get_locale() or "id")


def desa_figures(figures: dict[str, int]) -> dict[str, int]:
    """An event desa's figures under the names the map's popups label (see the docstring)."""
    shown = {"displaced": figures.get("displaced", 0)}
    shown.update({name: figures.get(f"reported_{name}", 0) for name in REPORTED})
    shown["houses_heavy"] = max(figures.get("houses_heavy", 0),
                                figures.get("reported_houses_heavy", 0))
    return shown


def kecamatan_figures(figures: dict[str, int]) -> dict[str, int]:
    return {shown: figures.get(name, 0) for name, shown in ROSTER_FIGURES.items()}


def event_situation(event_id: int) -> SituationRows:
    """The event's map rows; an unknown event is a 404 (the query raises UnknownEvent)."""
    found = situation.event_situation(db.session, event_id, today=local_today(), now=utcnow(),
                                      translate=gettext, language=_language())
    areas = [{**area, "figures": desa_figures(area["figures"])} for area in found.areas]
    return SituationRows(areas=areas, posko=found.posko, warehouses=found.warehouses,
                         unplaced=found.unplaced)


def warehouse_sites() -> WarehouseRows:
    found = stock_sites.stock_sites(db.session, today=local_today(), translate=gettext)
    return WarehouseRows(warehouses=found.warehouses, transfers=found.transfers,
                         unplaced=found.unplaced)


def roster_aggregates() -> RosterRows:
    today, now = local_today(), utcnow()
    areas = [{**area, "figures": kecamatan_figures(area["figures"])}
             for area in roster_sites.kecamatan_volunteers(db.session, today=today, now=now)]
    deployments = roster_sites.deployment_rows(db.session, now=now, translate=gettext)
    return RosterRows(areas=areas, deployments=deployments)
