"""No map page and no GeoJSON answer ever carries a household, a NIK, a No. KK, a person's
name or a home: the database holds all of them here (households assessed in the event and
registered at the Puskesos, volunteers with their home points), and every map route is
walked, found from the app's own routes, so a map added later is walked too."""

from __future__ import annotations

import pytest

from logistics.calendar import local_today
from tests.referrals.factories import make_kk

HOME = (102.08642, -3.41357)  # a volunteer's home (lon, lat), inside the event's desa
ARGS = {"event_id": "event", "posko_id": "posko"}


@pytest.fixture
def personal_world(app, emergency, roster, slrt, client, auth, make_user):
    """An event with a posko, people in the database, and what must never show."""
    event = emergency.event(status="tanggap_darurat")
    posko = emergency.posko(event)
    secrets = []
    for number, name in enumerate(("Sutrisno Wibowo", "Maryati Lestari"), start=1):
        nik = roster.nik(sex="M" if number == 1 else "F")
        phone = f"0812777700{number:02d}"
        roster.volunteer(name=name, nik=nik, phone=phone, home_lon=HOME[0] + number / 1e4,
                         home_lat=HOME[1], sex=None, birth_date=None)
        secrets += [name, nik, phone, f"{HOME[0] + number / 1e4:.4f}", f"{HOME[1]:.4f}"]
    admin = make_user("admin", username="admin-privasi")
    kk, nik = make_kk("17.03.01", 4711), roster.nik(sex="F")
    headers = auth.headers(admin)
    answer = client.post(f"/api/v1/emergency/events/{event}/households", headers=headers, json={
        "desa_code": emergency.DESA, "assessed_on": local_today().isoformat(), "posko_id": posko,
        "kk_number": kk, "head_name": "Siti Rahmawati", "head_nik": nik,
        "address": "Jl. Kenanga Gang Mawar 17", "house_damage": "rusak_berat",
        "members": [{"name": "Siti Rahmawati", "nik": nik, "sex": "P"},
                    {"name": "Bagus Prasetyo", "sex": "L", "age": 9}]})
    assert answer.status_code == 201, answer.get_json()
    secrets += [kk, nik, "Siti Rahmawati", "Bagus Prasetyo", "Kenanga"]
    slrt.household(emergency.DESA, members=2)
    secrets += ["Jl. Melati", "Warga "]
    return {"ids": {"event": event, "posko": posko}, "secrets": secrets, "admin": admin,
            "headers": headers}


def map_routes(app):
    """Every GET route of the map pages and of the GeoJSON API."""
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and (rule.endpoint.startswith("maps.")
                                      or rule.rule.startswith("/api/v1/geo")):
            yield rule


def test_no_map_or_geojson_shows_a_household_a_number_a_name_or_a_home(
        app, client, auth, personal_world):
    auth.login(personal_world["admin"])
    walked = []
    for rule in map_routes(app):
        unknown = set(rule.arguments) - set(ARGS)
        assert not unknown, f"{rule.rule}: give {unknown} a value in ARGS"
        path = rule.build({name: personal_world["ids"][ARGS[name]]
                           for name in rule.arguments})[1]
        api = rule.rule.startswith("/api/")
        response = client.get(path, headers=personal_world["headers"] if api else None)
        assert response.status_code == 200, path
        body = response.get_data(as_text=True)
        leaked = [secret for secret in personal_world["secrets"] if secret in body]
        assert leaked == [], f"{path} shows {leaked}"
        walked.append(rule.endpoint)
    assert {"maps.event_map", "maps.event_map_print", "maps.warehouse_map",
            "maps.roster_map"} <= set(walked)
