"""A scoped role's scope is set where the user is made and shown on their home page (issue 16,
item 1): a keeper's warehouses are ticked on the user's page or sent as ``warehouse_ids``, an
id naming no warehouse is refused on that field with nothing written, and a keeper with none
is told whom to ask."""

import re

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from logistics.accounts.models import User
from logistics.accounts.scopes import NotAssignable, UnknownAssignment
from logistics.stock.models import warehouse_keepers
from tests.app.pages import beside, in_indonesian

KEEPER = {"username": "joko", "full_name": "Joko Widodo", "role": "warehouse_keeper",
          "password": "a-long-enough-password"}


@pytest.fixture
def admin(client, make_user, auth):
    make_user("admin", username="ani", phone="0812 1111 2222")
    auth.login("ani")
    return auth.headers("ani")


def kept(session, username) -> set[int]:
    user_id = session.scalar(select(User.id).where(User.username == username))
    ids = set(session.scalars(select(warehouse_keepers.c.warehouse_id)
                              .where(warehouse_keepers.c.user_id == user_id)))
    session.rollback()
    return ids


def users(session) -> int:
    count = session.scalar(select(func.count()).select_from(User))
    session.rollback()
    return count


def user_id(session, username) -> int:
    found = session.scalar(select(User.id).where(User.username == username))
    session.rollback()
    return found


def catalog(app, text, **params) -> str:
    with app.test_request_context(), force_locale("id"):
        return gettext(text, **params)


def home_note(client) -> str:
    """The text of the home page's note on the keeper's warehouses."""
    page = client.get("/home").get_data(as_text=True)
    found = re.search(r'<(p|div)[^>]*data-testid="scope-warehouse"[^>]*>(.*?)</\1>', page, re.S)
    assert found, "the home page says nothing about warehouses"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(2)).split())


# --- creating ---------------------------------------------------------------------------------

def test_the_new_user_page_offers_every_warehouse_to_tick(client, admin, stock):
    stock.warehouse(name="Gudang Kahyapu")
    page = client.get("/admin/users/new").get_data(as_text=True)
    assert 'name="warehouse_ids"' in page
    assert "Gudang Kahyapu" in page


def test_a_keeper_created_on_the_page_keeps_the_ticked_warehouses(client, admin, stock,
                                                                   session):
    one, two, other = stock.warehouse(), stock.warehouse(), stock.warehouse()
    response = client.post("/admin/users/new", data={
        **KEEPER, "warehouse_ids": [str(one), str(two)]})
    assert response.status_code == 302
    assert kept(session, "joko") == {one, two}
    assert other not in kept(session, "joko")


def test_a_keeper_created_through_the_api_keeps_its_warehouses_and_says_so(client, admin,
                                                                           stock, session):
    one, two = stock.warehouse(), stock.warehouse()
    response = client.post("/api/v1/users/", headers=admin,
                           json={**KEEPER, "warehouse_ids": [two, one]})
    assert response.status_code == 201
    assert response.get_json()["warehouse_ids"] == sorted([one, two])
    assert kept(session, "joko") == {one, two}
    listed = client.get("/api/v1/users/", headers=admin).get_json()["items"]
    assert {u["username"]: u["warehouse_ids"] for u in listed} == {"ani": [],
                                                                   "joko": sorted([one, two])}


def test_a_keeper_may_be_created_with_no_warehouse(client, admin, session):
    response = client.post("/api/v1/users/", headers=admin, json=KEEPER)
    assert response.status_code == 201
    assert response.get_json()["warehouse_ids"] == []
    assert users(session) == 2


