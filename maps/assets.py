"""Serve every file a map needs from the app: folium names its CDN files, we name local ones.

Each folium element declares its files by name (`Map.default_js`, `MarkerCluster.default_css`,
...). `local_assets` maps every name to a file of a package the app serves (see
`app/assets.py` VENDOR_DIRS) or drops it when no map of ours uses it (jQuery, Bootstrap,
awesome-markers: our markers are circles and DivIcons with classes). A name not listed here is
an error, so a new folium component cannot quietly bring back a CDN address.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

AssetUrl = Callable[[str, str], str]

# The package name under which the app serves maps/static (add it to VENDOR_DIRS).
PACKAGE = "lumbung-maps"
STATIC_DIR = Path(__file__).resolve().parent / "static"

# folium's resource name -> (package, file) served by the app, or None when unused.
LOCAL = {
    "leaflet": ("leaflet", "leaflet.js"),
    "leaflet_css": ("leaflet", "leaflet.css"),
    "markerclusterjs": ("leaflet-markercluster", "leaflet.markercluster.js"),
    "markerclustercss": ("leaflet-markercluster", "MarkerCluster.css"),
    "markerclusterdefaultcss": ("leaflet-markercluster", "MarkerCluster.Default.css"),
    "jquery": None,
    "bootstrap": None,
    "bootstrap_css": None,
    "glyphicons_css": None,
    "awesome_markers": None,
    "awesome_markers_css": None,
    "awesome_markers_font_css": None,
    "awesome_rotate_css": None,
}

# Our own script and style, loaded after Leaflet's: they draw the layers and hold the classes.
OWN_JS = [(PACKAGE, "lumbung-maps.js")]
OWN_CSS = [(PACKAGE, "lumbung-maps.css")]


class UnknownAsset(LookupError):
    """A folium element asked for a file this module has no local copy of."""


def local_files(names: Iterable[str]) -> list[tuple[str, str]]:
    """The local (package, file) pairs for folium's resource names, in order, once each."""
    files: list[tuple[str, str]] = []
    for name in names:
        if name not in LOCAL:
            raise UnknownAsset(f"no local copy for folium resource {name!r}; add it to LOCAL")
        found = LOCAL[name]
        if found is not None and found not in files:
            files.append(found)
    return files


def element_assets(root) -> tuple[list[str], list[str]]:
    """The folium resource names (js, css) every element under ``root`` declares."""
    js: list[str] = []
    css: list[str] = []
    stack = [root]
    while stack:
        element = stack.pop(0)
        js.extend(name for name, _url in getattr(element, "default_js", ()))
        css.extend(name for name, _url in getattr(element, "default_css", ()))
        stack.extend(element._children.values())
    return js, css


def asset_urls(root, asset_url: AssetUrl) -> tuple[list[str], list[str]]:
    """(css_urls, js_urls) of local files for a map, ours last so they can build on Leaflet."""
    js, css = element_assets(root)
    return ([asset_url(*pair) for pair in [*local_files(css), *OWN_CSS]],
            [asset_url(*pair) for pair in [*local_files(js), *OWN_JS]])
