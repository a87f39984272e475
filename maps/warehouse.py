"""The warehouse map: each warehouse coloured by stock status and ringed on expiry alerts,
and the transfers still on the road drawn as lines from origin to destination."""

from __future__ import annotations

from collections.abc import Sequence

from maps.base import Links, LumbungMap, TileSource, add_layer_control, bounds_of, new_map
from maps.i18n import _
from maps.layers import STATUS_LABELS, transfer_layer, warehouse_layer
from maps.legend import legend_control
from maps.rows import TransferRow, WarehouseRow


def warehouse_map(warehouses: Sequence[WarehouseRow], transfers: Sequence[TransferRow], *,
                  links: Links, tiles: TileSource) -> LumbungMap:
    """Stock status, expiry alerts and transfers in transit."""
    points = [(w["lat"], w["lon"]) for w in warehouses]
    points += [(t["from_lat"], t["from_lon"]) for t in transfers]
    points += [(t["to_lat"], t["to_lon"]) for t in transfers]
    m = new_map(tiles, bounds_of(points), label=_("Warehouse map"))
    warehouse_layer(warehouses, links=links, name=_("Warehouses")).add_to(m)
    if transfers:
        transfer_layer(transfers, links=links, name=_("Transfers in transit")).add_to(m)
    add_layer_control(m)
    entries = [(f"lm-marker lm-wh lm-status-{key}", _(label))
               for key, label in STATUS_LABELS.items()]
    entries.append(("lm-marker lm-wh lm-alert", _("Expiry alert")))
    sections = [(_("Warehouses"), entries),
                (_("Transfers"), [("lm-transfer", _("Transfers in transit"))])]
    legend_control(_("Legend"), sections).add_to(m)
    return m
