"""The stock card as a keeper knows it on paper: oldest first, dari/kepada, running balance."""

import io
import re
from html import unescape

import pytest
from flask_babel import force_locale, gettext
from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db
from logistics.accounts.models import User
from logistics.stock import operations

RAW_KINDS = ("receipt", "issue", "transfer", "transfer_receipt", "adjustment", "reversal")


def in_indonesian(app, message: str, **params) -> str:
    with app.test_request_context(), force_locale("id"):
        return gettext(message, **params)


@pytest.fixture
def card(app, stock, make_user, auth):
    """A rice card at one warehouse: a donor's receipt, a release, a transfer out, a write-off."""
    warehouse = stock.warehouse(name="Gudang Kerkap")
    other = stock.warehouse(name="Lumbung Sosial Ketahun", kind="lumbung_sosial")
    rice = stock.item(code="BRS", name_id="Beras")
    stock.receive(warehouse, rice, 5, batch_no="KMS-1")  # Kemensos, the default source
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "stock-admin"))
        receipt = operations.receive_stock(
            db.session, actor=admin, warehouse_id=warehouse, source="donor",
            donor_name="PT Maju Jaya", supplier_ref="SJ-77",
            lines=[{"item_id": rice, "qty": 40, "batch_no": "DON-1", "expires_on": None}])
        donated = receipt.movements[0].lot_id
        operations.issue_stock(
            db.session, actor=admin, warehouse_id=warehouse, recipient_kind="other",
            recipient_name="Kantor Desa Air Lais", giver_name="Siti", receiver_name="Rahmat",
            lines=[{"item_id": rice, "qty": 10, "lot_id": donated}])
        operations.transfer_stock(
            db.session, actor=admin, warehouse_id=warehouse, to_warehouse_id=other,
            lines=[{"item_id": rice, "qty": 8, "lot_id": donated}])
        operations.adjust_stock(
            db.session, actor=admin, warehouse_id=warehouse, reason="damaged",
            lines=[{"item_id": rice, "lot_id": donated, "qty": -2}])
        db.session.commit()
    auth.login(make_user("leadership"))
    return {"url": f"/stock/warehouses/{warehouse}/items/{rice}/card",
            "warehouse": warehouse, "rice": rice, "other": "Lumbung Sosial Ketahun"}


def rows_of(page: str) -> list[dict]:
    """Each stock card row as {column label: text}, read from the cells' data-label."""
    table = page.split('data-testid="stock-card"', 1)[1].split("</table>", 1)[0]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], re.S):
        cells = re.findall(r'<td data-label="([^"]+)"[^>]*>(.*?)</td>', row, re.S)
        rows.append({unescape(label): " ".join(unescape(re.sub(r"<[^>]+>", " ", text)).split())
                     for label, text in cells})
    return rows


def column(app, name):
    return in_indonesian(app, name)


def test_paper_order_reads_oldest_first_with_dari_kepada_and_running_balance(app, client,
                                                                              card):
    newest = rows_of(client.get(card["url"]).get_data(as_text=True))
    page = client.get(card["url"] + "?order=paper").get_data(as_text=True)
    paper = rows_of(page)
    balance, in_, out = column(app, "Balance"), column(app, "In"), column(app, "Out")
    assert [row[balance] for row in paper] == ["5", "45", "35", "27", "25"]
    assert [row[balance] for row in newest] == ["25", "27", "35", "45", "5"]
    assert [(row[in_], row[out]) for row in paper] == [
        ("5", ""), ("40", ""), ("", "10"), ("", "8"), ("", "2")]
    from_to = [row[column(app, "From/To")] for row in paper]
    assert from_to == [
        in_indonesian(app, "Kemensos"),
        in_indonesian(app, "%(source)s: %(donor)s", source=in_indonesian(app, "Donor"),
                      donor="PT Maju Jaya") + " · SJ-77",
        "Kantor Desa Air Lais", card["other"], in_indonesian(app, "damaged")]
    documents = [row[column(app, "Document")] for row in paper]
    for document, kind in zip(documents, ("Receipt", "Receipt", "Release (BAST)", "Transfer",
                                          "Adjustment"), strict=True):
        assert document.endswith(in_indonesian(app, kind))
    assert in_indonesian(app, "Donor") in paper[1][column(app, "Lot")]
    assert "PT Maju Jaya" in paper[1][column(app, "Lot")]
    for row in paper:  # kinds and sources are words, never the stored values
        assert not set(" ".join(row.values()).split()) & {*RAW_KINDS, "donor", "kemensos"}
    assert in_indonesian(app, "Newest first") in page


