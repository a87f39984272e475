"""Imports of KoboToolbox / ODK exports: all or nothing, every bad row listed, re-import updates."""

from __future__ import annotations

import csv
import io
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db
from logistics.accounts import queries as account_queries
from logistics.core import identity
from logistics.core.identity import parse_kk, parse_nik
from logistics.emergency import kobo
from logistics.emergency.assessment_models import HouseholdAssessment, HouseholdMember
from logistics.errors import DomainError
from logistics.regions.models import Region
from seeds.forms import build_samples

FORMS = Path(build_samples.__file__).parent
KETAHUN = "17.03.12"


@pytest.fixture
def ketahun(app, emergency):
    """An event over kecamatan Ketahun and its real desa codes, opened before the sample."""
    emergency.ensure_regions()
    with app.app_context():
        if db.session.get(Region, KETAHUN) is None:
            db.session.add(Region(code=KETAHUN, parent_code="17.03", level=3, kind="kecamatan",
                                  name="Ketahun", source="test"))
        for code, name in build_samples.DESA:
            if db.session.get(Region, code) is None:
                db.session.add(Region(code=code, parent_code=KETAHUN, level=4, kind="desa",
                                      name=name, source="test"))
        db.session.commit()
    return emergency.event(region_codes=[KETAHUN], started_on=date(2026, 11, 23),
                           name="Banjir Air Ketahun")


def _import(app, event_id, content, name="export.xlsx", members=None):
    with app.app_context():
        export = kobo.read_export(content, name, members=members)
        actor = account_queries.get_user_by_username(db.session, "emergency-admin")
        summary = kobo.import_households(db.session, actor=actor, event_id=event_id,
                                         export=export, today=date(2026, 12, 1))
        db.session.commit()
        return summary


def _counts(app):
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(HouseholdAssessment)),
                db.session.scalar(select(func.count()).select_from(HouseholdMember)))


def _refused(app, event_id, content, name="export.xlsx", members=None) -> list[kobo.Problem]:
    with pytest.raises(kobo.ImportInvalid) as refused:
        _import(app, event_id, content, name, members)
    return refused.value.problems


def test_the_sample_export_imports_and_again_updates_without_duplicates(app, ketahun):
    content = (FORMS / "sample_export.xlsx").read_bytes()
    rows = build_samples.households()
    first = _import(app, ketahun, content)
    assert (first.rows, first.created, first.updated) == (8, 8, 0)
    members = sum(len(row["members"]) for row in rows)
    assert _counts(app) == (8, members)
    again = _import(app, ketahun, content)
    assert (again.created, again.updated) == (0, 8)
    assert _counts(app) == (8, members)
    with app.app_context():
        household = db.session.scalar(select(HouseholdAssessment).where(
            HouseholdAssessment.submission_id == rows[0]["uuid"]))
        assert household.head_name == rows[0]["head_name"]
        assert household.members[0].name == rows[0]["head_name"]  # the head first
        assert household.lost_livelihood is (rows[0]["lost_livelihood"] == "ya")


def test_the_odk_csv_with_its_members_file_is_the_same_submissions(app, ketahun):
    main, members = build_samples.odk_csv(build_samples.households())
    assert main == (FORMS / "sample_export.csv").read_bytes()
    first = _import(app, ketahun, main, "sample_export.csv", members=members)
    assert first.created == 8
    assert first.members == _counts(app)[1] > 8
    # The same submissions from Kobo's XLSX update the households the CSV made.
    again = _import(app, ketahun, (FORMS / "sample_export.xlsx").read_bytes())
    assert (again.created, again.updated) == (0, 8)
    zipped = _import(app, ketahun, build_samples.odk_zip(build_samples.households()),
                     "export.zip")
    assert (zipped.created, zipped.updated) == (0, 8)


def test_an_edited_row_changes_the_record_and_replaces_its_members(app, ketahun):
    rows = build_samples.households()
    _import(app, ketahun, build_samples.kobo_xlsx(rows))
    rows[2]["house_damage"] = "rusak_berat"
    rows[2]["head_name"] = "Syamsul Bahri"
    rows[2]["members"] = rows[2]["members"][:1]
    rows[2]["members"][0]["name"] = "Syamsul Bahri"
    summary = _import(app, ketahun, build_samples.kobo_xlsx(rows))
    assert (summary.created, summary.updated) == (0, 8)
    with app.app_context():
        household = db.session.scalar(select(HouseholdAssessment).where(
            HouseholdAssessment.submission_id == rows[2]["uuid"]))
        assert (household.head_name, household.house_damage) == ("Syamsul Bahri", "rusak_berat")
        assert [m.name for m in household.members] == ["Syamsul Bahri"]


