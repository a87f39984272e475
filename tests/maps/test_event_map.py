"""The event map from hand-written rows: its layers, popups' data, links, legend, escaping,
print layout, and that nothing but the tile template points off the app."""

from __future__ import annotations

import re

import folium
import pytest

from maps.base import TileSource
from maps.codec import read_posko
from maps.embed import map_parts
from maps.event import event_map
from tests.maps.rows import (
    NO_TILES,
    OSM,
    area,
    links,
    local_url,
    payload,
    posko,
    warehouse,
)

URL = re.compile(r"https?://[^\s\"'\\<>]+")


def parts_of(m):
    return map_parts(m, local_url)


def everything(parts) -> str:
    return "\n".join([*parts.css_urls, *parts.js_urls, parts.html, parts.script])


def build(**changes):
    rows = {"areas": [area()], "posko": [posko()], "warehouses": [warehouse()]}
    rows.update(changes)
    return event_map(rows["areas"], rows["posko"], rows["warehouses"], links=links, tiles=OSM)


def test_the_event_map_has_the_desa_posko_and_warehouse_layers_in_its_layer_control():
    script = parts_of(build()).script
    assert "LumbungMaps.areas(" in script
    assert "LumbungMaps.posko(" in script
    assert "L.markerClusterGroup(" in script
    assert "LumbungMaps.warehouses(" in script
    overlays = script[script.index("overlays"):]
    for name in ("Affected desa", "Posko", "Warehouses"):
        assert f'"{name}"' in overlays
    assert 'LumbungMaps.control(' in script
    assert '"scale"' in script


def test_popups_carry_the_posko_figures_and_link_to_its_page():
    script = parts_of(build()).script
    data, ctx = payload(script, "posko")
    assert read_posko(data, ctx) == [{
        "lat": -5.35, "lon": 102.05, "kind": "tempat_pengungsian",
        "kind_label": "Tempat pengungsian", "is_open": True, "name": "Posko Masjid Al-Ikhlas",
        "desa_name": "Banjar Sari", "link": "/emergency/posko/1", "persons": 212,
        "volunteers": 6, "equipment": 2, "groups": {"Balita": 14, "Lansia": 9},
        "unmet_needs": ["Beras: kurang 120 kg"], "days_of_cover": 1.5}]
    assert '"link":"/stock/warehouses/"' in script
    assert '"link":"/regions/"' in script


def test_a_posko_named_like_a_script_cannot_end_the_script_or_become_html():
    evil = '</script><script>alert(1)</script><img src=x onerror=alert(2)>'
    parts = parts_of(build(posko=[posko(name=evil, desa_name=evil, unmet_needs=[evil])],
                           areas=[area(name=evil)], warehouses=[warehouse(name=evil)]))
    assert "</script" not in parts.script.lower()
    assert "<script" not in parts.script.lower()
    assert "<img" not in parts.script
    assert "\\u003c/script\\u003e" in parts.script
    assert "<" not in parts.html.replace("<div", "").replace("</div>", "")


def test_texts_in_the_legend_are_escaped_html():
    parts = parts_of(build(posko=[posko(kind_label="<b>Dapur</b> & co")]))
    # The legend's HTML travels as a JSON string; unescaped it must hold escaped text only.
    assert "\\u0026lt;b\\u0026gt;Dapur\\u0026lt;/b\\u0026gt; \\u0026amp; co" in parts.script


def test_nothing_but_the_tile_template_points_off_the_app():
    parts = parts_of(build())
    assert URL.findall(everything(parts)) == [OSM.url_template]
    assert all(url.startswith("/static/vendor/") for url in parts.css_urls + parts.js_urls)
    assert "/static/vendor/leaflet/leaflet.js" in parts.js_urls
    assert parts.js_urls[-1] == "/static/vendor/lumbung-maps/lumbung-maps.js"
    assert "/static/vendor/leaflet-markercluster/MarkerCluster.css" in parts.css_urls


def test_no_jquery_bootstrap_or_awesome_markers_are_needed():
    script = parts_of(build()).script
    assert "AwesomeMarkers" not in script
    assert "$(" not in script
    assert "$." not in script
    assert "bootstrap" not in script.lower()


def test_without_tiles_no_tile_layer_is_drawn_and_the_map_gets_a_plain_background():
    m = event_map([area()], [posko()], [warehouse()], links=links, tiles=NO_TILES)
    parts = parts_of(m)
    assert "L.tileLayer" not in parts.script
    assert URL.findall(everything(parts)) == []
    assert "lm-no-tiles" in parts.html
    assert '"maxZoom": 19' in parts.script  # markercluster needs it without a tile layer
    assert "LumbungMaps.areas(" in parts.script
    assert "LumbungMaps.posko(" in parts.script


