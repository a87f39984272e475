"""Admins manage accounts through the pages; nobody else can."""


import pytest
from sqlalchemy import func, select

from logistics.accounts.errors import InvalidUsername, LastActiveAdmin, UsernameTaken, WeakPassword
from logistics.accounts.models import User
from logistics.accounts.operations import MIN_PASSWORD_LENGTH
from tests.accounts.factories import TEST_PASSWORD
from tests.app.pages import beside, in_indonesian

NEW_USER = {"username": "dewi", "full_name": "Dewi Lestari", "role": "coordinator",
            "password": "a-long-enough-password"}


@pytest.fixture
def admin_client(client, make_user, auth):
    make_user("admin", username="ani")
    auth.login("ani")
    return client


def _count(session):
    return session.scalar(select(func.count()).select_from(User))



def test_admin_creates_a_user_who_can_then_log_in(admin_client, auth, session):
    response = admin_client.post("/admin/users/new", data={
        "username": "dewi", "full_name": "Dewi Lestari", "role": "puskesos_front",
        "password": "a-long-enough-password"})
    assert response.status_code == 302
    assert "dewi" in admin_client.get("/admin/users/").get_data(as_text=True)
    auth.logout()
    assert auth.login("dewi", "a-long-enough-password").status_code == 302


def test_a_user_with_email_and_phone_is_created_from_the_page(admin_client, session):
    response = admin_client.post("/admin/users/new", data={
        **NEW_USER, "email": "dewi@example.id", "phone": " 0812 3456 "})
    assert response.status_code == 302
    dewi = session.scalars(select(User).where(User.username == "dewi")).one()
    assert (dewi.email, dewi.phone) == ("dewi@example.id", "0812 3456")


def test_invalid_user_form_shows_the_apis_message_beside_each_field_and_writes_nothing(
        admin_client, auth, session):
    bad = {"username": "a b", "full_name": "", "role": "chief", "password": "short"}
    api = admin_client.post("/api/v1/users/", json=bad, headers=auth.headers("ani"))
    assert api.status_code == 422
    response = admin_client.post("/admin/users/new", data=bad)
    assert response.status_code == 422
    for field, messages in api.get_json()["errors"].items():
        if field != "full_name":  # a blank box is a missing field, and says so
            assert beside(response, field) == messages, field
    assert beside(response, "full_name") == ["Wajib diisi."]
    assert beside(response, "role") == ["Bukan salah satu peran yang ada."]
    assert _count(session) == 1


@pytest.mark.parametrize(("change", "field", "status", "error"), [
    ({"username": "a b"}, "username", 422, InvalidUsername()),
    ({"password": "short"}, "password", 422, WeakPassword(min_length=MIN_PASSWORD_LENGTH)),
    ({"username": "ANI"}, "username", 409, UsernameTaken(username="ani")),
], ids=["username-pattern", "password-length", "unique-username"])
def test_a_user_rule_reads_the_same_on_the_page_and_in_the_api(
        app, admin_client, auth, session, change, field, status, error):
    data = {**NEW_USER, **change}
    api = admin_client.post("/api/v1/users/", json=data, headers=auth.headers("ani"))
    response = admin_client.post("/admin/users/new", data=data)
    assert (api.status_code, response.status_code) == (status, status)
    assert api.get_json()["errors"][field] == [in_indonesian(app, error)]
    assert beside(response, field) == [in_indonesian(app, error)]
    assert _count(session) == 1


def test_the_last_admin_rule_reads_the_same_on_the_edit_page_and_in_the_api(
        app, admin_client, auth, session):
    user_id = session.scalar(select(User.id).where(User.username == "ani"))
    session.rollback()
    api = admin_client.put(f"/api/v1/users/{user_id}", headers=auth.headers("ani"), json={
        "full_name": "Ani", "role": "coordinator", "is_active": True})
    response = admin_client.post(f"/admin/users/{user_id}", data={
        "full_name": "Ani", "role": "coordinator", "is_active": "y", "submit": "1"})
    assert (api.status_code, response.status_code) == (409, 409)
    message = in_indonesian(app, LastActiveAdmin())
    assert api.get_json()["message"] == message
    assert api.get_json()["errors"] == {"role": [message]}
    assert beside(response, "role") == [message]
    assert session.scalar(select(User.role).where(User.id == user_id)) == "admin"


def test_an_admin_edits_a_user_through_the_api_like_the_page(admin_client, make_user, auth,
                                                              session):
    make_user("coordinator", username="budi")
    user_id = session.scalar(select(User.id).where(User.username == "budi"))
    session.rollback()
    response = admin_client.put(f"/api/v1/users/{user_id}", headers=auth.headers("ani"), json={
        "full_name": "Budi Santoso", "role": "warehouse_keeper", "is_active": False,
        "phone": "0812"})
    assert response.status_code == 200
    assert response.get_json()["role"] == "warehouse_keeper"
    budi = session.scalars(select(User).where(User.id == user_id)).one()
    assert (budi.full_name, budi.is_active, budi.phone) == ("Budi Santoso", False, "0812")