def _bad_nik(content: bytes, sheet_row: int) -> bytes:
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    column = next(cell.column for cell in sheet[1] if cell.value == "household/head_nik")
    sheet.cell(row=sheet_row, column=column, value="1703-12")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_one_bad_row_among_fifty_writes_nothing_and_names_that_row(app, ketahun):
    content = _bad_nik(build_samples.kobo_xlsx(build_samples.households(50)), 38)
    problems = _refused(app, ketahun, content)
    assert [(p.row, p.column) for p in problems] == [(38, "head_nik")]
    assert problems[0].message == identity.NOT_SIXTEEN_DIGITS_NIK
    assert _counts(app) == (0, 0)


def test_the_sample_files_carry_only_numbers_the_rule_accepts():
    """The documented sample import must keep working under the real NIK and No. KK rule."""
    checked = 0
    for name in ("sample_export.csv", "sample_export-members.csv"):
        for line in csv.DictReader(io.StringIO((FORMS / name).read_text("utf-8"))):
            for column, value in line.items():
                if value and column.endswith("nik"):
                    assert parse_nik(value, today=date(2026, 12, 1)).kecamatan_code == KETAHUN
                    checked += 1
                elif value and column.endswith("kk_number"):
                    assert parse_kk(value) == value
                    checked += 1
    assert checked > 20


def test_a_nik_of_no_kecamatan_or_no_birth_date_names_its_row_and_writes_nothing(app, ketahun):
    rows = build_samples.households(8)
    rows[2]["head_nik"] = rows[2]["members"][0]["nik"] = "179999" + rows[2]["head_nik"][6:]
    member = next(m for m in rows[5]["members"][1:] if m["nik"])
    member["nik"] = member["nik"][:6] + "310490" + member["nik"][12:]  # 31 April
    rows[6]["kk_number"] = "170312" + rows[6]["kk_number"][6:12] + "0000"
    main, members = build_samples.odk_csv(rows)
    problems = _refused(app, ketahun, main, "export.csv", members=members)
    member_row = 2 + sum(len(row["members"]) for row in rows[:5]) + rows[5]["members"].index(
        member)
    assert {(p.sheet, p.row, p.column, p.message) for p in problems} == {
        ("export.csv", 4, "head_nik", identity.UNKNOWN_REGION),
        ("members.csv", 2 + sum(len(row["members"]) for row in rows[:2]), "member_nik",
         identity.UNKNOWN_REGION),
        ("members.csv", member_row, "member_nik", identity.NOT_A_BIRTH_DATE),
        ("export.csv", 8, "kk_number", identity.ZERO_SERIAL)}
    assert _counts(app) == (0, 0)
    # The same rows from Kobo's XLSX: the same rows named, on its sheets.
    problems = _refused(app, ketahun, build_samples.kobo_xlsx(rows))
    assert sorted((p.row, p.column) for p in problems if p.column != "member_nik") == [
        (4, "head_nik"), (8, "kk_number")]
    assert sorted(p.message for p in problems if p.column == "member_nik") == sorted(
        [identity.UNKNOWN_REGION, identity.NOT_A_BIRTH_DATE])
    assert _counts(app) == (0, 0)


def test_every_bad_row_is_listed_when_every_row_fails(app, ketahun):
    rows = build_samples.households(6)
    for row in rows:
        row["desa_code"] = "17.03.07.1027"  # Kota Arga Makmur: not in the event
    rows[1]["house_damage"] = "hancur"
    rows[3]["members"][0]["sex"] = "X"
    emergency_desa = "17.03.07.1027"
    with app.app_context():
        db.session.add_all([Region(code="17.03.07", parent_code="17.03", level=3,
                                   kind="kecamatan", name="Kota Arga Makmur", source="test"),
                            Region(code=emergency_desa, parent_code="17.03.07", level=4,
                                   kind="kelurahan", name="Gunung Alam", source="test")])
        db.session.commit()
    main, members = build_samples.odk_csv(rows)
    problems = _refused(app, ketahun, main, "export.csv", members=members)
    desa_rows = sorted(p.row for p in problems if p.column == "desa_code")
    assert desa_rows == [2, 3, 4, 5, 6, 7]
    assert any(p.row == 3 and p.column == "house_damage" for p in problems)
    member_problem = next(p for p in problems if p.column == "member_sex")
    assert member_problem.sheet == "export-members.csv" or member_problem.sheet.endswith(".csv")
    assert _counts(app) == (0, 0)