def test_an_unknown_warehouse_is_refused_on_its_field_on_page_and_api_and_nothing_is_written(
        app, client, admin, stock, session):
    real = stock.warehouse()
    missing = real + 1000
    api = client.post("/api/v1/users/", headers=admin,
                      json={**KEEPER, "warehouse_ids": [real, missing]})
    page = client.post("/admin/users/new", data={
        **KEEPER, "warehouse_ids": [str(real), str(missing)]})
    assert (api.status_code, page.status_code) == (422, 422)
    message = in_indonesian(app, UnknownAssignment(ids=str(missing)))
    assert api.get_json()["errors"] == {"warehouse_ids": [message]}
    assert beside(page, "warehouse_ids") == [message]
    assert users(session) == 1
    assert session.scalar(select(func.count()).select_from(warehouse_keepers)) == 0
    session.rollback()


def test_warehouses_for_a_role_not_limited_to_them_are_refused(app, client, admin, stock,
                                                               session):
    warehouse = stock.warehouse()
    response = client.post("/api/v1/users/", headers=admin, json={
        **KEEPER, "role": "coordinator", "warehouse_ids": [warehouse]})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        "warehouse_ids": [in_indonesian(app, NotAssignable())]}
    assert users(session) == 1


# --- editing ----------------------------------------------------------------------------------

def test_the_edit_page_shows_the_keepers_warehouses_ticked_and_changes_them(
        client, admin, make_user, stock, session):
    make_user("warehouse_keeper", username="joko")
    old, new = stock.warehouse(keepers=["joko"]), stock.warehouse()
    joko = user_id(session, "joko")
    page = client.get(f"/admin/users/{joko}").get_data(as_text=True)
    assert re.search(rf'value="{old}" id="warehouse_ids-{old}" checked', page)
    assert not re.search(rf'value="{new}" id="warehouse_ids-{new}" checked', page)
    response = client.post(f"/admin/users/{joko}", data={
        "full_name": "Joko", "role": "warehouse_keeper", "is_active": "y", "submit": "1",
        "warehouse_ids": [str(new)]})
    assert response.status_code == 302
    assert kept(session, "joko") == {new}


def test_unticking_every_warehouse_on_the_edit_page_leaves_the_keeper_none(
        client, admin, make_user, stock, session):
    make_user("warehouse_keeper", username="joko")
    stock.warehouse(keepers=["joko"])
    response = client.post(f"/admin/users/{user_id(session, 'joko')}", data={
        "full_name": "Joko", "role": "warehouse_keeper", "is_active": "y", "submit": "1"})
    assert response.status_code == 302
    assert kept(session, "joko") == set()


def test_the_api_replaces_warehouses_when_sent_and_keeps_them_when_left_out(
        client, admin, make_user, stock, session):
    make_user("warehouse_keeper", username="joko")
    old, new = stock.warehouse(keepers=["joko"]), stock.warehouse()
    joko = user_id(session, "joko")
    details = {"full_name": "Joko", "role": "warehouse_keeper", "is_active": True}
    response = client.put(f"/api/v1/users/{joko}", headers=admin, json=details)
    assert response.status_code == 200
    assert response.get_json()["warehouse_ids"] == [old]
    response = client.put(f"/api/v1/users/{joko}", headers=admin,
                          json={**details, "warehouse_ids": [new]})
    assert response.get_json()["warehouse_ids"] == [new]
    assert kept(session, "joko") == {new}


def test_an_unknown_warehouse_in_an_edit_changes_nothing(app, client, admin, make_user, stock,
                                                         session):
    make_user("warehouse_keeper", username="joko")
    old = stock.warehouse(keepers=["joko"])
    joko = user_id(session, "joko")
    response = client.put(f"/api/v1/users/{joko}", headers=admin, json={
        "full_name": "Joko Baru", "role": "warehouse_keeper", "is_active": True,
        "warehouse_ids": [old + 1000]})
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["warehouse_ids"]
    assert kept(session, "joko") == {old}
    assert session.scalar(select(User.full_name).where(User.id == joko)) == "Test joko"
    session.rollback()


