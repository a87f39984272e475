"""Errors answer in one shape: friendly Indonesian pages for people, JSON for programs."""

from tests.accounts.factories import TEST_PASSWORD


def test_unknown_page_is_a_friendly_indonesian_404(client, make_user, auth):
    make_user("posko_staff", username="andi")
    auth.login("andi")
    response = client.get("/no-such-page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Halaman tidak ditemukan" in page
    assert 'href="/"' in page


def test_forbidden_page_explains_in_indonesian(client, make_user, auth):
    make_user("posko_staff", username="andi")
    auth.login("andi")
    response = client.get("/admin/users/")
    assert response.status_code == 403
    assert "Akses ditolak" in response.get_data(as_text=True)


def test_clients_preferring_json_get_json_outside_the_api_too(client):
    response = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json()["status"] == 404


def test_unexpected_failure_shows_no_stack_trace(app, client):
    @app.get("/half-done")
    def half_done():
        raise KeyError("internal detail")

    response = client.get("/half-done")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Traceback" not in page
    assert "internal detail" not in page
    assert "Terjadi kesalahan" in page


def test_database_failure_while_loading_the_user_still_gets_the_friendly_page(
    db_backend, new_database
):
    """Even when the database itself fails, people get the Indonesian page, not a bare 500."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from app.extensions import db
    from logistics.accounts import operations
    from tests.accounts.factories import Auth
    from tests.conftest import make_app

    app = make_app(new_database(db_backend), TESTING=False)
    with app.app_context():
        upgrade()
        operations.create_user(db.session, username="ani", full_name="Ani", role="admin",
                               password=TEST_PASSWORD)
        db.session.commit()
    client = app.test_client()
    Auth(client).login("ani")
    with app.app_context():
        # Renaming works on both databases whatever other tables point at users.
        db.session.execute(text("ALTER TABLE api_tokens RENAME TO api_tokens_gone"))
        db.session.execute(text("ALTER TABLE users RENAME TO users_gone"))
        db.session.commit()
        db.engine.dispose()
    page = client.get("/home")
    assert page.status_code == 500
    assert "Terjadi kesalahan" in page.get_data(as_text=True)
    api = client.get("/api/v1/auth/me")
    assert api.status_code == 500
    assert api.get_json()["title"] == "Terjadi kesalahan"
    with app.app_context():
        db.engine.dispose()


def test_method_not_allowed_is_json_on_the_api(client):
    response = client.put("/api/v1/auth/me")
    assert response.status_code == 405
    assert response.is_json


def test_an_unforeseen_constraint_failure_is_a_logged_500_not_a_vague_conflict(app, client,
                                                                              caplog):
    """Finding 8: a constraint no rule declares means an operation forgot a check; saying
    "someone changed this at the same moment" would hide it."""
    from sqlalchemy.exc import IntegrityError

    @app.post("/api/v1/constraint-nobody-declared")
    def constraint_nobody_declared():
        raise IntegrityError("INSERT ...", {}, Exception("CHECK constraint failed: ck_x"))

    response = client.post("/api/v1/constraint-nobody-declared",
                           headers={"Accept": "application/json"})
    assert response.status_code == 500
    assert response.get_json()["status"] == 500
    assert any(record.levelname == "ERROR" and record.exc_info for record in caplog.records)


def test_method_not_allowed_names_the_methods_the_address_takes(client):
    """RFC 9110: a 405 lists what is allowed, on the API and on pages alike (the fuzzer's find)."""
    api = client.put("/api/v1/auth/me")
    page = client.put("/home")
    assert (api.status_code, page.status_code) == (405, 405)
    assert set(api.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert set(page.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
