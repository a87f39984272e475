"""The keeper's posting forms: each moves stock once per form token, and a refusal tells the
keeper why, under the field that caused it, and leaves the stock as it was."""

import html
import re
from datetime import timedelta

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from app.i18n import day
from logistics.calendar import local_today
from logistics.stock import errors
from logistics.stock.documents import Document

TODAY = local_today()


@pytest.fixture
def shelf(stock, keeper):
    """A central warehouse kept by the logged-in keeper, with rice in a fresh and an old lot."""
    warehouse = stock.warehouse(keepers=[keeper], name="Gudang Kerkap")
    rice = stock.item(perishable=True, packs=[("karung", 25)], name_id="Beras")
    fresh = stock.receive(warehouse, rice, 40, batch_no="FRESH-1", expires_on=TODAY + timedelta(9))
    later = stock.receive(warehouse, rice, 30, batch_no="LATER-1", expires_on=TODAY + timedelta(90))
    old = stock.receive(warehouse, rice, 5, batch_no="OLD-1", expires_on=TODAY - timedelta(2))
    return {"warehouse": warehouse, "rice": rice, "fresh": fresh, "later": later, "old": old}


def in_indonesian(app, message, **params) -> str:
    """A domain message as the keeper reads it (the pages speak Indonesian by default)."""
    with app.test_request_context(), force_locale("id"):
        return gettext(message, **params)


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def form_token(client, url) -> str:
    page = client.get(url)
    assert page.status_code == 200
    return re.search(r'name="form_token" type="hidden" value="(\w+)"', page.get_data(as_text=True)
                     ).group(1)


def row_messages(response) -> list[list[str]]:
    """The error messages under each line row of a form, row by row."""
    rows = text_of(response).split("data-row>")[1:]
    return [re.findall(r'invalid-feedback d-block">([^<]+)<', row) for row in rows]


def documents(session) -> int:
    count = session.scalar(select(func.count(Document.id)))
    session.rollback()
    return count


def release(shelf, token, **overrides) -> dict:
    return {"form_token": token, "recipient_kind": "other", "recipient_name": "Desa Air Lais",
            "giver_name": "Siti", "receiver_name": "Rahmat", "witness_name": "Pak Kades",
            "item_id": ["", shelf["rice"], ""], "qty": ["", "10", ""], "lot_id": ["", "", ""],
            **overrides}


def test_receive_form_takes_packs_and_a_new_lot(client, shelf, stock, session):
    url = f"/stock/warehouses/{shelf['warehouse']}/receive"
    posted = client.post(url, data={
        "form_token": form_token(client, url), "source": "kemensos", "supplier_ref": "SPPB/7",
        "item_id": [shelf["rice"], ""], "qty": ["", ""], "pack": ["karung", ""],
        "packs": ["2", ""], "batch_no": ["NEW-1", ""],
        "expires_on": [str(TODAY + timedelta(200)), ""]})
    assert posted.status_code == 302
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 75 + 50
    page = text_of(client.get(posted.location))
    assert "NEW-1" in page
    assert "SPPB/7" in page


def test_a_double_click_on_release_posts_one_bast(client, shelf, stock, session):
    url = f"/stock/warehouses/{shelf['warehouse']}/issue"
    form = release(shelf, form_token(client, url))
    before = documents(session)
    first, second = client.post(url, data=form), client.post(url, data=form)
    assert first.status_code == second.status_code == 302
    assert first.location == second.location
    assert documents(session) == before + 1
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 65
    page = text_of(client.get(first.location))
    assert "FRESH-1" in page  # without a lot the first expiry goes first
    assert "Rahmat" in page


def test_release_from_a_chosen_lot(client, shelf, stock):
    url = f"/stock/warehouses/{shelf['warehouse']}/issue"
    picker = client.get(url).get_data(as_text=True)
    assert f'value="{shelf["later"]}" data-item="{shelf["rice"]}"' in picker
    posted = client.post(url, data=release(shelf, "pick-1", lot_id=["", shelf["later"], ""]))
    assert posted.status_code == 302
    assert "LATER-1" in text_of(client.get(posted.location))
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 65


