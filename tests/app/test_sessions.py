"""A session ends on the server: logout, "log out everywhere" and a new password kill every copy."""

from datetime import timedelta

from sqlalchemy import select, update

from app.extensions import db
from logistics.accounts.models import User, UserSession
from logistics.db import utcnow
from tests.accounts.factories import TEST_PASSWORD, Auth

COOKIE = "session"


def copy_of(app, client):
    """Another client holding the same session cookie, as someone who copied it would."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    return thief


def test_a_cookie_copied_before_logout_no_longer_opens_pages_or_the_api(
    app, client, make_user, auth
):
    make_user("warehouse_keeper", username="siti")
    auth.login("siti")
    thief = copy_of(app, client)
    assert thief.get("/home").status_code == 200
    auth.logout()
    page = thief.get("/home")
    assert page.status_code == 302
    assert page.headers["Location"].startswith("/login")
    api = thief.get("/api/v1/auth/me")
    assert api.status_code == 401
    assert api.get_json()["status"] == 401


def test_logout_ends_only_this_session(app, client, make_user, auth):
    make_user("warehouse_keeper", username="siti")
    auth.login("siti")
    phone = app.test_client()
    Auth(phone).login("siti")
    auth.logout()
    assert client.get("/home").status_code == 302
    assert phone.get("/home").status_code == 200


def test_log_out_everywhere_ends_every_session_of_the_user_only(app, client, make_user, auth):
    make_user("warehouse_keeper", username="siti")
    make_user("coordinator", username="budi")
    auth.login("siti")
    phone, colleague = app.test_client(), app.test_client()
    Auth(phone).login("siti")
    Auth(colleague).login("budi")
    response = client.post("/account/sessions/end")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert client.get("/home").status_code == 302
    assert phone.get("/home").status_code == 302
    assert colleague.get("/home").status_code == 200
    assert auth.login("siti").status_code == 302
    assert client.get("/home").status_code == 200


def test_the_password_page_offers_log_out_everywhere(client, make_user, auth):
    make_user("warehouse_keeper", username="siti")
    auth.login("siti")
    page = client.get("/account/password").get_data(as_text=True)
    assert 'action="/account/sessions/end"' in page


def test_log_out_everywhere_needs_a_login(client):
    response = client.post("/account/sessions/end")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_a_new_password_ends_copies_of_this_session_but_keeps_this_device(
    app, client, make_user, auth
):
    make_user("warehouse_keeper", username="siti")
    auth.login("siti")
    thief = copy_of(app, client)
    client.post("/account/password", data={
        "current_password": TEST_PASSWORD, "new_password": "a-brand-new-password",
        "confirm": "a-brand-new-password"})
    assert client.get("/home").status_code == 200
    assert thief.get("/home").status_code == 302


def test_login_logout_login_again_works(client, make_user, auth):
    make_user("warehouse_keeper", username="siti")
    for _ in range(2):
        assert auth.login("siti").status_code == 302
        assert client.get("/home").status_code == 200
        assert auth.logout().status_code == 302
        assert client.get("/home").status_code == 302


def test_logout_without_a_session_just_goes_to_the_login_page(client):
    response = client.post("/logout")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_a_session_older_than_its_lifetime_has_ended(app, client, make_user, auth, session):
    make_user("warehouse_keeper", username="siti")
    auth.login("siti")
    user_id = session.scalar(select(User.id).where(User.username == "siti"))
    session.execute(update(UserSession).where(UserSession.user_id == user_id).values(
        created_at=utcnow() - timedelta(days=app.config["SESSION_DAYS"], minutes=1)))
    session.commit()
    assert client.get("/home").status_code == 302


def test_the_server_stores_no_usable_session_secret(client, make_user, auth, session):
    make_user("warehouse_keeper", username="siti")
    auth.login("siti")
    stored = session.scalars(select(UserSession.key_hash)).all()
    session.rollback()
    with client.session_transaction() as cookie:
        secret = cookie["session_key"]
    assert len(stored) == 1
    assert secret not in stored[0]


def test_a_deactivated_and_reactivated_user_must_log_in_again(app, client, make_user, auth,
                                                              session):
    from logistics.accounts import operations as accounts

    make_user("warehouse_keeper", username="siti")
    make_user("admin", username="ani")
    auth.login("siti")
    siti = session.scalars(select(User).where(User.username == "siti")).one()
    for active in (False, True):
        accounts.update_user(session, user=siti, full_name=siti.full_name, role=siti.role,
                             is_active=active)
        session.commit()
    assert client.get("/home").status_code == 302


def test_logout_on_one_worker_ends_the_session_on_the_other(database_url, client, make_user,
                                                           auth):
    """Two gunicorn workers share nothing but the database: that is where the session ends."""
    from tests.conftest import make_app

    make_user("warehouse_keeper", username="siti")
    auth.login("siti")
    worker = make_app(database_url)
    other_worker = worker.test_client()
    other_worker.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    assert other_worker.get("/home").status_code == 200
    auth.logout()
    assert other_worker.get("/home").status_code == 302
    with worker.app_context():
        db.engine.dispose()
