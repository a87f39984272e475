"""Put a folium map into one of the app's pages under its Content-Security-Policy.

folium writes a whole HTML document: CDN links, `<style>` blocks and a map `<div>` with a
style attribute. The app allows none of that (`script-src 'self'` plus a nonce, `style-src
'self'`), so a page takes the map apart instead: local file URLs for its `<head>`, the map
`<div>` (classes only; its size comes from lumbung-maps.css), and the script the page puts in
`<script nonce="{{ csp_nonce() }}">` after the files. No map needs CSS of its own.

    parts = map_parts(event_map(...), asset_url)
    {% for url in parts.css_urls %}<link rel="stylesheet" href="{{ url }}">{% endfor %}
    {{ parts.html|safe }}
    {% for url in parts.js_urls %}<script src="{{ url }}"></script>{% endfor %}
    <script nonce="{{ csp_nonce() }}">{{ parts.script|safe }}</script>
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import folium

from maps.assets import AssetUrl, asset_urls

# Runs the map's script once the document is parsed, so the page may load the files with
# `defer` or at the end of <body>; folium's top-level `var`s stay local to the function.
WRAPPER = ('(function(draw){if(document.readyState==="loading")'
           '{document.addEventListener("DOMContentLoaded",draw)}else{draw()}})'
           '(function(){\n%s\nLumbungMaps.ready(%s);\n});')


@dataclass(frozen=True)
class MapParts:
    """What a page needs to show one map: file URLs, the map element and its script."""

    css_urls: list[str]
    js_urls: list[str]
    html: str
    script: str


def map_parts(m: folium.Map, asset_url: AssetUrl) -> MapParts:
    """Render ``m`` into the pieces a CSP-strict page embeds (see the module docstring)."""
    m.render()
    figure = m.get_root()
    body = figure.script.render()
    css_urls, js_urls = asset_urls(m, asset_url)
    classes = " ".join(["lm-map", *getattr(m, "css_classes", ())])
    label = getattr(m, "label", "")
    label_zoom = int(getattr(m, "label_zoom", 11))
    html = (f'<div class="{escape(classes)}" id="{m.get_name()}" role="region"'
            f' aria-label="{escape(label)}" data-label-zoom="{label_zoom}"></div>')
    return MapParts(css_urls, js_urls, html, WRAPPER % (body, m.get_name()))


def standalone_page(m: folium.Map, asset_url: AssetUrl, *, nonce: str = "", title: str = "") -> str:
    """A whole HTML page around one map, for the benchmark, tests and a saved copy."""
    parts = map_parts(m, asset_url)
    nonce_attr = f' nonce="{escape(nonce)}"' if nonce else ""
    return "\n".join([
        "<!doctype html>", '<html><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        *(f'<link rel="stylesheet" href="{escape(url)}">' for url in parts.css_urls),
        "</head><body>", parts.html,
        *(f'<script src="{escape(url)}"></script>' for url in parts.js_urls),
        f"<script{nonce_attr}>{parts.script}</script>", "</body></html>"])
