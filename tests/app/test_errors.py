"""Errors answer in one shape: friendly Indonesian pages for people, JSON for programs."""

from tests.conftest import TEST_PASSWORD


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


def test_unexpected_failure_shows_no_stack_trace_and_rolls_back(app, client, make_user, session):
    from sqlalchemy import func, select

    from app.extensions import db
    from logistics.accounts import operations
    from logistics.accounts.models import User

    @app.get("/half-done")
    def half_done():
        operations.create_user(db.session, username="ghost", full_name="Ghost", role="admin",
                               password=TEST_PASSWORD)
        raise KeyError("internal detail")

    response = client.get("/half-done")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Traceback" not in page
    assert "internal detail" not in page
    assert "Terjadi kesalahan" in page
    assert session.scalar(select(func.count()).select_from(User)) == 0


def test_method_not_allowed_is_json_on_the_api(client):
    response = client.put("/api/v1/auth/me")
    assert response.status_code == 405
    assert response.is_json