def test_releasing_more_than_on_hand_is_refused_and_changes_nothing(
        client, app, shelf, stock, session):
    before = documents(session)
    url = f"/stock/warehouses/{shelf['warehouse']}/issue"
    refused = client.post(url, data=release(shelf, "much-1", qty=["", "500", ""]))
    assert refused.status_code == 409
    assert in_indonesian(app, errors.InsufficientStock.message, item="Beras",
                         warehouse="Gudang Kerkap", available=75, requested=500
                         ) in text_of(refused)
    assert "Rahmat" in text_of(refused)  # what the keeper typed is still there
    assert documents(session) == before
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 75
    assert stock.mismatches() == []


def test_releasing_an_expired_lot_is_refused_naming_the_lot_and_changes_nothing(
        client, app, shelf, stock, session):
    before = documents(session)
    url = f"/stock/warehouses/{shelf['warehouse']}/issue"
    refused = client.post(url, data=release(shelf, "old-1", lot_id=["", shelf["old"], ""],
                                            qty=["", "1", ""]))
    assert refused.status_code == 409
    with app.test_request_context(), force_locale("id"):
        expired_on = day(TODAY - timedelta(2))  # "29 November 2026", not "2026-11-29"
    assert in_indonesian(app, errors.ExpiredLot.message, lot="OLD-1", item="Beras",
                         expires_on=expired_on) in text_of(refused)
    assert documents(session) == before
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 75


def test_bad_input_is_shown_on_its_fields_and_changes_nothing(client, shelf, stock, session):
    before = documents(session)
    url = f"/stock/warehouses/{shelf['warehouse']}/issue"
    refused = client.post(url, data=release(shelf, "bad-1", receiver_name="",
                                            qty=["", "lots", ""]))
    assert refused.status_code == 422
    assert 'class="form-control is-invalid" id="f-receiver_name"' in text_of(refused)
    assert row_messages(refused)[1]
    nothing = client.post(url, data=release(shelf, "bad-2", item_id=["", "", ""],
                                            qty=["", "", ""]))
    assert nothing.status_code == 422
    no_item = client.post(url, data=release(shelf, "bad-3", item_id=["", "", ""],
                                            lot_id=["", "", shelf["fresh"]], qty=["", "", ""]))
    assert no_item.status_code == 422
    assert row_messages(no_item)[2]  # a lot without an item is not silently dropped
    assert documents(session) == before
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 75


def test_a_lumbung_sosial_release_needs_the_authority_reference(
        client, app, stock, keeper, session):
    lumbung = stock.warehouse(kind="lumbung_sosial", keepers=[keeper])
    rice = stock.item()
    stock.receive(lumbung, rice, 20)
    url = f"/stock/warehouses/{lumbung}/issue"
    assert in_indonesian(app, "A release from a lumbung sosial needs the emergency status decree "
                              "or the Kepala Dinas's written order.") in text_of(client.get(url))
    form = release({"rice": rice}, "gate-1")
    refused = client.post(url, data=form)
    assert refused.status_code == 422
    assert in_indonesian(app, errors.AuthorityRequired.message) in text_of(refused)
    assert stock.on_hand(lumbung, rice) == 20
    posted = client.post(url, data={**form, "form_token": "gate-2",
                                    "authority_ref": "SK Bupati 360/12/2026"})
    assert posted.status_code == 302
    assert stock.on_hand(lumbung, rice) == 10


@pytest.mark.parametrize("form", ["receive", "issue", "transfer", "count", "adjust"])
def test_a_keeper_of_another_warehouse_gets_403_and_changes_nothing(
        client, stock, make_user, keeper, session, form):
    elsewhere = stock.warehouse(keepers=[make_user("warehouse_keeper")])
    rice = stock.item()
    lot = stock.receive(elsewhere, rice, 20)
    before = documents(session)
    url = f"/stock/warehouses/{elsewhere}/{form}"
    assert client.get(url).status_code == 403
    posted = client.post(url, data={
        "form_token": "x-1", "recipient_kind": "person", "recipient_name": "P", "giver_name": "G",
        "receiver_name": "R", "to_warehouse_id": stock.warehouse(keepers=[keeper]),
        "reason": "damaged", "item_id": [rice], "lot_id": [lot], "qty": ["-1" if form ==
                                                                           "adjust" else "1"],
        "counted_qty": ["3"]})
    assert posted.status_code == 403
    assert documents(session) == before
    assert stock.on_hand(elsewhere, rice) == 20


