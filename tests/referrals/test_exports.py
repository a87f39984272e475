"""Case and household lists: numbers in full and audited only for who may export them."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db
from logistics.errors import PermissionDenied
from logistics.referrals import exports
from logistics.referrals.models import Household, PersonalDataAccess
from tests.referrals.case_rows import NOW, add_case, days_ago

CASE_HEADER = ["No.", "Status", "Since", "Days", "Overdue", "Source", "Event", "Desa", "KK",
               "Head", "NIK", "Registered"]
HOUSEHOLD_HEADER = ["KK", "Desa", "Address", "RT", "RW", "Register", "Decile", "Checked",
                    "Head", "NIK", "Members"]


@pytest.fixture
def cases(app, slrt):
    home = [slrt.household() for _ in range(2)]
    for household in home:
        add_case(app, slrt, household, registered_at=days_ago(5))
    add_case(app, slrt, slrt.household(slrt.OTHER_DESA), desa=slrt.OTHER_DESA,
             registered_at=days_ago(2))
    return home


def _sheet(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def _export(app, slrt, username, kind="cases", **area):
    with app.app_context():
        actor = slrt.actor(username)
        if kind == "cases":
            content = exports.export_cases(
                db.session, actor, now=NOW, exported_at="1 Juli 2026",
                labels=exports.Labels("Kasus", CASE_HEADER), **area)
        else:
            content = exports.export_households(
                db.session, actor, exported_at="1 Juli 2026",
                labels=exports.Labels("Keluarga", HOUSEHOLD_HEADER), **area)
        db.session.commit()
        audited = db.session.scalar(select(func.count()).select_from(PersonalDataAccess)
                                    .where(PersonalDataAccess.actor_id == actor.id))
    return _sheet(content), audited


def _full_kk(app, household_ids):
    with app.app_context():
        return set(db.session.scalars(select(Household.kk_number)
                                      .where(Household.id.in_(household_ids))))


@pytest.mark.parametrize("role", ["puskesos_back", "puskesos_manager"])
def test_back_office_and_manager_export_in_full_with_an_audit_row_per_household(
        app, slrt, cases, role):
    user = slrt.staff(role, username=f"x-{role}")
    rows, audited = _export(app, slrt, user)
    assert rows[2] == tuple(CASE_HEADER)
    body = rows[3:]
    assert len(body) == 2  # their Puskesos only
    assert {row[8] for row in body} == _full_kk(app, cases)
    assert all(len(row[10]) == 16 and "*" not in row[10] for row in body)
    assert (body[0][3], body[0][4]) == (5, "ya")  # 5 days in pendaftaran, limit 3
    assert audited == 2
    rows, audited = _export(app, slrt, user, kind="households")
    assert {row[0] for row in rows[3:]} == _full_kk(app, cases)
    assert rows[3][10] == 3
    assert audited == 4


@pytest.mark.parametrize("role", ["admin", "leadership", "puskesos_front"])
def test_everyone_else_gets_masked_numbers_and_leaves_no_audit_row(app, slrt, cases, role):
    user = slrt.staff(role, username=f"x-{role}")
    for kind in ("cases", "households"):
        rows, audited = _export(app, slrt, user, kind=kind)
        kk_column, nik_column = (8, 10) if kind == "cases" else (0, 9)
        for row in rows[3:]:
            assert "*" in row[kk_column]
            assert "*" in row[nik_column]
        assert audited == 0
    everywhere = len(_export(app, slrt, user)[0]) - 3
    assert everywhere == (2 if role == "puskesos_front" else 3)


def test_export_of_another_desa_is_refused_before_anything_is_written(app, slrt, cases):
    manager = slrt.staff("puskesos_manager", username="x-manager")
    with pytest.raises(PermissionDenied):
        _export(app, slrt, manager, desa=slrt.OTHER_DESA)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PersonalDataAccess)) == 0
