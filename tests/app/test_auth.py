"""Logging in and out through the pages: messages, rate limit, CSRF, redirects."""

import pytest
from sqlalchemy import func, select

from logistics.accounts.errors import WeakPassword, WrongCurrentPassword
from logistics.accounts.models import ApiToken, User
from logistics.accounts.operations import MIN_PASSWORD_LENGTH
from logistics.core.fields import parse_integer
from tests.accounts.factories import TEST_PASSWORD
from tests.app.pages import beside, in_indonesian


def test_login_page_speaks_indonesian_by_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="id">' in page
    assert "Nama pengguna" in page
    assert "Kata sandi" in page


def test_login_then_home_shows_the_role(client, make_user, auth):
    make_user("warehouse_keeper", username="siti")
    response = auth.login("siti")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/home")
    page = client.get("/home").get_data(as_text=True)
    assert "Petugas gudang" in page


@pytest.mark.parametrize(("username", "password"), [("siti", "wrong-password"),
                                                    ("nobody", TEST_PASSWORD)])
def test_bad_credentials_get_401_without_saying_which_part(client, make_user, auth,
                                                           username, password):
    make_user("warehouse_keeper", username="siti")
    response = auth.login(username, password)
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "Nama pengguna atau kata sandi salah." in page
    assert client.get("/home").status_code == 302  # still not logged in


def test_empty_login_form_is_422_naming_the_fields_as_the_api_does(client):
    api = client.post("/api/v1/auth/token", json={"username": "", "password": ""})
    response = client.post("/login", data={"username": "", "password": ""})
    assert (api.status_code, response.status_code) == (422, 422)
    for field in ("username", "password"):
        assert beside(response, field) == api.get_json()["errors"][field] == ["Wajib diisi."]


def test_a_too_short_new_password_reads_as_in_the_api_and_changes_nothing(
        app, client, make_user, auth):
    make_user("warehouse_keeper", username="siti")
    auth.login("siti")
    response = client.post("/account/password", data={
        "current_password": TEST_PASSWORD, "new_password": "short", "confirm": "short"})
    assert response.status_code == 422
    assert beside(response, "new_password") == [
        in_indonesian(app, WeakPassword(min_length=MIN_PASSWORD_LENGTH))]
    auth.logout()
    assert auth.login("siti").status_code == 302


def test_differing_new_passwords_are_named_beside_the_confirmation(client, make_user, auth):
    make_user("warehouse_keeper", username="siti")
    auth.login("siti")
    response = client.post("/account/password", data={
        "current_password": TEST_PASSWORD, "new_password": "a-brand-new-password",
        "confirm": "another-new-password"})
    assert response.status_code == 422
    assert beside(response, "confirm") == ["Kedua kata sandi baru tidak sama."]
    auth.logout()
    assert auth.login("siti").status_code == 302


def test_a_wrong_current_password_stays_beside_its_field(app, client, make_user, auth):
    make_user("warehouse_keeper", username="siti")
    auth.login("siti")
    response = client.post("/account/password", data={
        "current_password": "not-my-password", "new_password": "a-brand-new-password",
        "confirm": "a-brand-new-password"})
    assert response.status_code == 422
    assert beside(response, "current_password") == [in_indonesian(app, WrongCurrentPassword())]


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"days": "0"}, "days", "Antara 1 dan 365 hari."),
    ({"days": "soon"}, "days", "Bukan bilangan bulat yang valid."),
    ({"name": "x" * 81}, "name", "Terlalu panjang."),
])
def test_a_token_rule_reads_the_same_on_the_page_and_in_the_api(client, make_user, auth,
                                                                session, change, field,
                                                                message):
    make_user("warehouse_keeper", username="siti")
    auth.login("siti")
    data = {"name": "laptop gudang", "days": "7", **change}
    # The page posts text; the API takes JSON, where a number is a number.
    days = parse_integer(data["days"])
    api = client.post("/api/v1/auth/tokens",
                      json={**data, "days": data["days"] if days is None else days})
    response = client.post("/account/tokens", data=data)
    assert (api.status_code, response.status_code) == (422, 422)
    assert beside(response, field) == api.get_json()["errors"][field] == [message]
    assert session.scalar(select(func.count()).select_from(ApiToken)) == 0