def test_a_keeper_made_coordinator_keeps_no_warehouse(client, admin, make_user, stock, session):
    make_user("warehouse_keeper", username="joko")
    stock.warehouse(keepers=["joko"])
    response = client.put(f"/api/v1/users/{user_id(session, 'joko')}", headers=admin, json={
        "full_name": "Joko", "role": "coordinator", "is_active": True})
    assert response.status_code == 200
    assert response.get_json()["warehouse_ids"] == []
    assert kept(session, "joko") == set()


def test_the_warehouse_settings_page_and_the_user_page_agree(client, admin, make_user, stock,
                                                             session):
    make_user("warehouse_keeper", username="joko")
    warehouse = stock.warehouse()
    response = client.post(f"/stock/warehouses/{warehouse}/settings", data={
        "keeper_id": str(user_id(session, "joko")), "is_active": "y"})
    assert response.status_code == 302
    page = client.get(f"/admin/users/{user_id(session, 'joko')}").get_data(as_text=True)
    assert re.search(rf'value="{warehouse}" id="warehouse_ids-{warehouse}" checked', page)


# --- the keeper's home page -------------------------------------------------------------------

def test_a_keepers_home_names_the_warehouses_they_keep(app, client, make_user, auth, stock):
    make_user("warehouse_keeper", username="joko")
    stock.warehouse(name="Gudang Kahyapu", keepers=["joko"])
    stock.warehouse(name="Gudang Malakoni", keepers=["joko"])
    stock.warehouse(name="Gudang Lain")
    auth.login("joko")
    note = home_note(client)
    assert note == f"{catalog(app, 'Your warehouses')}: Gudang Kahyapu, Gudang Malakoni"


def test_a_keeper_without_a_warehouse_is_told_why_and_whom_to_ask(app, client, make_user, auth):
    make_user("admin", username="ani", phone="0812 1111 2222")
    make_user("coordinator", username="budi")
    make_user("coordinator", username="gone")
    make_user("posko_staff", username="siti")
    make_user("warehouse_keeper", username="joko")
    with app.app_context():
        from app.extensions import db
        db.session.scalars(select(User).where(User.username == "gone")).one().is_active = False
        db.session.commit()
    auth.login("joko")
    note = home_note(client)
    assert note.startswith(catalog(app, "No warehouse is assigned to you yet, so you cannot "
                                        "record receipts, releases, transfers or counts "
                                        "anywhere."))
    assert "(Administrator, Koordinator Tagana)" in note
    assert "Test ani (Administrator), 0812 1111 2222" in note
    assert "Test budi (Koordinator Tagana)" in note
    assert "Test gone" not in note
    assert "Test siti" not in note


@pytest.mark.parametrize("role", ["admin", "coordinator", "posko_staff"])
def test_roles_not_limited_to_warehouses_see_no_warehouse_note(client, make_user, auth, role):
    make_user(role, username="someone")
    auth.login("someone")
    assert 'data-testid="scope-warehouse"' not in client.get("/home").get_data(as_text=True)


def test_the_user_list_shows_each_keepers_warehouses_or_that_they_have_none(
        app, client, admin, make_user, stock):
    make_user("warehouse_keeper", username="joko")
    make_user("warehouse_keeper", username="wati")
    stock.warehouse(name="Gudang Kahyapu", keepers=["joko"])
    page = client.get("/admin/users/").get_data(as_text=True)
    rows = {found.group(1): row for row in page.split("<tr>")
            if (found := re.search(r'/admin/users/\d+">(\w+)</a>', row))}
    assert "Gudang Kahyapu" in rows["joko"]
    assert catalog(app, "none assigned yet") in rows["wati"]
    assert 'data-testid="scope-warehouse"' not in rows["ani"]


def test_a_keeper_reads_their_own_warehouses_from_the_api(client, make_user, auth, stock):
    make_user("warehouse_keeper", username="joko")
    kept_here = stock.warehouse(keepers=["joko"])
    stock.warehouse()
    response = client.get("/api/v1/auth/me", headers=auth.headers("joko"))
    assert response.get_json()["warehouse_ids"] == [kept_here]
