"""An event's situation map in one read: its affected desa with their figures, its posko with
what their popups show, and the warehouses by stock status.

The posko figures are the event overview's (`overview.event_needs`: latest census, needs for
the coming week, days of cover), not a second computation. A fixed number of queries,
whatever the number of posko or desa.

Decisions:
- **Affected desa** are the desa the event names, and every desa where it has a posko, a
  rapid assessment or a household assessment. A kecamatan named whole does not shade all its
  desa: a desa nothing was recorded in has no figures to draw.
- **displaced** of a desa is the people in its open posko (each posko's latest census);
  ``reported_displaced`` is what the latest rapid assessment of the desa reported (people
  sheltering with family count there too).
- **Posko** are all of the event's posko; a closed one (closed before today) has
  ``is_open`` False and no people, needs or cover, as it counts for nothing in the overview.
- **Volunteers and equipment present** are deployments dispatched or checked in whose period
  holds ``now``; one dispatched for tomorrow is not there yet.
- A posko without a point is drawn at its desa's centroid (``is_approximate``); see
  `logistics.geo.places`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_CEILING, Decimal

from sqlalchemy import select

from logistics.db import utcnow
from logistics.emergency import overview
from logistics.emergency.models import POSKO_KIND_LABELS, Event, Posko
from logistics.emergency.needs import ZERO, Population
from logistics.emergency.standard_labels import MEASURE_LABELS, STANDARD_LABELS
from logistics.geo import figures
from logistics.geo.places import Translate, centroids, place_of, untranslated
from logistics.geo.roster_sites import present_per_posko
from logistics.geo.stock_sites import warehouse_rows
from logistics.i18n import N_
from logistics.regions.models import Region
from maps.rows import AreaRow, PoskoRow, WarehouseRow

GROUP_LABELS = {
    "under_five": N_("Infants and children under five"),
    "pregnant": N_("Pregnant women"),
    "breastfeeding": N_("Breastfeeding mothers"),
    "elderly": N_("Older people (60+)"),
    "disabled": N_("People with disabilities"),
}
SHORT = N_("%(what)s: %(amount)s %(unit)s short")
POPULATION_FIGURES = ("persons", "households", *GROUP_LABELS)


@dataclass
class Situation:
    event: Event
    today: date
    areas: list[AreaRow]
    posko: list[PoskoRow]
    warehouses: list[WarehouseRow]
    unplaced: list[str] = field(default_factory=list)  # posko and warehouse codes not drawn


def _whole(amount: Decimal) -> int:
    return int(amount.to_integral_value(rounding=ROUND_CEILING))


def unmet_lines(lines: list[overview.NeedLine], *, translate: Translate,
                language: str) -> list[str]:
    """What is still short for the coming days, in the main item's units where there is one:
    "Beras: 120 kg short"."""
    found = []
    for line in lines:
        missing = line.coverage.missing
        if missing <= 0:
            continue
        if line.main_item is not None:
            what, amount = line.main_item.name(language), line.units(missing)
            unit = line.main_item.base_unit
        else:
            what = translate(STANDARD_LABELS.get(line.code, line.code))
            amount = _whole(missing)
            unit = translate(MEASURE_LABELS.get(line.standard.measure, line.standard.measure))
        found.append(translate(SHORT) % {"what": what, "amount": amount, "unit": unit})
    return found


def lowest_cover(lines: list[overview.NeedLine]) -> float | None:
    """Fewest days any daily need is covered by what was delivered; None when nothing is."""
    days = [line.coverage.days_delivered for line in lines
            if line.coverage.days_delivered is not None]
    return round(float(min(days)), 1) if days else None


def _population(population: Population) -> dict[str, int]:
    return {name: getattr(population, name) for name in POPULATION_FIGURES}


def _posko_rows(session, event_id: int) -> list[tuple[Posko, str | None]]:
    return list(session.execute(
        select(Posko, Region.name).outerjoin(Region, Region.code == Posko.desa_code)
        .where(Posko.event_id == event_id).order_by(Posko.code)))


@dataclass
class _PoskoLayer:
    event: Event
    rows: list[PoskoRow]
    posko: list[Posko]
    displaced: dict[str, int]  # desa code -> people in its open posko
    open_count: dict[str, int]  # desa code -> open posko
    unplaced: list[str]


def _posko_layer(session, event_id: int, *, today: date, now: datetime | None,
                 translate: Translate, language: str) -> _PoskoLayer:
    needs = overview.event_needs(session, event_id, today=today)
    open_needs = {entry.id: entry for entry in needs.posko}
    found = _posko_rows(session, needs.event.id)
    places = centroids(session, (posko.desa_code for posko, _ in found if posko.point is None))
    present = present_per_posko(session, now=now or utcnow(), event_id=needs.event.id)
    layer = _PoskoLayer(needs.event, [], [posko for posko, _ in found], defaultdict(int),
                        defaultdict(int), [])
    for posko, desa_name in found:
        entry = open_needs.get(posko.id)
        population = entry.population if entry else ZERO
        if entry is not None:
            layer.displaced[posko.desa_code] += population.persons
            layer.open_count[posko.desa_code] += 1
        place = place_of(posko.point, posko.desa_code, places)
        if place is None:
            layer.unplaced.append(posko.code)
            continue
        lines = entry.lines if entry else []
        volunteers, equipment, _ = present.get(posko.id, (0, 0, {}))
        layer.rows.append(PoskoRow(
            id=posko.id, code=posko.code, name=posko.name, kind=posko.kind,
            kind_label=translate(POSKO_KIND_LABELS.get(posko.kind, posko.kind)),
            lat=place.lat, lon=place.lon, is_approximate=place.is_approximate,
            desa_name=desa_name or "", is_open=entry is not None,
            persons=population.persons, population=_population(population),
            groups={translate(label): getattr(population, name)
                    for name, label in GROUP_LABELS.items()},
            unmet_needs=unmet_lines(lines, translate=translate, language=language),
            days_of_cover=lowest_cover(lines), volunteers=volunteers, equipment=equipment))
    return layer


def event_posko(session, event_id: int, *, today: date, now: datetime | None = None,
                translate: Translate = untranslated, language: str = "id"
                ) -> tuple[Event, list[PoskoRow]]:
    """The event and its posko rows, by code (unknown event: `UnknownEvent`, a 404)."""
    layer = _posko_layer(session, event_id, today=today, now=now, translate=translate,
                         language=language)
    return layer.event, layer.rows


def event_areas(session, event_id: int, *, today: date) -> tuple[Event, list[AreaRow]]:
    """The event and its affected desa with their figures, by code."""
    layer = _posko_layer(session, event_id, today=today, now=None, translate=untranslated,
                         language="id")
    return layer.event, _areas(session, layer)


def event_situation(session, event_id: int, *, today: date, now: datetime | None = None,
                    translate: Translate = untranslated, language: str = "id") -> Situation:
    """The event map's data; an unknown event raises `UnknownEvent` (404)."""
    layer = _posko_layer(session, event_id, today=today, now=now, translate=translate,
                         language=language)
    unplaced = list(layer.unplaced)
    warehouses = warehouse_rows(session, today=today, translate=translate, unplaced=unplaced)
    return Situation(layer.event, today, _areas(session, layer), layer.rows, warehouses,
                     unplaced)


def _areas(session, layer: _PoskoLayer) -> list[AreaRow]:
    event_id, displaced, open_count = layer.event.id, layer.displaced, layer.open_count
    rapid = figures.rapid_per_desa(session, event_id)
    households = figures.households_per_desa(session, event_id)
    codes = (figures.named_desa(session, event_id) | {p.desa_code for p in layer.posko}
             | set(rapid) | set(households))
    empty_rapid = {f"reported_{name}": 0 for name in figures.RAPID_FIGURES} | {"access_cut": 0}
    empty_households = {"households_assessed": 0, "houses_heavy": 0, "houses_damaged": 0}
    return [AreaRow(code=region.code, name=region.name, kind=region.kind,
                    parent_name=parent_name or "", geometry=region.boundary,
                    figures={"displaced": displaced.get(region.code, 0),
                             "posko": open_count.get(region.code, 0),
                             **empty_households, **households.get(region.code, {}),
                             **empty_rapid, **rapid.get(region.code, {})})
            for region, parent_name in figures.regions_with_parents(session, codes)]

