"""Importing a roster sheet: all or nothing, every bad row listed, a second import updates by NIA
or NIK and never adds anyone twice, never takes Tagana status away; CSV and XLSX alike."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from logistics.accounts import queries
from logistics.core.identity import make_nik
from logistics.core.sheet_import import ImportInvalid
from logistics.regions import operations as regions
from logistics.roster import roster_import, roster_read, skills
from logistics.roster.models import Promotion, Volunteer, VolunteerKind
from seeds import boundaries
from seeds.forms import build_roster_sample as sample
from tests.roster.factories import COORDINATOR

FORMS = Path(sample.__file__).parent
TODAY = date(2026, 12, 1)
FORMATS = {"xlsx": sample.xlsx_bytes, "csv": sample.csv_bytes}


def person(roster, number: int, *, kind="Sahabat Tagana", desa=None, **changes) -> list:
    """Row ``number`` of a sheet in the sample's columns, a different person per number."""
    birth = date(1980 + number % 20, 1 + number % 12, 1 + number % 27)
    sex = "P" if number % 3 == 0 else "L"
    values = {
        "No": number, "Jenis *": kind,
        "NIA": f"TGN 1703 {number:04d}" if kind == "Tagana" else None,
        "Nama *": f"Relawan Impor {number}",
        "NIK *": make_nik(roster.KECAMATAN, birth, "F" if sex == "P" else "M", 2000 + number),
        "Jenis Kelamin": sex, "Tanggal Lahir": birth, "Telepon": f"0812-7000-{number:04d}",
        "Kode Desa *": desa or (roster.DESA if number % 2 else roster.OTHER_DESA),
        "Bujur": None, "Lintang": None, "Status": "aktif", "Bergabung": date(2020, 3, 1),
        "Legiun": None, "Keahlian": "dapur_umum:2; ldp" if number % 2 else "evakuasi",
        "Catatan": None}
    values.update(changes)
    return [values[name] for name in sample.HEADER]


def sheet(roster, count: int, fmt="xlsx", replace=None) -> bytes:
    """``count`` people, every fifth a Tagana; ``replace`` maps row numbers to other rows."""
    lines = [person(roster, n, kind="Tagana" if n % 5 == 0 else "Sahabat Tagana")
             for n in range(1, count + 1)]
    for number, line in (replace or {}).items():
        lines[number - 2] = line  # sheet row 2 is the first person
    return FORMATS[fmt](lines)


def run(app, content: bytes, name="roster.xlsx", today=TODAY) -> roster_import.Summary:
    with app.app_context():
        table = roster_read.read_roster(content, name)
        summary = roster_import.import_roster(db.session, actor=RosterActor.get(), table=table,
                                              today=today)
        db.session.commit()
        return summary


def refused(app, content: bytes, name="roster.xlsx") -> list:
    with pytest.raises(ImportInvalid) as error:
        run(app, content, name)
    return error.value.problems


class RosterActor:
    username = COORDINATOR

    @classmethod
    def get(cls):
        return queries.get_user_by_username(db.session, cls.username)


def count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Volunteer))


@pytest.fixture
def world(app, roster):
    roster.coordinator()
    roster.seed_skills()
    return roster


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_sheet_imports_whole_and_importing_it_again_adds_no_one(app, world, fmt):
    content = sheet(world, 40, fmt)
    summary = run(app, content, f"daftar.{fmt}")
    assert (summary.rows, summary.created, summary.updated) == (40, 40, 0)
    again = run(app, content, f"daftar.{fmt}")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 40)
    assert count(app) == 40
    with app.app_context():
        tagana = db.session.scalar(select(Volunteer).where(Volunteer.nia == "TGN 1703 0005"))
        assert tagana.kind == VolunteerKind.TAGANA
        assert tagana.phone == "+6281270000005"
        assert {(s.skill_code, s.level) for s in tagana.skills} == {("dapur_umum", 2), ("ldp", 1)}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_one_bad_row_among_many_imports_nothing_and_is_named(app, world, fmt):
    bad = person(world, 23, **{"NIK *": "17030112345"})
    problems = refused(app, sheet(world, 60, fmt, {24: bad}), f"daftar.{fmt}")
    assert [(p.row, p.column) for p in problems] == [(24, "NIK *")]
    assert count(app) == 0


def test_every_bad_row_is_listed_with_its_column_and_nothing_is_written(app, world):
    outside = person(world, 9, Bujur=101.0, Lintang=-3.0)
    bad = {
        3: person(world, 2, **{"Tanggal Lahir": "31/02/1990"}),
        5: person(world, 4, **{"Kode Desa *": "17.03.99.2001"}),
        8: person(world, 7, kind="Tagana", NIA=None),
        10: outside,
        12: person(world, 11, Legiun="ya"),
        14: person(world, 13, Keahlian="dapur_umum:2; terbang"),
        16: person(world, 15, kind="Relawan"),
        18: person(world, 17, **{"NIK *": int(make_nik("17.03.01", date(1990, 1, 1), "M", 17))}),
        20: person(world, 19, Keahlian="ldp:5"),
        22: person(world, 21, Bergabung=date(2030, 1, 1)),
    }
    problems = refused(app, sheet(world, 30, replace=bad))
    assert [(p.row, p.column) for p in problems] == [
        (3, "Tanggal Lahir"), (5, "Kode Desa *"), (8, "NIA"), (10, "Lintang"), (12, "Legiun"),
        (14, "Keahlian"), (16, "Jenis *"), (18, "NIK *"), (20, "Keahlian"), (22, "Bergabung")]
    assert problems[0].message == roster_read.DATE_WORDS
    assert problems[7].message == roster_read.NIK_AS_NUMBER
    assert problems[5].params == {"code": "terbang"}
    assert count(app) == 0


