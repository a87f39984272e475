"""What every map shares: the tile source, the map itself, compact HTML-safe data for the
script, links to pages, and the layers and controls drawn by lumbung-maps.js.

A layer here is one folium `Layer` whose script is a single call such as
`LumbungMaps.posko(data, ctx)`: the rows travel as compact arrays (one per point, no keys;
posko and boundaries in the encodings of maps/codec.py), and the browser builds markers and
popups from them with the DOM (`textContent`), so no text from a row is ever parsed as HTML
and 5,000 posko are 5,000 array rows, not 5,000 folium objects. The page's script is rendered
by maps/render.py, which never compiles a row as a template.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import folium
import xyzservices
from branca.element import MacroElement
from folium.map import Layer
from folium.plugins import MarkerCluster
from folium.template import Template

from maps.i18n import _, locale_tag
from maps.render import render_map

Links = Callable[[str, Any], "str | None"]

# Where an empty map opens: Indonesia as a whole.
FALLBACK_VIEW = ((-2.5, 118.0), 5)
DIGITS = 5  # ~1 m: more would only add bytes


@dataclass(frozen=True)
class TileSource:
    """The background tiles: a URL template ({z}/{x}/{y}), or None to draw no tiles at all
    (the boundaries, markers and labels still make a readable map on a plain background)."""

    url_template: str | None
    attribution: str = ""
    max_zoom: int = 19

    @classmethod
    def openstreetmap(cls) -> TileSource:
        return cls("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                   "© OpenStreetMap contributors", 19)

    @classmethod
    def none(cls) -> TileSource:
        return cls(None, "", 19)


def js(value: Any) -> str:
    """JSON for inside a <script>: compact, and no `<`, `>` or `&` that could end the script."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def coordinate(value: float) -> float:
    return round(float(value), DIGITS)


def class_token(value: str) -> str:
    """A value (a kind, a status) made safe to use in a CSS class name."""
    return re.sub(r"[^a-z0-9_-]", "-", str(value).lower())


class LinkCodec:
    """Each row's page link as a short suffix after one shared prefix: "/emergency/posko/"
    once, then "12", "13", ... per row (a few bytes instead of twenty for 5,000 points)."""

    def __init__(self, links: Links, kind: str, ids: Sequence[Any]):
        urls = [links(kind, ident) for ident in ids]
        present = [url for url in urls if url]
        prefix = _common_prefix(present)
        self.prefix = prefix
        self.suffixes = [url[len(prefix):] if url else None for url in urls]


def _common_prefix(urls: list[str]) -> str:
    if not urls:
        return ""
    low, high = min(urls), max(urls)
    size = 0
    while size < min(len(low), len(high)) and low[size] == high[size]:
        size += 1
    prefix = low[:size]
    # Cut at the last "/" so that a suffix is never empty when a url equals the prefix.
    return prefix[:prefix.rfind("/") + 1] if "/" in prefix else ""


class LumbungMap(folium.Map):
    """A folium Map that knows the CSS classes and label of its element (see maps.embed)."""

    css_classes: tuple[str, ...] = ()
    label: str = ""
    label_zoom: int = 11  # area labels show from this zoom on (0: always, as on paper)

    def render(self, **kwargs) -> None:
        """Scripts only, none compiled as a template again (see maps.render for why)."""
        render_map(self)


def new_map(tiles: TileSource, bounds: list[list[float]] | None, *, label: str,
            print_layout: bool = False) -> LumbungMap:
    """The map with its tiles (or none), fitted to ``bounds``, a metric scale bar and the
    label-visibility switch; `print_layout` drops the zoom buttons a sheet of paper can't use."""
    center, zoom = FALLBACK_VIEW
    m = LumbungMap(location=None if bounds else list(center), zoom_start=zoom, tiles=None,
                   zoom_control=not print_layout, control_scale=False)
    # Leaflet.markercluster needs the map's own maxZoom when no tile layer sets one.
    m.options["max_zoom"] = tiles.max_zoom
    m.label = label
    m.label_zoom = 0 if print_layout else 11
    classes = ["lm-print"] if print_layout else []
    if tiles.url_template:
        # As a TileProvider, not a string: folium would search xyzservices' whole catalogue
        # for a provider of that name first (~8 ms a map); the URL goes out as given.
        provider = xyzservices.TileProvider(name="base", url=tiles.url_template,
                                            attribution=tiles.attribution)
        folium.TileLayer(tiles=provider, attr=escape(tiles.attribution) or " ",
                         name=_("Base map"), max_zoom=tiles.max_zoom,
                         max_native_zoom=tiles.max_zoom, control=False).add_to(m)
    else:
        classes.append("lm-no-tiles")
    m.css_classes = tuple(classes)
    if bounds:
        m.fit_bounds(bounds, padding=(12, 12))
    Control("scale", {}).add_to(m)
    return m


def bounds_of(points: Iterable[tuple[float, float]], areas: Iterable[Any] = ()) -> list | None:
    """[[south, west], [north, east]] around the points (lat, lon) and area geometries."""
    pairs = list(points)
    lats: list[float] = [pair[0] for pair in pairs]
    lons: list[float] = [pair[1] for pair in pairs]
    for geometry in areas:
        if geometry is not None and not geometry.is_empty:
            west, south, east, north = geometry.bounds
            lats += [south, north]
            lons += [west, east]
    if not lats:
        return None
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


class DataLayer(Layer):
    """An overlay drawn by `LumbungMaps.<builder>(data, ctx)`, listed in the layer control."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }}=LumbungMaps.{{ this.builder }}({{ this.payload }});\n"
        "{% endmacro %}")  # folium's Layer adds it to the map (or not, when hidden)

    def __init__(self, builder: str, data: Any, ctx: dict, *, name: str, show: bool = True):
        # Leaflet's layer control writes names with innerHTML: escape ours.
        super().__init__(name=escape(name), overlay=True, control=True, show=show)
        self._name = "DataLayer"
        self.builder = builder
        self.payload = f"{js(data)},{js(ctx)}"


class ClusterLayer(MarkerCluster):
    """Points in a marker cluster built in the browser from compact rows, as folium's
    FastMarkerCluster does, without its per-row Python validation (5,000 rows in ~1 ms)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }}=LumbungMaps.{{ this.builder }}({{ this.payload }},"
        "L.markerClusterGroup({{ this.options|tojavascript }}));\n{% endmacro %}")

    def __init__(self, builder: str, data: Any, ctx: dict, *, name: str, show: bool = True):
        super().__init__(name=escape(name), overlay=True, control=True, show=show,
                         options={"showCoverageOnHover": False, "chunkedLoading": True,
                                  "maxClusterRadius": 50})
        self._name = "ClusterLayer"
        self.builder = builder
        self.payload = f"{js(data)},{js(ctx)}"


class Control(MacroElement):
    """A map control drawn by `LumbungMaps.control(map, kind, options)`: scale, legend,
    north arrow. HTML in options is built here with every text escaped, and classes only."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "LumbungMaps.control({{ this._parent.get_name() }},{{ this.kind|tojson }},"
        "{{ this.payload }});\n{% endmacro %}")

    def __init__(self, kind: str, options: dict):
        super().__init__()
        self._name = "Control"
        self.kind = kind
        self.payload = js(options)


def add_layer_control(m: folium.Map) -> None:
    folium.LayerControl(collapsed=True).add_to(m)


def base_context() -> dict:
    """What every layer's script needs to format numbers and dates in the page's language."""
    return {"locale": locale_tag()}
