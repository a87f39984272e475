"""Alerts can be acted on: each links to the prefilled form that answers it (write-off,
transfer, receipt, count), only where the user may post, with the keeper's own warehouses first."""

import html
import re
from datetime import timedelta

import pytest

from app.extensions import db
from logistics.calendar import local_today
from logistics.stock import setup as stock_setup

TODAY = local_today()


@pytest.fixture
def world(stock, keeper):
    """The keeper's Gudang Zeta (named to sort last) and another keeper's Gudang Alfa."""
    own = stock.warehouse(keepers=[keeper], name="Gudang Zeta")
    other = stock.warehouse(name="Gudang Alfa", kind="lumbung_sosial")
    rice = stock.item(perishable=True, name_id="Beras", code="BRS")
    oil = stock.item(name_id="Minyak", code="MYK", base_unit="liter")
    lots = {
        "old": stock.receive(own, rice, 5, batch_no="OLD-1", expires_on=TODAY - timedelta(2)),
        "soon": stock.receive(own, rice, 40, batch_no="SOON-1", expires_on=TODAY + timedelta(9)),
        "alfa": stock.receive(other, rice, 12, batch_no="ALFA-1", expires_on=TODAY + timedelta(3)),
    }
    stock.receive(own, oil, 300)
    with stock.app.app_context():
        stock_setup.set_minimum_level(db.session, warehouse_id=other, item_id=oil, min_qty=100)
        stock_setup.set_minimum_level(db.session, warehouse_id=own, item_id=oil, min_qty=500)
        db.session.commit()
    return {"own": own, "other": other, "rice": rice, "oil": oil, **lots}


def entry(page: str, **attributes) -> str:
    """The alert entry (a list item) carrying these data- attributes."""
    marks = "".join(f'[^>]*data-{name}="{value}"' for name, value in attributes.items())
    found = re.search(rf'<div class="list-group-item[^"]*"{marks}[^>]*>(.*?)\n  </div>', page,
                      re.S)
    assert found, attributes
    return found.group(1)


def links(fragment: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'<a [^>]*href="([^"]+)"', fragment)]


def link_to(fragment: str, path_end: str) -> str:
    found = [href for href in links(fragment) if href.split("?")[0].endswith(path_end)]
    assert len(found) == 1, (path_end, links(fragment))
    return found[0]


def selected(page: str, name: str) -> list[str]:
    """The values selected in the selects called ``name``."""
    values = []
    for select in re.findall(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S):
        values += re.findall(r'<option value="([^"]*)"[^>]*selected', select)
    return values


def test_expired_lot_links_to_a_write_off_prefilled_with_that_lot(client, world):
    page = client.get("/stock/alerts").get_data(as_text=True)
    old = entry(page, lot=world["old"])
    url = link_to(old, f"/stock/warehouses/{world['own']}/adjust")
    assert not [href for href in links(old) if "/transfer" in href]  # expired: write-off only

    form = client.get(url)
    assert form.status_code == 200
    text = form.get_data(as_text=True)
    assert selected(text, "reason") == ["expired"]
    assert selected(text, "lot_id") == [str(world["old"])]
    assert selected(text, "item_id") == [str(world["rice"])]
    assert 'name="qty" value="-5"' in text
    lot_select = re.search(r'<select[^>]*name="lot_id".*?</select>', text, re.S).group(0)
    lot_option = re.search(rf'<option value="{world["old"]}"[^>]*selected>([^<]*)', lot_select)
    assert "OLD-1" in lot_option.group(1)


def test_expiring_lot_links_to_a_write_off_and_to_a_transfer_where_it_is_needed(client, world,
                                                                               stock):
    page = client.get("/stock/alerts").get_data(as_text=True)
    soon = entry(page, lot=world["soon"])
    write_off = client.get(link_to(soon, f"/stock/warehouses/{world['own']}/adjust"))
    assert selected(write_off.get_data(as_text=True), "lot_id") == [str(world["soon"])]

    transfer = client.get(link_to(soon, f"/stock/warehouses/{world['own']}/transfer"))
    assert transfer.status_code == 200
    text = transfer.get_data(as_text=True)
    assert selected(text, "lot_id") == [str(world["soon"])]
    assert selected(text, "item_id") == [str(world["rice"])]
    assert 'name="qty" value="40"' in text
    assert selected(text, "to_warehouse_id") == []  # nobody needs rice yet: the keeper picks


