"""The printed BAST reads like an official letter: kop surat, the date in words, and each
signer's jabatan and NIP under the name; printing any page leaves the menu and buttons off."""

import re

import pytest
from flask_babel import force_locale, gettext

from tests.app.test_stock_pages import form_token

DATED = "2025-01-11"  # a Saturday


def in_indonesian(app, message: str, **params) -> str:
    with app.test_request_context(), force_locale("id"):
        return gettext(message, **params)


@pytest.fixture
def shelf(stock, make_user, auth):
    keeper = make_user("warehouse_keeper")
    warehouse = stock.warehouse(keepers=[keeper], name="Gudang Kerkap")
    tarp = stock.item(code="TRP", name_id="Terpal", category="hunian", base_unit="lembar")
    stock.receive(warehouse, tarp, 30, batch_no="TRP-1")
    auth.login(keeper)
    return {"warehouse": warehouse, "tarp": tarp, "keeper": keeper}


def release(client, shelf, **fields):
    url = f"/stock/warehouses/{shelf['warehouse']}/issue"
    form = {"form_token": form_token(client, url), "recipient_kind": "other",
            "recipient_name": "Desa Air Lais", "giver_name": "Siti Aminah",
            "receiver_name": "Rahmat", "witness_name": "Pak Kades", "document_date": DATED,
            "item_id": [shelf["tarp"], ""], "qty": ["10", ""], "lot_id": ["", ""], **fields}
    return client.post(url, data=form)


def test_printed_bast_has_letterhead_date_in_words_and_signers(app, client, shelf):
    posted = release(client, shelf, giver_position="Kepala Gudang",
                     giver_nip="19780312 200501 1 003", receiver_position="Koordinator Posko",
                     witness_nip="198001012010011002")
    assert posted.status_code == 302
    page = client.get(posted.location + "/print").get_data(as_text=True)
    letterhead = page.split('data-testid="letterhead"', 1)[1].split("</header>", 1)[0]
    assert "PEMERINTAH KABUPATEN BENGKULU UTARA" in letterhead
    assert "DINAS SOSIAL" in letterhead
    opening = re.search(r'data-testid="date-in-words">(.*?)</p>', page, re.S)[1]
    assert opening.startswith("Pada hari ini Sabtu tanggal sebelas bulan Januari tahun dua ribu "
                              "dua puluh lima, ")
    assert "Desa Air Lais" in opening
    assert re.search(r'data-testid="giver-position">Kepala Gudang<', page)
    assert re.search(r'data-testid="giver-nip">NIP 19780312 200501 1 003<', page)
    assert re.search(r'data-testid="receiver-position">Koordinator Posko<', page)
    assert 'data-testid="receiver-nip"' not in page  # none given, no empty "NIP"
    assert re.search(r'data-testid="witness-nip">NIP 19800101 201001 1 002<', page)
    assert re.search(r'data-testid="line-qty"><span>10 lembar</span>', page)
    assert "Arga Makmur, 11 Januari 2025" in page


def test_letterhead_comes_from_the_configuration(app, client, shelf, monkeypatch):
    for key, value in (("LETTERHEAD_GOVERNMENT", "Pemerintah Kabupaten Lebong"),
                       ("LETTERHEAD_OFFICE", "Dinas Sosial dan PMD"),
                       ("LETTERHEAD_CONTACT", "Telp. (0732) 123456")):
        monkeypatch.setitem(app.config, key, value)
    page = client.get(f"/stock/warehouses/{shelf['warehouse']}/items/{shelf['tarp']}/card/print"
                      ).get_data(as_text=True)
    assert "PEMERINTAH KABUPATEN LEBONG" in page
    assert "DINAS SOSIAL DAN PMD" in page
    assert "Telp. (0732) 123456" in page
    assert "BENGKULU UTARA" not in page


def test_english_bast_opens_with_an_english_date(app, client, shelf):
    posted = release(client, shelf)
    client.post("/language/en", data={"next": "/"})
    page = client.get(posted.location + "/print").get_data(as_text=True)
    opening = re.search(r'data-testid="date-in-words">(.*?)</p>', page, re.S)[1]
    assert opening.startswith("On Saturday, 11 January 2025, the undersigned hand over")


def test_signer_fields_are_optional_checked_and_returned_by_the_api(app, client, shelf, auth):
    refused = release(client, shelf, giver_nip="1978031220050110")
    assert refused.status_code == 422
    assert in_indonesian(app, "An NIP is 18 digits.") in refused.get_data(as_text=True)
    assert release(client, shelf, receiver_nip="", giver_position="").status_code == 302
    headers = auth.headers(shelf["keeper"])
    body = {"warehouse_id": shelf["warehouse"], "recipient_kind": "other",
            "recipient_name": "Desa Air Lais", "giver_name": "Siti", "receiver_name": "Rahmat",
            "lines": [{"item_id": shelf["tarp"], "qty": 1}]}
    wrong = client.post("/api/v1/stock/issues", json={**body, "witness_nip": "12345"},
                        headers={**headers, "Idempotency-Key": "bast-nip-1"})
    assert wrong.status_code == 422
    assert "witness_nip" in wrong.get_json()["errors"]
    too_long = client.post("/api/v1/stock/issues", json={**body, "giver_position": "x" * 121},
                           headers={**headers, "Idempotency-Key": "bast-nip-2"})
    assert too_long.status_code == 422
    posted = client.post("/api/v1/stock/issues", json={
        **body, "giver_position": "Kepala Gudang", "giver_nip": "19780312 200501 1 003"},
        headers={**headers, "Idempotency-Key": "bast-nip-3"})
    assert posted.status_code == 201, posted.get_json()
    document = posted.get_json()
    assert document["giver_position"] == "Kepala Gudang"
    assert document["giver_nip"] == "197803122005011003"
    assert document["receiver_nip"] is None
    shown = client.get(f"/api/v1/stock/documents/{document['id']}", headers=headers).get_json()
    assert shown["giver_nip"] == "197803122005011003"


def test_issue_form_labels_every_signer_field(app, client, shelf):
    page = client.get(f"/stock/warehouses/{shelf['warehouse']}/issue").get_data(as_text=True)
    for name in ("giver_position", "giver_nip", "receiver_position", "receiver_nip",
                 "witness_position", "witness_nip"):
        assert re.search(rf'<label class="form-label" for="f-{name}">[^<]+</label>', page), name
        assert f'name="{name}"' in page


def test_printing_a_page_hides_the_menu_and_the_action_buttons(app, client, shelf):
    posted = release(client, shelf)
    page = client.get(posted.location).get_data(as_text=True)
    assert re.search(r'<nav class="[^"]*app-nav[^"]*d-print-none', page)
    assert re.search(r'class="btn [^"]*d-print-none"[^>]*href="[^"]*/print"', page)
    with app.test_client() as anonymous:
        stylesheet = anonymous.get("/static/css/app.css").get_data(as_text=True)
    printed = stylesheet.split("@media print", 1)[1]
    assert ".app-nav" in printed
    assert ".btn" in printed
    assert "display: none" in printed

