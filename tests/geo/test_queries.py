"""The map queries against a world built by hand (`tests.geo.factories`), on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event as sa_event

from app.extensions import db
from logistics.emergency.errors import UnknownEvent
from logistics.geo import roster_sites, situation, stock_sites
from tests.geo.factories import TODAY, add_posko_at_random, geo  # noqa: F401

NOW = datetime.now(UTC)


def _by(rows, key):
    return {row[key]: row for row in rows}


def test_posko_rows_carry_the_latest_census_needs_cover_and_who_is_present(app, geo):  # noqa: F811
    ids = geo.build()
    with app.app_context():
        found = situation.event_situation(db.session, ids["event"], today=TODAY)
    posko = _by(found.posko, "id")
    main = posko[ids["posko"]]
    assert (main["persons"], main["population"]["households"],
            main["population"]["under_five"]) == (120, 30, 10)
    assert main["groups"]["Infants and children under five"] == 10
    assert (main["volunteers"], main["equipment"], main["is_open"]) == (1, 1, True)
    assert (main["lon"], main["lat"], main["is_approximate"]) == (102.05, -3.45, False)
    assert main["desa_name"] == "Kahyapu"
    # Needs for a week and nothing delivered: every daily need is short, cover is 0 days.
    assert main["unmet_needs"]
    assert all(" short" in line for line in main["unmet_needs"])
    assert main["days_of_cover"] == 0.0
    # Sent for tomorrow: not there yet.
    assert posko[ids["posko_unplaced"]]["volunteers"] == 0


def test_a_posko_without_a_point_is_drawn_at_its_desa_centroid_and_says_so(app, geo):  # noqa: F811
    ids = geo.build()
    with app.app_context():
        rows, = [situation.event_posko(db.session, ids["event"], today=TODAY)[1]]
    unplaced = _by(rows, "id")[ids["posko_unplaced"]]
    assert unplaced["is_approximate"] is True
    assert (round(unplaced["lon"], 6), round(unplaced["lat"], 6)) == (102.15, -3.45)


def test_a_closed_posko_is_shown_closed_with_nobody_counted(app, geo):  # noqa: F811
    ids = geo.build()
    with app.app_context():
        _, rows = situation.event_posko(db.session, ids["event"], today=TODAY)
    closed = _by(rows, "id")[ids["posko_closed"]]
    assert (closed["is_open"], closed["persons"], closed["unmet_needs"],
            closed["days_of_cover"]) == (False, 0, [], None)


def test_affected_desa_figures_add_posko_people_households_and_the_latest_rapid_visit(
        app, geo):  # noqa: F811
    ids = geo.build()
    with app.app_context():
        _, areas = situation.event_areas(db.session, ids["event"], today=TODAY)
    desa = _by(areas, "code")
    kahyapu, banjarsari = desa[geo.emergency.DESA], desa[geo.emergency.OTHER_DESA]
    assert set(desa) == {geo.emergency.DESA, geo.emergency.OTHER_DESA}
    # The closed posko's 50 are not displaced any more; the open one shelters 120.
    assert kahyapu["figures"]["displaced"] == 120
    assert kahyapu["figures"]["posko"] == 1
    assert (kahyapu["figures"]["reported_displaced"], kahyapu["figures"]["access_cut"],
            kahyapu["figures"]["reported_houses_heavy"]) == (150, 1, 12)
    assert kahyapu["figures"]["households_assessed"] == 0
    assert (banjarsari["figures"]["displaced"], banjarsari["figures"]["households_assessed"],
            banjarsari["figures"]["houses_heavy"], banjarsari["figures"]["houses_damaged"]
            ) == (45, 4, 2, 1)
    assert kahyapu["parent_name"] == "Enggano"
    assert kahyapu["geometry"].is_valid


def test_an_unknown_event_is_refused_as_unknown(app, geo):  # noqa: F811
    with app.app_context(), pytest.raises(UnknownEvent):
        situation.event_situation(db.session, 999_999, today=TODAY)


def _statements(app, read) -> int:
    seen = []
    with app.app_context():
        engine = db.engine

        def count(*_args):
            seen.append(1)

        sa_event.listen(engine, "before_cursor_execute", count)
        try:
            read(db.session)
        finally:
            sa_event.remove(engine, "before_cursor_execute", count)
        db.session.rollback()
    return len(seen)


def test_the_situation_reads_a_fixed_number_of_queries_whatever_the_posko_count(app, geo):  # noqa: F811
    ids = geo.build()

    def read(session):
        return situation.event_situation(session, ids["event"], today=TODAY)

    few = _statements(app, read)
    add_posko_at_random(geo, 24)
    many = _statements(app, read)
    with app.app_context():
        found = read(db.session)
    assert len(found.posko) == 27
    assert len(found.areas) == 2
    assert many == few <= 30, (few, many)


def test_the_roster_and_stock_layers_read_a_fixed_number_of_queries(app, geo):  # noqa: F811
    ids = geo.build()

    def read(session):
        roster_sites.deployment_rows(session, now=NOW)
        roster_sites.kecamatan_volunteers(session, today=TODAY, now=NOW)
        stock_sites.stock_sites(session, today=TODAY)

    few = _statements(app, read)
    for n in range(6):
        geo.stock.warehouse(name=f"Gudang {n}")
        posko = geo.posko(ids["event"], n, point=geo.emergency.INSIDE)
        geo.dispatching.send(posko_id=posko, volunteers=[
            {"volunteer_id": geo.dispatching.volunteer(), "role": "umum"}],
            period=(NOW - timedelta(hours=1), NOW + timedelta(hours=5)))
    many = _statements(app, read)
    assert many == few <= 15, (few, many)


def test_warehouses_are_coloured_by_stock_and_one_with_no_place_is_left_out(app, geo):  # noqa: F811
    ids = geo.build()
    with app.app_context():
        found = stock_sites.stock_sites(db.session, today=TODAY)
    warehouses = _by(found.warehouses, "id")
    assert ids["nowhere"] not in warehouses
    assert found.unplaced == ["GN"]
    assert warehouses[ids["empty"]]["status"] == "empty"
    assert warehouses[ids["central"]]["status"] == "ok"
    lumbung = warehouses[ids["lumbung"]]
    assert (lumbung["status"], lumbung["lots_expiring"], lumbung["is_approximate"]) == (
        "expiring", 1, True)
    assert warehouses[ids["central"]]["kind_label"] == "Central warehouse"


def test_an_item_under_its_minimum_makes_a_warehouse_low(app, geo):  # noqa: F811
    from logistics.stock.models import MinimumLevel

    ids = geo.build()
    with app.app_context():
        db.session.add(MinimumLevel(warehouse_id=ids["central"], item_id=ids["rice"],
                                    min_qty=5_000))
        db.session.commit()
        rows = stock_sites.warehouse_rows(db.session, today=TODAY)
    central = _by(rows, "id")[ids["central"]]
    assert (central["status"], central["items_low"]) == ("low", 1)


def test_a_transfer_in_transit_runs_from_origin_to_destination(app, geo):  # noqa: F811
    ids = geo.build()
    with app.app_context():
        rows = stock_sites.transfer_rows(db.session)
    transfer, = rows
    assert (transfer["id"], transfer["lines"], transfer["from_name"], transfer["to_name"]) == (
        ids["transfer"], 1, "Gudang Kabupaten", "Lumbung Kahyapu")
    assert (transfer["from_lon"], transfer["from_lat"]) == (102.15, -3.45)
    assert transfer["sent_on"] == TODAY.isoformat()


def test_volunteers_are_counted_per_kecamatan_of_their_home(app, geo):  # noqa: F811
    geo.build()
    with app.app_context():
        rows = roster_sites.kecamatan_volunteers(db.session, today=TODAY, now=NOW)
    kecamatan = _by(rows, "code")
    # Enggano: 3 active at home there (the suspended one is not counted): one deployed now,
    # one away today, one free (sent for tomorrow only).
    assert kecamatan["17.03.01"]["figures"] == {"active": 3, "available": 1, "deployed": 1}
    assert kecamatan["17.03.02"]["figures"] == {"active": 1, "available": 1, "deployed": 0}
    assert set(rows[0]) == {"code", "name", "kind", "parent_name", "geometry", "figures"}


def test_deployments_are_counts_per_posko_by_skill(app, geo):  # noqa: F811
    ids = geo.build()
    with app.app_context():
        rows = roster_sites.deployment_rows(db.session, now=NOW, event_id=ids["event"])
    row, = rows
    assert (row["posko_id"], row["volunteers"], row["equipment"]) == (ids["posko"], 1, 1)
    assert sum(row["by_skill"].values()) == 1