def test_a_local_tile_server_is_used_as_given():
    local = TileSource("/tiles/{z}/{x}/{y}.png", "BIG", 17)
    parts = parts_of(event_map([area()], [], [], links=links, tiles=local))
    assert '"/tiles/{z}/{x}/{y}.png"' in parts.script
    assert URL.findall(everything(parts)) == []


def test_the_map_element_has_classes_and_no_style_attribute():
    parts = parts_of(build())
    assert "style=" not in parts.html
    assert 'class="lm-map"' in parts.html
    assert "style=" not in parts.script  # legends and north arrow: classes only
    assert "<style" not in parts.script


def test_the_legend_lists_the_measure_classes_the_posko_kinds_and_warehouse_statuses():
    areas = [area(code=f"17.03.01.{2000 + n}", displaced=value)
             for n, value in enumerate([0, 3, 40, 120, 480, 900])]
    script = parts_of(build(areas=areas)).script
    legend = script[script.index('"legend"'):]
    for shade in range(6):
        assert f"lm-swatch lm-c{shade}" in legend
    assert "Displaced people" in legend
    assert "lm-kind-tempat_pengungsian" in legend
    assert "Tempat pengungsian" in legend
    assert "lm-status-low" in legend
    assert "Stock low" in legend
    assert "lm-unmet" in legend


def test_another_measure_shades_the_desa_by_that_figure():
    areas = [area(code="17.03.01.2001", displaced=900, houses_heavy=0),
             area(code="17.03.01.2002", displaced=0, houses_heavy=50)]
    m = event_map(areas, [], [], links=links, tiles=OSM, measure="houses_heavy")
    script = parts_of(m).script
    assert '"Banjar Sari","Enggano",0,' in script  # the first desa: no heavy damage
    assert "Houses heavily damaged" in script[script.index('"legend"'):]


def test_the_print_layout_has_a_north_arrow_a_fixed_legend_and_no_zoom_buttons():
    m = event_map([area()], [posko()], [warehouse()], links=links, tiles=OSM,
                  print_layout=True)
    parts = parts_of(m)
    assert '"north"' in parts.script
    assert "lm-north-arrow" in parts.script
    assert "lm-legend-fixed" in parts.script
    assert '"zoomControl": false' in parts.script
    assert "lm-print" in parts.html
    assert 'data-label-zoom="0"' in parts.html
    screen = parts_of(build())
    assert '"north"' not in screen.script
    assert "lm-legend-fixed" not in screen.script


def test_an_area_without_a_boundary_is_left_out_and_an_empty_map_still_builds():
    parts = parts_of(event_map([{**area(), "geometry": None}], [], [], links=links,
                               tiles=NO_TILES))
    assert "LumbungMaps.areas([]," in parts.script
    assert "fitBounds" not in parts.script  # opens on the fallback view


def test_a_row_without_a_page_gets_no_link():
    parts = parts_of(event_map([], [posko(), posko(ident=2)], [], links=lambda kind, ident: None,
                               tiles=NO_TILES))
    data, ctx = payload(parts.script, "posko")
    assert [row["link"] for row in read_posko(data, ctx)] == [None, None]


def test_a_name_written_like_a_template_stays_text_on_the_server():
    # folium compiled each rendered script as a Jinja template: {{ ... }} in a posko name ran
    # on the server. maps.render hands folium the text as it is.
    evil = "{{ 7*191 }}{% if true %}yes{% endif %}{{ this.__class__ }}"
    parts = parts_of(build(posko=[posko(name=evil, desa_name=evil, unmet_needs=[evil])],
                           areas=[area(name=evil)], warehouses=[warehouse(name=evil)]))
    assert "1337" not in parts.script
    assert parts.script.count(evil) == 5  # posko, its desa and need line, desa, warehouse


def test_a_folium_element_added_by_hand_still_renders_through_folium():
    m = build()
    folium.Marker([-5.3, 102.0], tooltip="hand-made").add_to(m)
    script = parts_of(m).script
    assert "L.marker(" in script
    assert "hand-made" in script


@pytest.mark.parametrize("component", [folium.Icon, folium.plugins.BeautifyIcon])
def test_a_component_without_local_files_is_refused_not_fetched_from_a_cdn(component):
    from maps.assets import UnknownAsset

    m = build()
    folium.Marker([-5.3, 102.0], icon=component()).add_to(m)
    if component is folium.Icon:  # its files are known and dropped: the map would break
        assert "AwesomeMarkers" in parts_of(m).script
    else:
        with pytest.raises(UnknownAsset):
            parts_of(m)