def test_paper_order_pages_by_key_without_gaps_or_repeats(app, client, card, monkeypatch):
    monkeypatch.setattr("app.stock.views.PAGE_SIZE", 2)
    url, seen = card["url"] + "?order=paper", []
    for _ in range(5):
        page = client.get(url).get_data(as_text=True)
        seen += [row[column(app, "Balance")] for row in rows_of(page)]
        later = re.search(r'href="([^"]*after=\d+[^"]*)"', page)
        if not later:
            break
        url = unescape(later[1])
        assert "order=paper" in url
    assert seen == ["5", "45", "35", "27", "25"]
    newest, url = [], card["url"]
    for _ in range(5):
        page = client.get(url).get_data(as_text=True)
        newest += [row[column(app, "Balance")] for row in rows_of(page)]
        older = re.search(r'href="([^"]*after=\d+[^"]*)"', page)
        if not older:
            break
        url = unescape(older[1])
    assert newest == ["25", "27", "35", "45", "5"]


def test_printed_card_is_in_paper_order_under_the_letterhead(app, client, card):
    page = client.get(card["url"] + "/print").get_data(as_text=True)
    assert [row[column(app, "Balance")] for row in rows_of(page)] == ["5", "45", "35", "27", "25"]
    assert "PEMERINTAH KABUPATEN BENGKULU UTARA" in page
    assert "Kantor Desa Air Lais" in page


def test_printed_card_keeps_the_newest_lines_when_it_is_cut(app, client, card, monkeypatch):
    monkeypatch.setattr("app.stock.views.PRINT_LINES", 3)
    page = client.get(card["url"] + "/print").get_data(as_text=True)
    assert [row[column(app, "Balance")] for row in rows_of(page)] == ["35", "27", "25"]


def test_card_xlsx_is_in_paper_order_with_words_for_kinds_sources_and_donors(app, client, card):
    response = client.get(f"/stock/warehouses/{card['warehouse']}/items/{card['rice']}/card.xlsx")
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    header, lines = rows[2], rows[3:]
    assert header[7:] == tuple(column(app, name) for name in ("From/To", "Source", "Donor"))
    assert [line[6] for line in lines] == [5, 45, 35, 27, 25]
    assert [line[2] for line in lines] == [in_indonesian(app, kind) for kind in (
        "Receipt", "Receipt", "Release (BAST)", "Transfer", "Adjustment")]
    assert lines[1][7:] == (
        in_indonesian(app, "%(source)s: %(donor)s", source=in_indonesian(app, "Donor"),
                      donor="PT Maju Jaya") + " · SJ-77",
        in_indonesian(app, "Donor"), "PT Maju Jaya")
    assert lines[0][8:] == (in_indonesian(app, "Kemensos"), None)
    assert lines[2][7] == "Kantor Desa Air Lais"
    assert lines[3][7] == card["other"]


def test_the_cli_card_speaks_english(app, runner, card, tmp_path):
    target = tmp_path / "card.xlsx"
    with app.app_context():
        from logistics.stock.models import Warehouse
        code = db.session.get(Warehouse, card["warehouse"]).code
    assert runner.invoke(args=["stock", "export-card", code, "BRS", str(target)]).exit_code == 0
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[2][7:] == ("From/To", "Source", "Donor")
    assert [line[2] for line in rows[3:]] == [
        "Receipt", "Receipt", "Release (BAST)", "Transfer", "Adjustment"]
    assert rows[4][8:] == ("Donor", "PT Maju Jaya")
