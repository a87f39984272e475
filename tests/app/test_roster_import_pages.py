"""The roster import as a coordinator meets it: the page lists every bad row in Indonesian and
writes nothing, the API answers the counts or every bad row, the shell command does the same."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from app.extensions import db
from logistics.roster.models import Volunteer
from seeds.forms import build_roster_sample as sample
from tests.roster.test_roster_import import person

PAGE, API = "/roster/import", "/api/v1/roster/imports"


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Volunteer))


def _lines(roster, bad_row: int | None = None) -> list[list]:
    lines = [person(roster, n, kind="Tagana" if n % 5 == 0 else "Sahabat Tagana")
             for n in range(1, 16)]
    if bad_row is not None:
        lines[bad_row - 2] = person(roster, bad_row - 1, **{"Jenis Kelamin": "X"})
    return lines


def test_the_page_lists_every_bad_row_in_indonesian_then_imports_the_corrected_sheet(
        app, client, auth, roster):
    auth.login(roster.coordinator())
    roster.seed_skills()
    bad = sample.xlsx_bytes(_lines(roster, bad_row=9))
    response = client.post(PAGE, data={"file": (io.BytesIO(bad), "daftar.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'data-testid="import-problems"' in html
    assert "Tulis L (laki-laki) atau P (perempuan)." in html
    assert "<td data-label=\"Baris\">9</td>" in html
    assert _count(app) == 0
    good = sample.csv_bytes(_lines(roster))
    for _ in range(2):  # the corrected sheet, then the same again: no one twice
        response = client.post(PAGE, data={"file": (io.BytesIO(good), "daftar.csv")},
                               content_type="multipart/form-data")
        assert response.status_code == 200
        assert 'data-testid="import-summary"' in response.get_data(as_text=True)
    assert _count(app) == 15
    assert "roster/import" in client.get("/roster/volunteers").get_data(as_text=True)


def test_the_api_answers_the_counts_or_every_bad_row(app, client, auth, roster):
    headers = auth.headers(roster.coordinator())
    roster.seed_skills()
    bad = sample.csv_bytes(_lines(roster, bad_row=4))
    response = client.post(API, headers=headers, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(bad), "daftar.csv")})
    assert response.status_code == 422
    assert [(row["row"], row["column"]) for row in response.get_json()["errors"]["rows"]] == [
        (4, "Jenis Kelamin")]
    good = sample.xlsx_bytes(_lines(roster))
    response = client.post(API, headers=headers, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(good), "daftar.xlsx")})
    assert response.status_code == 201, response.get_json()
    assert response.get_json() == {"rows": 15, "created": 15, "updated": 0, "promoted": 0,
                                   "unchanged": 0}
    response = client.post(API, headers=headers, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(b"\x00\x01 not a sheet"), "x.csv")})
    assert response.status_code == 422
    assert _count(app) == 15


def test_the_shell_command_imports_or_lists_every_problem(app, runner, roster, tmp_path):
    username = roster.coordinator()
    roster.seed_skills()
    bad, good = tmp_path / "bad.xlsx", tmp_path / "good.csv"
    bad.write_bytes(sample.xlsx_bytes(_lines(roster, bad_row=7)))
    good.write_bytes(sample.csv_bytes(_lines(roster)))
    result = runner.invoke(args=["roster", "import", str(bad), "--user", username])
    assert result.exit_code == 1
    assert "row 7, Jenis Kelamin: Tulis L (laki-laki) atau P (perempuan)." in result.output
    assert _count(app) == 0
    result = runner.invoke(args=["roster", "import", str(good), "--user", username])
    assert result.exit_code == 0, result.output
    assert "15 rows: 15 registered" in result.output
    result = runner.invoke(args=["roster", "import", str(good), "--user", "nobody"])
    assert result.exit_code == 1
    assert _count(app) == 15
