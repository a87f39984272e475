"""The roster map: volunteers available per kecamatan as shaded areas with their count, and
the volunteers and equipment at each posko as sized circles. Only aggregates: no row carries
a volunteer's name or home, so the map cannot show one."""

from __future__ import annotations

from collections.abc import Sequence

from maps.base import Links, LumbungMap, TileSource, add_layer_control, bounds_of, new_map
from maps.i18n import _
from maps.layers import area_layer, deployment_layer, figure_label
from maps.legend import class_entries, legend_control
from maps.rows import AreaRow, DeploymentRow

MEASURE = "volunteers_available"


def roster_map(kecamatan_areas: Sequence[AreaRow], deployments: Sequence[DeploymentRow], *,
               links: Links, tiles: TileSource) -> LumbungMap:
    """Volunteers available per kecamatan (figure "volunteers_available") and deployments."""
    bounds = bounds_of([(d["lat"], d["lon"]) for d in deployments],
                       [a["geometry"] for a in kecamatan_areas])
    m = new_map(tiles, bounds, label=_("Volunteer map"))
    m.label_zoom = 0  # a kabupaten has a dozen kecamatan: their labels always fit
    areas, class_bounds = area_layer(kecamatan_areas, MEASURE, links=links,
                                     name=_("Volunteers available"), label_figure=MEASURE)
    areas.add_to(m)
    if deployments:
        deployment_layer(deployments, links=links, name=_("Deployments")).add_to(m)
    add_layer_control(m)
    sections = [(figure_label(MEASURE), class_entries(class_bounds)),
                (_("Deployments"), [("lm-deploy", _("Volunteers at a posko (circle size)"))])]
    legend_control(_("Legend"), sections).add_to(m)
    return m
