"""The event situation map: affected desa shaded by a figure, posko by kind, warehouses by
stock status, with a legend, a scale bar and a layer control in the page's language; the
printable variant adds a north arrow and an open legend for an A4/A3 sheet."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain

from maps.base import (
    Links,
    LumbungMap,
    TileSource,
    add_layer_control,
    bounds_of,
    class_token,
    new_map,
)
from maps.i18n import _
from maps.layers import (
    STATUS_LABELS,
    area_layer,
    figure_label,
    posko_layer,
    warehouse_layer,
)
from maps.legend import class_entries, legend_control, north_arrow
from maps.rows import AreaRow, PoskoRow, WarehouseRow


def event_map(areas: Sequence[AreaRow], posko: Sequence[PoskoRow],
              warehouses: Sequence[WarehouseRow], *, links: Links, tiles: TileSource,
              measure: str = "displaced", print_layout: bool = False) -> LumbungMap:
    """The map of one event; ``measure`` is the area figure that shades the desa."""
    bounds = bounds_of(chain(((p["lat"], p["lon"]) for p in posko),
                             ((w["lat"], w["lon"]) for w in warehouses)),
                       [a["geometry"] for a in areas])
    m = new_map(tiles, bounds, label=_("Event situation map"), print_layout=print_layout)
    measure_label = figure_label(measure)
    areas_layer, class_bounds = area_layer(areas, measure, links=links,
                                           name=_("Affected desa"), label_figure=measure)
    areas_layer.add_to(m)
    if posko:
        posko_layer(posko, links=links, name=_("Posko")).add_to(m)
    if warehouses:
        warehouse_layer(warehouses, links=links, name=_("Warehouses")).add_to(m)
    add_layer_control(m)
    legend_control(_("Legend"), event_legend(measure_label, class_bounds, posko, warehouses),
                   fixed=print_layout).add_to(m)
    if print_layout:
        north_arrow().add_to(m)
    return m


def event_legend(measure_label: str, class_bounds, posko, warehouses):
    """The legend's sections: the measure's classes, the posko kinds and marks present, the
    warehouse statuses present."""
    kinds: dict[str, str] = {}
    for row in posko:
        kinds.setdefault(row["kind"], row["kind_label"])
    posko_entries = [(f"lm-marker lm-kind-{class_token(kind)}", label)
                     for kind, label in kinds.items()]
    if any(row["unmet_needs"] for row in posko):
        posko_entries.append(("lm-marker lm-unmet", _("Unmet needs")))
    if any(not row["is_open"] for row in posko):
        posko_entries.append(("lm-marker lm-closed", _("Closed posko")))
    statuses = [key for key in STATUS_LABELS if any(w["status"] == key for w in warehouses)]
    warehouse_entries = [(f"lm-marker lm-wh lm-status-{key}", _(STATUS_LABELS[key]))
                         for key in statuses]
    if any(w["lots_expiring"] or w["lots_expired"] for w in warehouses):
        warehouse_entries.append(("lm-marker lm-wh lm-alert", _("Expiry alert")))
    return [(measure_label, class_entries(class_bounds)), (_("Posko"), posko_entries),
            (_("Warehouses"), warehouse_entries)]