def test_a_member_whose_household_is_missing_and_a_repeated_submission_are_listed(app, ketahun):
    rows = build_samples.households(3)
    main, members = build_samples.odk_csv(rows)
    lines = main.decode().splitlines()
    main = "\n".join([*lines, lines[1]]).encode()  # the first submission twice
    members += b"Orphan,,L,3,anak,tidak,tidak,tidak,uuid:nobody,uuid:nobody/members[1]\n"
    problems = _refused(app, ketahun, main, "export.csv", members=members)
    assert [(p.row, p.column) for p in problems if p.sheet == "export.csv"] == [(5, "_uuid")]
    assert any(p.column == "_parent_index" for p in problems)
    assert _counts(app) == (0, 0)


def test_a_file_without_submission_ids_or_columns_is_refused_on_the_header(app, ketahun):
    problems = _refused(app, ketahun, b"nama;desa\nAhmad;Urai\n", "x.csv")
    assert {p.column for p in problems} >= {"desa_code", "head_name", "house_damage", "_uuid"}
    assert {p.row for p in problems} == {1}


def test_group_paths_in_headers_name_the_field():
    assert kobo.column_key("household/head_name") == "head_name"
    assert kobo.column_key("household-head_name") == "head_name"
    assert kobo.column_key("meta/instanceID") == "instanceid"
    assert kobo.column_key("_submission__uuid") == "_submission__uuid"


def _at_once(app, event_ids, content) -> list:
    """Import ``content`` into each event at the same moment; each outcome is the summary's
    (created, updated) or the refusal's class name (any other error: a 500)."""
    barrier = threading.Barrier(len(event_ids))

    def one(event_id):
        with app.app_context():
            export = kobo.read_export(content, "export.xlsx")
            actor = account_queries.get_user_by_username(db.session, "emergency-admin")
            db.session.rollback()  # no transaction open while waiting
            barrier.wait()
            try:
                summary = kobo.import_households(db.session, actor=actor, event_id=event_id,
                                                 export=export, today=date(2026, 12, 1))
                db.session.commit()
                return summary.created, summary.updated
            except DomainError as refused:
                db.session.rollback()
                return type(refused).__name__
            except Exception as error:  # noqa: BLE001  (what a 500 would be)
                db.session.rollback()
                return f"500 {type(error).__name__}: {error}"

    with ThreadPoolExecutor(len(event_ids)) as pool:
        return list(pool.map(one, event_ids))


def test_one_export_imported_twice_at_once_creates_then_updates(app, ketahun):
    """Imports into one event queue on the event: the second finds the first's households
    and updates them, so both assessors succeed (no 409 to retry, no 500)."""
    for round_ in range(3):  # each round its own submissions (the seed makes the uuids)
        rows = build_samples.households(30, seed=round_)
        outcomes = _at_once(app, [ketahun, ketahun], build_samples.kobo_xlsx(rows))
        assert sorted(outcomes) == [(0, 30), (30, 0)]
    assert _counts(app)[0] == 90


def test_one_export_imported_into_two_events_at_once_lands_in_one(app, ketahun, emergency):
    """Two events' imports do not queue on each other: whichever saves a submission second
    is refused (the unique key's declared rule, or the check naming the other event)."""
    other = emergency.event(region_codes=[KETAHUN], started_on=date(2026, 11, 23),
                            name="Longsor Ketahun")
    rows = build_samples.households(30)
    outcomes = _at_once(app, [ketahun, other], build_samples.kobo_xlsx(rows))
    assert (30, 0) in outcomes, outcomes
    assert [o for o in outcomes if o != (30, 0)][0] in ("ImportInvalid",
                                                        "SubmissionImportedAtOnce"), outcomes
    with app.app_context():
        assert len({h.event_id for h in db.session.scalars(select(HouseholdAssessment))}) == 1
    assert _counts(app)[0] == 30
