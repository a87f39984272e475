"""5,000 posko stay compact rows (no folium Marker per point); the maps' own words come out
in Indonesian when the page's locale is id; the warehouse and roster maps."""

from __future__ import annotations

from pathlib import Path

import folium
import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask_babel import Babel

from maps.embed import map_parts
from maps.event import event_map
from maps.roster import roster_map
from maps.warehouse import warehouse_map
from tests.maps.rows import (
    NO_TILES,
    OSM,
    area,
    deployment,
    kecamatan_areas,
    links,
    local_url,
    posko,
    transfer,
    warehouse,
)

PO = Path(__file__).resolve().parents[2] / "app/translations/id/LC_MESSAGES/messages.po"


def walk(element):
    yield element
    for child in element._children.values():
        yield from walk(child)


def test_five_thousand_posko_are_rows_of_one_cluster_not_five_thousand_markers():
    many = [posko(ident=n, lat=-3.0 - n * 1e-4, lon=101.5 + n * 1e-4) for n in range(5000)]
    m = event_map([area()], many, [warehouse()], links=links, tiles=NO_TILES)
    elements = list(walk(m))
    assert not any(isinstance(e, folium.Marker | folium.CircleMarker) for e in elements)
    assert len(elements) < 20
    script = map_parts(m, local_url).script
    assert script.count("L.markerClusterGroup(") == 1
    # About 60 bytes a posko, popups included: name and figures, repeated texts indexed.
    assert len(script) < 5000 * 70


@pytest.fixture
def indonesian(tmp_path):
    """A bare Flask app with Babel on the app's Indonesian catalogue (compiled here)."""
    folder = tmp_path / "id" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with PO.open("rb") as source, (folder / "messages.mo").open("wb") as target:
        write_mo(target, read_po(source, locale="id"))
    app = Flask(__name__)
    Babel(app, default_locale="id", default_translation_directories=str(tmp_path))
    with app.test_request_context():
        yield


@pytest.mark.usefixtures("indonesian")
def test_the_maps_own_words_are_indonesian_when_the_locale_is_id():
    script = map_parts(event_map([area()], [posko()], [warehouse()], links=links, tiles=OSM,
                                 print_layout=True), local_url).script
    for words in ("Desa terdampak", "Legenda", "Pengungsi", "Kebutuhan belum terpenuhi",
                  "Stok menipis", "Jiwa mengungsi", '"locale":"id"', '"hari"'):
        assert words in script, words
    assert "lm-north-letter\\u0022\\u003eU\\u003c" in script.replace('\\"', "\\u0022")
    assert "Affected desa" not in script


def test_the_warehouse_map_shows_status_expiry_alerts_and_transfers_in_transit():
    parts = map_parts(warehouse_map([warehouse(), warehouse(2, "Lumbung Lais", "empty",
                                                           lots_expiring=0)],
                                    [transfer()], links=links, tiles=OSM), local_url)
    assert "LumbungMaps.warehouses(" in parts.script
    assert "LumbungMaps.transfers(" in parts.script
    assert '"MUT-2026-0001","Gudang BPBD","Lumbung Lais","2026-12-01",3,"1"]' in parts.script
    assert '"link":"/stock/transfers/"' in parts.script
    assert "lm-alert" in parts.script
    assert "Transfers in transit" in parts.script
    assert "markercluster" not in " ".join(parts.js_urls)  # a few warehouses need no cluster


def test_the_roster_map_shows_aggregates_per_kecamatan_and_posko_and_nothing_personal():
    deployments = [deployment(), deployment(2, volunteers=40, posko_name="Posko Ketahun")]
    parts = map_parts(roster_map(kecamatan_areas(), deployments, links=links, tiles=NO_TILES),
                      local_url)
    assert "LumbungMaps.areas(" in parts.script
    assert "LumbungMaps.deployments(" in parts.script
    assert '"labelFigure":0' in parts.script
    assert "Volunteers available" in parts.script
    assert '"skills":["Dapur umum","Logistik"]' in parts.script
    assert 'data-label-zoom="0"' in parts.html
    for personal in ("home", "nik", "household", "full_name"):
        assert personal not in parts.script.lower()
