"""The map pages drawn from the database through app/maps/data.py (no written rows): the
queries of logistics.geo reach the builders with their figures named as the popups label
them, so no raw query key ("reported_dead", "active") ever shows on a map."""

from __future__ import annotations

import html

import pytest

from app.maps.data import desa_figures, kecamatan_figures


def test_a_desas_figures_take_the_names_the_popups_label():
    figures = {"displaced": 120, "posko": 1, "households_assessed": 3, "houses_heavy": 2,
               "houses_damaged": 1, "reported_displaced": 300, "reported_dead": 1,
               "reported_missing": 2, "reported_injured": 3, "reported_houses_heavy": 5,
               "reported_houses_moderate": 6, "reported_houses_light": 7, "access_cut": 1}
    assert desa_figures(figures) == {"displaced": 120, "dead": 1, "missing": 2, "injured": 3,
                                     "houses_heavy": 5, "houses_moderate": 6,
                                     "houses_light": 7}
    assert desa_figures({"houses_heavy": 4, "reported_houses_heavy": 0})["houses_heavy"] == 4


def test_a_kecamatans_volunteers_take_the_names_the_popups_label():
    assert kecamatan_figures({"active": 9, "available": 7, "deployed": 2}) == {
        "volunteers_available": 7, "volunteers_deployed": 2}


@pytest.fixture
def coordinator(client, auth, make_user):
    auth.login(make_user("coordinator", username="koordinator-peta"))
    return client


def body(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.get_data(as_text=True))


def test_the_event_map_draws_the_events_posko_and_desa_from_the_database(coordinator,
                                                                         emergency):
    event = emergency.event()
    emergency.posko(event, name="Posko Masjid Al-Ikhlas")
    text = body(coordinator.get(f"/maps/events/{event}"))
    assert "Posko Masjid Al-Ikhlas" in text
    assert '"Kahyapu"' in text  # the posko's desa, shaded on its boundary
    assert '"link":"/emergency/posko/"' in text
    assert "Pengungsi" in text  # the measure's label, in Indonesian
    assert "reported_" not in text


def test_the_warehouse_and_roster_maps_read_the_database(coordinator, emergency, roster):
    emergency.stock.warehouse(name="Gudang Kecamatan Enggano", code="GKE")
    roster.volunteer()
    # The kecamatan has no boundary here and the warehouse no point or desa: the page says so.
    assert "Tidak ada di peta karena lokasinya belum dicatat: GKE." in body(
        coordinator.get("/maps/warehouses"))
    text = body(coordinator.get("/maps/roster"))
    assert '"active"' not in text