def test_expiring_lot_transfer_goes_to_the_warehouse_under_its_minimum(client, world, stock):
    with stock.app.app_context():
        stock_setup.set_minimum_level(db.session, warehouse_id=world["other"],
                                      item_id=world["rice"], min_qty=50)
        db.session.commit()
    page = client.get("/stock/alerts").get_data(as_text=True)
    url = link_to(entry(page, lot=world["soon"]), f"/stock/warehouses/{world['own']}/transfer")
    assert selected(client.get(url).get_data(as_text=True), "to_warehouse_id") == [
        str(world["other"])]


def test_under_minimum_links_to_a_transfer_towards_it_and_to_a_receipt(client, world):
    page = client.get("/stock/alerts").get_data(as_text=True)
    other = entry(page, warehouse=world["other"], item=world["oil"])
    text = client.get(link_to(other, f"/stock/warehouses/{world['own']}/transfer")).get_data(
        as_text=True)
    assert selected(text, "to_warehouse_id") == [str(world["other"])]
    assert selected(text, "item_id") == [str(world["oil"])]
    assert 'name="qty" value="100"' in text  # what it lacks, as the keeper's shelf holds it
    assert not [href for href in links(other) if "/receive" in href]  # not the keeper's place

    own = entry(page, warehouse=world["own"], item=world["oil"])
    receipt = client.get(link_to(own, f"/stock/warehouses/{world['own']}/receive"))
    assert receipt.status_code == 200
    assert selected(receipt.get_data(as_text=True), "item_id") == [str(world["oil"])]
    assert not [href for href in links(own) if "/transfer" in href]  # nowhere else holds oil


def test_a_warehouse_never_counted_links_to_a_count(client, world):
    page = client.get("/stock/alerts").get_data(as_text=True)
    stale = page[page.index('data-testid="stale-counts"'):]
    url = link_to(entry(stale, warehouse=world["own"]), f"/stock/warehouses/{world['own']}/count")
    text = client.get(url).get_data(as_text=True)
    assert "OLD-1" in text
    assert "SOON-1" in text
    assert links(entry(stale, warehouse=world["other"])) == []


def test_keeper_sees_own_warehouses_first_and_acts_only_there(client, world):
    page = client.get("/stock/alerts").get_data(as_text=True)
    expiring = page[page.index('data-testid="expiring"'):page.index('data-testid="shortfalls"')]
    order = re.findall(r'data-lot="(\d+)"', expiring)
    assert order == [str(world["old"]), str(world["soon"]), str(world["alfa"])]  # ALFA-1 expires
    # soonest but is not his
    assert links(entry(page, lot=world["alfa"])) == []
    low = page[page.index('data-testid="under-minimum"'):]
    assert re.findall(r'data-warehouse="(\d+)"', low)[:2] == [str(world["own"]),
                                                             str(world["other"])]
    options = re.findall(r'<option value="(\d+)"', page[:page.index("</select>")])
    assert options[0] == str(world["own"])


def test_admin_sees_alerts_in_expiry_order_with_actions_everywhere(client, world, auth,
                                                                   make_user):
    auth.logout()
    auth.login(make_user("admin"))
    page = client.get("/stock/alerts").get_data(as_text=True)
    expiring = page[page.index('data-testid="expiring"'):page.index('data-testid="shortfalls"')]
    assert re.findall(r'data-lot="(\d+)"', expiring) == [
        str(world["old"]), str(world["alfa"]), str(world["soon"])]
    link_to(entry(page, lot=world["alfa"]), f"/stock/warehouses/{world['other']}/adjust")
    link_to(entry(page, warehouse=world["other"], item=world["oil"]),
            f"/stock/warehouses/{world['other']}/receive")


@pytest.mark.parametrize("role", ["leadership", "posko_staff"])
def test_a_role_without_posting_rights_sees_the_alerts_but_no_action(client, world, auth,
                                                                     make_user, role):
    auth.logout()
    auth.login(make_user(role))
    page = client.get("/stock/alerts").get_data(as_text=True)
    assert "OLD-1" in page
    assert "ALFA-1" in page
    assert 'data-testid="actions"' not in page
    assert not re.search(r'href="[^"]*/(adjust|transfer|receive|count)\b', page)


def test_a_refused_prefill_link_is_still_refused(client, world):
    """A link only fills the form: the keeper cannot reach another warehouse through it."""
    url = (f"/stock/warehouses/{world['other']}/adjust?reason=expired"
           f"&item_id={world['rice']}&lot_id={world['alfa']}&qty=-12")
    assert client.get(url).status_code == 403