def test_pages_send_anonymous_visitors_to_login_and_back(client, make_user, auth):
    make_user("admin", username="ani")
    response = client.get("/regions/?q=padang")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/regions/?q%3Dpadang"
    response = client.post("/login?next=/regions/", data={"username": "ani",
                                                         "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/regions/"


def test_login_never_redirects_off_site(client, make_user):
    make_user("admin", username="ani")
    response = client.post("/login?next=//evil.example/x", data={"username": "ani",
                                                                "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/home"


def test_logout_ends_the_session(client, make_user, auth):
    make_user("admin", username="ani")
    auth.login("ani")
    assert client.get("/home").status_code == 200
    auth.logout()
    assert client.get("/home").status_code == 302


def test_deactivated_user_loses_the_session_at_once(app, client, make_user, auth, session):
    make_user("admin", username="ani")
    auth.login("ani")
    user = session.scalars(select(User).where(User.username == "ani")).one()
    user.is_active = False
    session.commit()
    assert client.get("/home").status_code == 302


class TestRateLimit:
    @pytest.fixture
    def app_config(self):
        return {"LOGIN_RATE_LIMIT": "3 per minute"}

    def test_repeated_login_attempts_are_throttled(self, client, make_user, auth):
        make_user("admin", username="ani")
        statuses = [auth.login("ani", "wrong-password").status_code for _ in range(4)]
        assert statuses == [401, 401, 401, 429]
        blocked = auth.login("ani")  # even the right password waits out the limit
        assert blocked.status_code == 429
        assert "Terlalu banyak percobaan" in blocked.get_data(as_text=True)

    def test_form_and_api_share_one_budget_of_failures(self, client, make_user, auth):
        make_user("admin", username="ani")
        assert [auth.login("ani", "wrong-password").status_code for _ in range(2)] == [401, 401]
        body = {"username": "ani", "password": "wrong-password"}
        statuses = [client.post("/api/v1/auth/token", json=body).status_code for _ in range(2)]
        assert statuses == [401, 429]

    def test_successful_logins_do_not_use_up_the_budget(self, client, make_user, auth):
        make_user("admin", username="ani")
        for _ in range(5):  # a shift of staff logging in behind one posko router
            assert auth.login("ani").status_code == 302
            auth.logout()
        assert auth.login("ani", "wrong-password").status_code == 401


class TestCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    @staticmethod
    def _login_with_token(client) -> str:
        page = client.get("/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        response = client.post("/login", data={"username": "ani", "password": TEST_PASSWORD,
                                               "csrf_token": token})
        assert response.status_code == 302
        return token

    def test_form_without_token_is_rejected_and_writes_nothing(self, client, make_user, session):
        make_user("admin", username="ani")
        csrf_token = self._login_with_token(client)
        form = {"username": "baru", "full_name": "Orang Baru", "role": "coordinator",
                "password": "a-long-enough-password"}
        response = client.post("/admin/users/new", data=form)
        assert response.status_code == 400
        assert "Muat ulang halaman" in response.get_data(as_text=True)
        assert session.scalar(select(func.count()).select_from(User)) == 1
        session.rollback()
        accepted = client.post("/admin/users/new", data={**form, "csrf_token": csrf_token})
        assert accepted.status_code == 302  # the same form with its token goes through

    def test_login_form_without_token_is_rejected(self, client, make_user):
        make_user("admin", username="ani")
        response = client.post("/login", data={"username": "ani", "password": TEST_PASSWORD})
        assert response.status_code == 400
        assert client.get("/home").status_code == 302

    def test_bearer_api_writes_need_no_csrf_token(self, client, make_user, auth):
        make_user("admin", username="ani")
        response = client.post("/api/v1/users/", headers=auth.headers("ani"), json={
            "username": "dewi", "full_name": "Dewi", "role": "posko_staff",
            "password": "a-long-enough-password"})
        assert response.status_code == 201

    def test_cookie_session_api_write_needs_the_csrf_header(self, client, make_user):
        make_user("admin", username="ani")
        token = self._login_with_token(client)
        body = {"name": "script", "days": 1}
        assert client.post("/api/v1/auth/tokens", json=body).status_code == 400
        response = client.post("/api/v1/auth/tokens", json=body, headers={"X-CSRFToken": token})
        assert response.status_code == 201


WORKER = """
import sys
from tests.conftest import make_app
app = make_app(sys.argv[1], RATELIMIT_STORAGE_URI=sys.argv[2], LOGIN_RATE_LIMIT="3 per minute",
               RATELIMIT_KEY_PREFIX=sys.argv[3])
client = app.test_client()
body = {"username": "ani", "password": "wrong-password"}
print(" ".join(str(client.post("/login", data=body).status_code) for _ in range(2)))
"""


def _worker_statuses(database_url: str, storage: str, key_prefix: str) -> str:
    """Run two login attempts in a separate process, as a second gunicorn worker would."""
    import subprocess
    import sys
    from pathlib import Path

    result = subprocess.run([sys.executable, "-c", WORKER, database_url, storage, key_prefix],
                            cwd=Path(__file__).resolve().parents[2], capture_output=True,
                            text=True, check=True, timeout=60)
    return result.stdout.strip().splitlines()[-1]


def test_login_limit_is_shared_between_worker_processes_through_redis(database_url, make_user):
    import uuid

    make_user("admin", username="ani")
    storage, prefix = "redis://127.0.0.1:6379/0", f"lumbung-test-{uuid.uuid4().hex}"
    assert _worker_statuses(database_url, storage, prefix) == "401 401"
    assert _worker_statuses(database_url, storage, prefix) == "401 429"


def test_memory_storage_is_per_process(database_url, make_user):
    """The contrast that gives the Redis test its meaning: memory:// counts per worker."""
    make_user("admin", username="ani")
    assert _worker_statuses(database_url, "memory://", "p") == "401 401"
    assert _worker_statuses(database_url, "memory://", "p") == "401 401"