def test_an_invalid_edit_shows_messages_beside_fields_and_changes_nothing(admin_client,
                                                                          make_user, session):
    make_user("coordinator", username="budi")
    user_id = session.scalar(select(User.id).where(User.username == "budi"))
    session.rollback()
    response = admin_client.post(f"/admin/users/{user_id}", data={
        "full_name": "B", "role": "chief", "email": "not-an-email", "submit": "1"})
    assert response.status_code == 422
    assert beside(response, "full_name") == ["2 sampai 120 karakter."]
    assert beside(response, "email") == ["Alamat email tidak valid."]
    assert session.scalar(select(User.role).where(User.id == user_id)) == "coordinator"


def test_a_too_short_reset_password_reads_as_in_the_api_and_changes_nothing(
        app, admin_client, make_user, auth, session):
    make_user("coordinator", username="budi")
    user_id = session.scalar(select(User.id).where(User.username == "budi"))
    session.rollback()
    response = admin_client.post(f"/admin/users/{user_id}/password",
                                 data={"pw-password": "short"})
    assert response.status_code == 422
    assert beside(response, "pw-password") == [
        in_indonesian(app, WeakPassword(min_length=MIN_PASSWORD_LENGTH))]
    auth.logout()
    assert auth.login("budi").status_code == 302


def test_duplicate_username_shows_a_readable_conflict(admin_client, session):
    response = admin_client.post("/admin/users/new", data={
        "username": "ANI", "full_name": "Ani Lagi", "role": "admin",
        "password": "a-long-enough-password"})
    assert response.status_code == 409
    assert "ani" in response.get_data(as_text=True)
    assert _count(session) == 1


def test_deactivating_a_user_blocks_their_login(admin_client, make_user, auth, session):
    make_user("coordinator", username="budi")
    user_id = session.scalar(select(User.id).where(User.username == "budi"))
    session.rollback()
    response = admin_client.post(f"/admin/users/{user_id}", data={
        "full_name": "Budi", "role": "coordinator", "submit": "1"})  # is_active unchecked
    assert response.status_code == 302
    auth.logout()
    assert auth.login("budi").status_code == 401


def test_admin_resets_a_password(admin_client, make_user, auth, session):
    make_user("coordinator", username="budi")
    user_id = session.scalar(select(User.id).where(User.username == "budi"))
    session.rollback()
    response = admin_client.post(f"/admin/users/{user_id}/password",
                                 data={"pw-password": "a-brand-new-password"})
    assert response.status_code == 302
    auth.logout()
    assert auth.login("budi", TEST_PASSWORD).status_code == 401
    assert auth.login("budi", "a-brand-new-password").status_code == 302


@pytest.mark.parametrize("role", ["coordinator", "warehouse_keeper", "posko_staff",
                                  "puskesos_front", "puskesos_back", "puskesos_manager",
                                  "leadership"])
def test_other_roles_cannot_manage_users(client, make_user, auth, session, role):
    make_user(role, username="someone")
    auth.login("someone")
    assert client.get("/admin/users/").status_code == 403
    response = client.post("/admin/users/new", data={
        "username": "sneaky", "full_name": "Sneaky", "role": "admin",
        "password": "a-long-enough-password"})
    assert response.status_code == 403
    assert _count(session) == 1


def test_password_reset_by_admin_ends_the_users_open_sessions(app, admin_client, make_user,
                                                                session):
    from tests.accounts.factories import Auth

    make_user("coordinator", username="budi")
    budi = app.test_client()
    Auth(budi).login("budi")
    assert budi.get("/home").status_code == 200
    user_id = session.scalar(select(User.id).where(User.username == "budi"))
    session.rollback()
    admin_client.post(f"/admin/users/{user_id}/password",
                      data={"pw-password": "a-brand-new-password"})
    assert budi.get("/home").status_code == 302


def test_the_only_admin_cannot_demote_themselves_and_sees_why(admin_client, session):
    user_id = session.scalar(select(User.id).where(User.username == "ani"))
    session.rollback()
    response = admin_client.post(f"/admin/users/{user_id}", data={
        "full_name": "Ani", "role": "coordinator", "is_active": "y", "submit": "1"})
    assert response.status_code == 409
    assert "minimal satu administrator aktif" in response.get_data(as_text=True)
    assert session.scalar(select(User.role).where(User.id == user_id)) == "admin"
