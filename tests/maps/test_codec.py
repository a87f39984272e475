"""The compact encodings a map page carries (maps/codec.py). The Python readers follow
lumbung-maps.js step by step, so a round trip here checks what the browser reads."""

from __future__ import annotations

import json
import random

import pytest

from maps import codec
from maps.base import js
from maps.embed import map_parts
from maps.event import event_map
from maps.layers import posko_data
from tests.maps.rows import NO_TILES, area, links, local_url, payload, posko, warehouse


@pytest.mark.parametrize("values", [[], [0], [1, -1, 15, 16, -16, 17], [10_230_000, -540_000],
                                    [2**30, -(2**30)], list(range(-600, 600, 7))])
def test_a_polyline_gives_back_its_integers(values):
    assert codec.unpolyline(codec.polyline(values)) == values


def test_the_polyline_is_googles_encoding():
    # The example of Google's Encoded Polyline Algorithm Format documentation.
    points = [(38.5, -120.2), (40.7, -120.95), (43.252, -126.453)]
    assert codec.polyline(codec.steps(points)) == "_p~iF~ps|U_ulLnnqC_mqNvxq`@"
    assert codec.pairs_of("_p~iF~ps|U_ulLnnqC_mqNvxq`@") == points


def test_a_polyline_is_safe_inside_a_script_and_survives_json():
    text = codec.polyline(range(-5000, 5000, 3))
    assert not set("<>&\"'") & set(text)
    assert json.loads(js(text)) == text


@pytest.mark.parametrize(("suffixes", "stepped"), [
    (["10000", "10001", "10003", "9999"], True),
    (["7"], True),
    ([], True),
    (["12", None, "14"], False),
    (["0012", "13"], False),  # a leading zero would be lost as a number
    (["abc", "12"], False),
])
def test_page_links_come_back_as_they_went(suffixes, stepped):
    values, was_stepped = codec.link_steps(suffixes)
    assert was_stepped is stepped
    assert codec.links_of(values, was_stepped) == suffixes


def test_consecutive_ids_cost_one_digit_each():
    values, stepped = codec.link_steps([str(n) for n in range(10_000, 10_005)])
    assert stepped
    assert values == [10_000, 1, 1, 1, 1]


def test_fields_at_their_default_are_left_off_the_end_only():
    row = [3, "Posko", 0, 1, 0, 0, 5, [], [], None]
    assert codec.trimmed(row, codec.POSKO) == [3, "Posko", 0, 1, 0, 0, 5]
    assert codec.padded(codec.trimmed(row, codec.POSKO), codec.POSKO) == row
    bare = [0, "Posko", 0, None, 0, 0, 0, [], [], None]
    assert codec.trimmed(bare, codec.POSKO) == [0, "Posko", 0, None]  # required stay
    full = [0, "Posko", 0, 1, 0, 0, 0, [], [], 0]  # 0 days of cover is not "no needs"
    assert codec.trimmed(full, codec.POSKO) == full


def random_posko(count: int) -> list[dict]:
    pick = random.Random(7)
    groups = ["Balita", "Lansia", "Ibu hamil", "Penyandang disabilitas"]
    rows = []
    for n in range(count):
        rows.append(posko(
            ident=500 + n * pick.choice([1, 1, 2, 40]), name=f"Posko {n}",
            kind=pick.choice(["posko_utama", "dapur_umum", "tempat_pengungsian"]),
            kind_label="label", lat=round(pick.uniform(-6, 2), 5),
            lon=round(pick.uniform(95, 141), 5), desa_name=pick.choice(["A", "B", "C"]),
            is_open=pick.random() > 0.2, persons=pick.choice([0, 5, 600]),
            groups={g: pick.randint(0, 30) for g in pick.sample(groups, pick.randint(0, 3))},
            unmet_needs=[f"need {pick.randint(0, 5)}" for _ in range(pick.randint(0, 2))],
            days_of_cover=pick.choice([None, 0.0, 2.25, 14.0]),
            volunteers=pick.choice([0, 3]), equipment=pick.choice([0, 1])))
    return rows


def expected(row: dict) -> dict:
    """What a popup shows of a posko row: rounded to 1 m and 0.1 day, zero groups dropped."""
    cover = row["days_of_cover"]
    return {"lat": round(row["lat"], 5), "lon": round(row["lon"], 5), "kind": row["kind"],
            "kind_label": row["kind_label"], "is_open": row["is_open"], "name": row["name"],
            "desa_name": row["desa_name"], "link": links("posko", row["id"]),
            "persons": row["persons"], "volunteers": row["volunteers"],
            "equipment": row["equipment"],
            "groups": {label: n for label, n in row["groups"].items() if n},
            "unmet_needs": row["unmet_needs"],
            "days_of_cover": None if cover is None else round(cover, 1)}


def test_every_posko_reads_back_as_it_was_built():
    rows = random_posko(400)
    data, tables = posko_data(rows, links)
    data = json.loads(js(data))  # what reaches the browser
    assert codec.read_posko(data, {**tables, "link": tables["link"]}) == [
        expected(row) for row in rows]


def test_the_posko_payload_in_a_page_reads_back_and_indexes_repeated_texts():
    rows = random_posko(50)
    script = map_parts(event_map([area()], rows, [warehouse()], links=links, tiles=NO_TILES),
                       local_url).script
    data, ctx = payload(script, "posko")
    assert set(data) == {"at", "rows"}
    assert isinstance(data["at"], str)
    assert sorted(ctx["desa"]) == ["A", "B", "C"]
    assert all(isinstance(row[2], int) for row in data["rows"])
    assert codec.read_posko(data, ctx) == [expected(row) for row in rows]


def test_rows_without_a_page_keep_their_place():
    rows = random_posko(3)
    data, tables = posko_data(rows, lambda kind, ident: None if ident % 2 else f"/p/{ident}")
    read = codec.read_posko(json.loads(js(data)), tables)
    assert [r["link"] for r in read] == [None if row["id"] % 2 else f"/p/{row['id']}"
                                         for row in rows]
