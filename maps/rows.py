"""The plain rows every map and GeoJSON builder takes: the contract between the queries in
`logistics/geo/` (which fill them from the database) and the builders in `maps/` (which draw
them without one).

Rows are dicts, so a test or a report can write them by hand. Points are WGS84 ``lat``/``lon``
floats; areas carry a shapely geometry in WGS84 (lon, lat order, as shapely and GeoJSON both
use). Figures are counts already computed by the domain; a builder never adds up people.

Privacy is part of the contract: no row carries a household, a person's name (other than a
posko's or warehouse's contact role), a NIK, a No. KK or a home location. Volunteers appear
only as counts per kecamatan or per posko.
"""

from __future__ import annotations

from typing import Any, TypedDict

from shapely.geometry.base import BaseGeometry


class AreaRow(TypedDict):
    """A desa or kecamatan with its figures, e.g. an event's affected desa."""

    code: str            # Kemendagri region code, e.g. "17.03.01.2001"
    name: str
    kind: str            # "desa", "kelurahan" or "kecamatan"
    parent_name: str     # the kecamatan of a desa, the kabupaten of a kecamatan
    geometry: BaseGeometry | None   # boundary; None when the region has none on record
    figures: dict[str, int]  # e.g. {"displaced": 340, "houses_heavy": 12}


class PoskoRow(TypedDict):
    """A disaster post with what its popup shows."""

    id: int
    code: str
    name: str
    kind: str            # PoskoKind value
    kind_label: str      # translated
    lat: float
    lon: float
    desa_name: str
    is_open: bool
    persons: int                 # latest census, 0 when none
    groups: dict[str, int]       # translated group label -> people (balita, lansia, ...)
    unmet_needs: list[str]       # translated lines, e.g. "Beras: kurang 120 kg"
    days_of_cover: float | None  # lowest over its needs; None when nothing is needed
    volunteers: int              # deployed and not ended
    equipment: int


class WarehouseRow(TypedDict):
    """A warehouse coloured by its stock status."""

    id: int
    code: str
    name: str
    kind_label: str
    lat: float
    lon: float
    status: str  # "ok", "low" (an item under its cover floor), "empty", "expiring"
    items_low: int
    lots_expiring: int   # lots expiring within the alert window
    lots_expired: int


class TransferRow(TypedDict):
    """A transfer sent and not yet received: a line from origin to destination."""

    id: int
    number: str
    from_name: str
    to_name: str
    from_lat: float
    from_lon: float
    to_lat: float
    to_lon: float
    sent_on: str         # ISO date
    lines: int


class DeploymentRow(TypedDict):
    """The volunteers and equipment at one posko now (never who they are)."""

    posko_id: int
    posko_code: str
    posko_name: str
    lat: float
    lon: float
    volunteers: int
    equipment: int
    by_skill: dict[str, int]     # translated skill label -> volunteers


Row = dict[str, Any]
