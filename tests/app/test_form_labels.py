"""Every field of the keeper's posting forms has a visible label tied to it, a unique id, and
its messages named by aria-describedby; forms that take stock out offer what is on hand first,
with the figure; every posting form says it is sending rather than inviting a second tap."""

import html
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from flask_babel import force_locale, gettext

from logistics.calendar import local_today

TODAY = local_today()


class Fields(HTMLParser):
    """The labels, fields and ids of a page."""

    def __init__(self):
        super().__init__()
        self.fields, self.labels, self.ids, self.parents = [], set(), [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") not in (
                "hidden", "submit", "button"):
            self.fields.append(attrs)


def fields_of(response) -> Fields:
    assert response.status_code in (200, 400, 409, 422), response.status_code
    parser = Fields()
    parser.feed(response.get_data(as_text=True))
    return parser


@pytest.fixture
def world(client, stock, keeper, session):
    warehouse = stock.warehouse(keepers=[keeper], name="Lumbung Enggano")
    other = stock.warehouse(keepers=[keeper], name="Gudang Arga Makmur")
    rice = stock.item(name_id="Beras", code="BRS")
    water = stock.item(name_id="Air mineral", code="AIR", base_unit="botol")
    tarp = stock.item(name_id="Terpal", code="TRP", base_unit="lembar")
    lot = stock.receive(warehouse, rice, 1234, batch_no="BRS-A", expires_on=TODAY + timedelta(99))
    stock.receive(warehouse, water, 40, batch_no="AIR-A")
    stock.receive(other, tarp, 7, batch_no="TRP-A")
    sent = client.post(f"/stock/warehouses/{warehouse}/transfer", data={
        "form_token": "labels-1", "to_warehouse_id": other, "item_id": [rice], "qty": ["4"],
        "lot_id": [""]})
    assert sent.status_code == 302
    transfer = int(sent.location.rsplit("/", 1)[-1])
    return {"warehouse": warehouse, "other": other, "rice": rice, "water": water, "tarp": tarp,
            "lot": lot, "transfer": transfer}


def pages(world) -> dict:
    here = f"/stock/warehouses/{world['warehouse']}"
    return {"receive": f"{here}/receive", "issue": f"{here}/issue",
            "transfer": f"{here}/transfer", "adjust": f"{here}/adjust",
            "count": f"{here}/count", "arrival": f"/stock/transfers/{world['transfer']}/receive",
            "reverse": f"/stock/documents/{world['transfer']}/reverse"}


@pytest.mark.parametrize("form", ["receive", "issue", "transfer", "adjust", "count", "arrival",
                                  "reverse"])
def test_every_field_has_a_visible_label_and_a_unique_id(client, world, form):
    page = fields_of(client.get(pages(world)[form]))
    assert page.fields
    unlabelled = [field.get("name") for field in page.fields
                  if not field.get("id") or field["id"] not in page.labels]
    assert unlabelled == []
    assert len(page.ids) == len(set(page.ids))
    assert [field.get("name") for field in page.fields if field.get("placeholder")] == []


def test_a_refused_line_field_points_at_its_message(client, world):
    url = pages(world)["receive"]
    refused = client.post(url, data={"form_token": "labels-2", "item_id": [world["rice"]],
                                     "qty": ["0"], "expires_on": [str(TODAY + timedelta(30))]})
    assert refused.status_code == 422
    page = fields_of(refused)
    qty = next(field for field in page.fields if field.get("id") == "line-0-qty")
    assert qty["aria-invalid"] == "true"
    assert qty["aria-describedby"] == "line-0-qty-error"
    assert "line-0-qty-error" in page.ids
    untouched = next(field for field in page.fields if field.get("id") == "line-0-batch_no")
    assert "aria-invalid" not in untouched
    assert "aria-describedby" not in untouched


def test_the_expiry_field_is_wide_enough_for_a_whole_date(client, world):
    page = client.get(pages(world)["receive"]).get_data(as_text=True)
    wrapper = page.split('id="line-0-expires_on"')[0].rsplit('<div class="', 1)[1]
    assert "col-md-1 " not in wrapper + " "
    assert "col-lg-1 " not in wrapper + " "


@pytest.mark.parametrize("form", ["issue", "transfer"])
def test_forms_taking_stock_out_offer_what_is_on_hand_first_with_the_figure(
        client, app, world, form):
    page = html.unescape(client.get(pages(world)[form]).get_data(as_text=True))
    select = page.split('id="line-0-item_id"')[1].split("</select>")[0]
    offered = re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', select)
    order = [int(value) for value, _ in offered]
    assert order.index(world["rice"]) < order.index(world["tarp"])
    assert order.index(world["water"]) < order.index(world["tarp"])
    labels = dict((int(value), text) for value, text in offered)
    with app.test_request_context(), force_locale("id"):
        assert gettext("on hand: %(qty)s", qty="1.230") + " kg" in labels[world["rice"]]
        assert gettext("on hand: %(qty)s", qty="40") + " botol" in labels[world["water"]]
        assert gettext("none here") in labels[world["tarp"]]


def test_the_receive_form_offers_the_whole_catalogue_without_figures(client, app, world):
    page = html.unescape(client.get(pages(world)["receive"]).get_data(as_text=True))
    select = page.split('id="line-0-item_id"')[1].split("</select>")[0]
    offered = {int(value) for value in re.findall(r'<option value="(\d+)"', select)}
    assert {world["rice"], world["water"], world["tarp"]} <= offered
    with app.test_request_context(), force_locale("id"):
        assert gettext("none here") not in select


def test_every_page_loads_the_sending_state_script_with_its_words(client, app, world):
    page = client.get(pages(world)["issue"]).get_data(as_text=True)
    with app.test_request_context(), force_locale("id"):
        sending = gettext("Sending…")
    tag = re.search(r'<script src="([^"]*forms\.js[^"]*)" data-sending="([^"]+)" defer>', page)
    assert tag is not None
    assert html.unescape(tag.group(2)) == sending
    script = client.get(tag.group(1)).get_data(as_text=True)
    assert "pageshow" in script
    assert "disabled = true" in script
