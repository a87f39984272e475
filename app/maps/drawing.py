"""The one place the map pages call the builders of `maps/`: rows in, a map split for the page
out (stylesheet and script URLs served by the app, the map's <div>, its generated style and
script for nonce'd elements), so the page never names a CDN and never inlines unsigned code.

TODO(issue 20, part B): the stand-in builders below draw the rows plainly until the
map-builders branch lands; then this module calls maps.event_map/warehouse_map/roster_map and
maps' embed helper instead, and the pages do not change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import folium
from flask import url_for
from flask_babel import gettext
from markupsafe import Markup

from app.maps.tiles import tile_setting

BENGKULU_UTARA = (-3.4, 102.0)
STYLE = re.compile(r"<style>(.*?)</style>", re.S)


@dataclass(frozen=True)
class MapEmbed:
    """A drawn map as a page takes it."""

    css_urls: list[str]
    js_urls: list[str]
    div: Markup
    style: Markup
    script: Markup


def asset_url(package: str, filename: str) -> str:
    """A vendored file's URL, with its content hash (app/assets.py)."""
    return url_for("vendor.vendor_file", package=package, filename=filename)


def _map(points) -> folium.Map:
    tiles = tile_setting()
    m = folium.Map(location=BENGKULU_UTARA, zoom_start=9, tiles=None, control_scale=True)
    m.default_js, m.default_css = [], []
    if tiles:
        folium.TileLayer(tiles=tiles.url, attr=tiles.attribution, name="Peta dasar").add_to(m)
    if points:
        lats, lons = [p[0] for p in points], [p[1] for p in points]
        m.fit_bounds([(min(lats), min(lons)), (max(lats), max(lons))], max_zoom=13)
    return m


def _areas(m, areas, figure):
    for area in areas:
        if area["geometry"] is not None:
            label = f"{area['name']}: {area['figures'].get(figure, 0)}"
            folium.GeoJson(area["geometry"].__geo_interface__, tooltip=label).add_to(m)


def _points(m, rows, label, colour="#146c43"):
    for row in rows:
        folium.CircleMarker((row["lat"], row["lon"]), radius=8, color=colour, fill=True,
                            tooltip=label(row)).add_to(m)


def _embed(m: folium.Map) -> MapEmbed:
    root = m.get_root()
    root.render()
    # Only the map's own rule: folium's full-window html/body rules would undo the page layout.
    styles = "\n".join(s for s in STYLE.findall(root.header.render()) if "#map_" in s)
    return MapEmbed([asset_url("leaflet", "leaflet.css")], [asset_url("leaflet", "leaflet.js")],
                    Markup(root.html.render()), Markup(styles), Markup(root.script.render()))


def _coords(*groups):
    return [(r["lat"], r["lon"]) for rows in groups for r in rows]


def event_map(rows) -> MapEmbed:
    m = _map(_coords(rows.posko, rows.warehouses))
    _areas(m, rows.areas, "displaced")
    _points(m, rows.posko, lambda r: f"{r['name']}: {r['persons']}", "#b02a37")
    _points(m, rows.warehouses, lambda r: r["name"])
    return _embed(m)


def warehouse_map(rows) -> MapEmbed:
    m = _map(_coords(rows.warehouses))
    _points(m, rows.warehouses, lambda r: f"{r['name']} ({r['status']})")
    for t in rows.transfers:
        folium.PolyLine([(t["from_lat"], t["from_lon"]), (t["to_lat"], t["to_lon"])],
                        tooltip=t["number"]).add_to(m)
    return _embed(m)


def roster_map(rows) -> MapEmbed:
    m = _map(_coords(rows.deployments))
    _areas(m, rows.areas, "available")
    _points(m, rows.deployments, lambda r: f"{r['posko_name']}: {r['volunteers']}", "#0d6efd")
    return _embed(m)


@dataclass(frozen=True)
class LegendEntry:
    """One line of the printed legend: a key drawn as an area, a line or a point."""

    shape: str  # "area", "line" or "point"
    colour: str
    label: str


def event_legend(rows) -> list[LegendEntry]:
    """The printed sheet's legend, in the colours the map is drawn with."""
    return [LegendEntry("area", "#3388ff", gettext("Affected desa")),
            LegendEntry("point", "#b02a37", gettext("Posko")),
            LegendEntry("point", "#146c43", gettext("Warehouse"))]
