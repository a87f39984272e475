"""Admins manage accounts through the pages; nobody else can."""

import pytest
from sqlalchemy import func, select

from logistics.accounts.models import User
from tests.accounts.factories import TEST_PASSWORD


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


def test_invalid_user_form_is_422_with_messages_and_writes_nothing(admin_client, session):
    response = admin_client.post("/admin/users/new", data={
        "username": "a b", "full_name": "", "role": "chief", "password": "short"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Kolom ini wajib diisi." in page
    assert "Minimal 10 karakter." in page
    assert _count(session) == 1


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


def test_duplicate_username_is_shown_on_the_username_field(admin_client):
    response = admin_client.post("/admin/users/new", data={
        "username": "ani", "full_name": "Ani Lagi", "role": "admin",
        "password": "a-long-enough-password"})
    page = response.get_data(as_text=True)
    field_part = page.split('id="username"')[1].split("</div>")[0]
    assert "sudah digunakan" in field_part