def test_a_transfer_and_its_arrival_post_once_each(client, shelf, stock, keeper, session):
    destination = stock.warehouse(keepers=[keeper])
    url = f"/stock/warehouses/{shelf['warehouse']}/transfer"
    form = {"form_token": form_token(client, url), "to_warehouse_id": destination,
            "item_id": [shelf["rice"], ""], "qty": ["12", ""], "lot_id": ["", ""]}
    sent = client.post(url, data=form)
    assert client.post(url, data=form).location == sent.location
    transfer_id = sent.location.rsplit("/", 1)[-1]
    arrival_url = f"/stock/transfers/{transfer_id}/receive"
    arrival = client.get(arrival_url).get_data(as_text=True)
    assert 'name="qty" value="12"' in arrival  # the default is what was sent
    before = documents(session)
    lots = re.findall(r'name="lot_id" value="(\d+)"', arrival)
    arrived = {"form_token": "arr-1", "lot_id": lots, "qty": ["12"]}
    first, second = client.post(arrival_url, data=arrived), client.post(arrival_url, data=arrived)
    assert first.status_code == 302
    assert first.location == second.location
    assert documents(session) == before + 1
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 63
    assert stock.on_hand(destination, shelf["rice"]) == 12
    again = client.get(arrival_url)  # a received transfer offers no second arrival form
    assert again.status_code == 302
    assert again.location.endswith(f"/stock/documents/{transfer_id}")


def test_a_stock_count_lists_every_lot_and_leaves_uncounted_ones_alone(client, shelf, stock):
    url = f"/stock/warehouses/{shelf['warehouse']}/count"
    sheet = client.get(url).get_data(as_text=True)
    lots = re.findall(r'name="lot_id" value="(\d+)"', sheet)
    assert sorted(lots) == sorted(str(shelf[lot]) for lot in ("fresh", "later", "old"))
    counted = ["" for _ in lots]
    counted[lots.index(str(shelf["fresh"]))] = "37"
    posted = client.post(url, data={"form_token": form_token(client, url),
                                    "item_id": [shelf["rice"]] * len(lots), "lot_id": lots,
                                    "counted_qty": counted})
    assert posted.status_code == 302
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 75 - 3


def test_an_adjustment_with_the_wrong_sign_is_refused_under_its_row(client, shelf, stock,
                                                                      session):
    url = f"/stock/warehouses/{shelf['warehouse']}/adjust"
    form = {"form_token": form_token(client, url), "reason": "damaged",
            "item_id": ["", shelf["rice"]], "lot_id": ["", shelf["old"]], "qty": ["", "5"]}
    before = documents(session)
    refused = client.post(url, data=form)
    assert refused.status_code == 422
    assert row_messages(refused)[0] == []
    assert row_messages(refused)[1]
    assert documents(session) == before
    posted = client.post(url, data={**form, "reason": "expired", "qty": ["", "-5"]})
    assert posted.status_code == 302
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 70


def test_a_reversal_needs_a_reason_and_then_undoes_the_document(client, shelf, stock, session):
    issue_url = f"/stock/warehouses/{shelf['warehouse']}/issue"
    released = client.post(issue_url, data=release(shelf, "rel-1"))
    document_id = released.location.rsplit("/", 1)[-1]
    url = f"/stock/documents/{document_id}/reverse"
    assert "FRESH-1" in client.get(url).get_data(as_text=True)  # the lines it will undo
    before = documents(session)
    refused = client.post(url, data={"form_token": "rev-1", "notes": ""})
    assert refused.status_code == 422
    assert documents(session) == before
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 65
    reason = {"form_token": "rev-2", "notes": "wrong posko"}
    first, second = client.post(url, data=reason), client.post(url, data=reason)
    assert first.status_code == second.status_code == 302
    assert first.location == second.location
    assert documents(session) == before + 1
    assert stock.on_hand(shelf["warehouse"], shelf["rice"]) == 75
    assert stock.mismatches() == []