def test_the_same_person_twice_in_one_file_is_a_problem_on_the_later_row(app, world):
    twin = person(world, 3)
    twin[sample.HEADER.index("Nama *")] = "Nama Lain"
    same_nia = person(world, 29, kind="Tagana", NIA="TGN 1703 0005")
    problems = refused(app, sheet(world, 12, replace={8: twin, 11: same_nia}))
    assert [(p.row, p.column, p.params) for p in problems] == [
        (8, "NIK *", {"row": 4}), (11, "NIA", {"row": 6})]
    assert count(app) == 0


def test_reimport_finds_a_tagana_by_nia_and_corrects_the_nik(app, world):
    run(app, sheet(world, 10))
    corrected = person(world, 5, kind="Tagana", **{
        "NIK *": make_nik(world.KECAMATAN, date(1985, 6, 6), "M", 7777),
        "Tanggal Lahir": date(1985, 6, 6), "Telepon": "0813 9999 0005"})
    summary = run(app, sheet(world, 10, replace={6: corrected}))
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 9)
    assert count(app) == 10
    with app.app_context():
        tagana = db.session.scalar(select(Volunteer).where(Volunteer.nia == "TGN 1703 0005"))
        assert tagana.birth_date == date(1985, 6, 6)
        assert tagana.phone == "+6281399990005"


def test_reimport_finds_a_sahabat_by_nik_updates_and_promotes_through_the_history(app, world):
    run(app, sheet(world, 10))
    renamed = person(world, 3, Telepon=None, **{"Nama *": "Rina Marlina"})
    promoted = person(world, 4, kind="Tagana", NIA="TGN 1703 9904")
    summary = run(app, sheet(world, 10, replace={4: renamed, 5: promoted}))
    assert (summary.created, summary.updated, summary.promoted) == (0, 2, 1)
    assert count(app) == 10
    with app.app_context():
        rina = db.session.scalar(select(Volunteer).where(Volunteer.name == "Rina Marlina"))
        assert rina.phone == "+6281270000003"  # a blank cell changes nothing
        tagana = db.session.scalar(select(Volunteer).where(Volunteer.nia == "TGN 1703 9904"))
        assert tagana.kind == VolunteerKind.TAGANA
        history = db.session.scalars(select(Promotion).where(
            Promotion.volunteer_id == tagana.id)).all()
        assert [(p.nia, p.promoted_on) for p in history] == [("TGN 1703 9904", TODAY)]


def test_a_tagana_is_never_made_sahabat_tagana_by_an_import(app, world):
    run(app, sheet(world, 10))
    demoted = person(world, 5, kind="Sahabat Tagana")
    problems = refused(app, sheet(world, 10, replace={6: demoted}))
    assert [(p.row, p.column, p.message) for p in problems] == [
        (6, "Jenis *", roster_import.NO_DEMOTION)]
    with app.app_context():
        assert db.session.scalar(select(Volunteer.kind).where(
            Volunteer.nia == "TGN 1703 0005")) == VolunteerKind.TAGANA


def test_a_nik_of_one_person_and_an_nia_of_another_is_refused(app, world):
    run(app, sheet(world, 10))
    mixed = person(world, 3, kind="Tagana", NIA="TGN 1703 0005")
    problems = refused(app, sample.xlsx_bytes([person(world, 1), mixed]))
    assert [(p.row, p.column, p.params["nia_name"]) for p in problems] == [
        (3, "NIA", "Relawan Impor 5")]


def test_a_missing_or_unknown_column_is_named_in_the_header_row(app, world):
    lines = [person(world, 1)]
    content = sample.csv_bytes(lines).replace(b"Kode Desa *", b"Desa").replace(
        b"Tanggal Lahir", b"Tangal Lahir")
    problems = refused(app, content, "daftar.csv")
    assert {(p.row, p.column) for p in problems} == {
        (1, "kode_desa"), (1, "Desa"), (1, "Tangal Lahir")}


def test_the_sample_sheets_import_onto_the_real_kabupaten_and_again_change_nothing(
        app, make_user):
    make_user(role="coordinator", username=RosterActor.username)
    with app.app_context():
        regions.import_regions(db.session, code="17.03")
        boundaries.attach(db.session, "17.03")
        skills.seed_defaults(db.session)
        db.session.commit()
    first = run(app, (FORMS / "contoh_daftar_tagana.xlsx").read_bytes())
    assert (first.created, first.rows) == (10, 10)
    again = run(app, (FORMS / "contoh_daftar_tagana.csv").read_bytes(), "contoh.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 10)
    # The committed files are what the builder makes.
    assert (FORMS / "contoh_daftar_tagana.csv").read_bytes() == sample.csv_bytes()
