"""The API: bearer tokens, role checks, error shapes, pagination, OpenAPI."""

import pytest
from openapi_spec_validator import validate
from sqlalchemy import func, select

from logistics.accounts.models import User
from logistics.regions import operations as region_operations
from logistics.regions import source
from tests.accounts.factories import TEST_PASSWORD


@pytest.fixture
def regions_loaded(app, session):
    region_operations.import_regions(session, code="17.03")
    session.commit()


def test_password_for_token_then_token_for_me(client, make_user, auth):
    make_user("coordinator", username="budi")
    headers = auth.headers("budi")
    me = client.get("/api/v1/auth/me", headers=headers)
    assert me.status_code == 200
    assert me.get_json()["username"] == "budi"
    assert me.get_json()["role"] == "coordinator"
    assert "password_hash" not in me.get_json()


@pytest.mark.parametrize(("username", "password"), [("budi", "wrong-password"),
                                                    ("nobody", TEST_PASSWORD)])
def test_bad_credentials_get_the_same_401(client, make_user, username, password):
    make_user("coordinator", username="budi")
    response = client.post("/api/v1/auth/token", json={"username": username,
                                                       "password": password})
    assert response.status_code == 401
    assert response.get_json()["message"] == "Nama pengguna, kata sandi, atau token salah."


def test_no_token_or_a_made_up_one_is_401(client):
    assert client.get("/api/v1/auth/me").status_code == 401
    bad = client.get("/api/v1/auth/me", headers={"Authorization": "Bearer lsk_made-up"})
    assert bad.status_code == 401
    assert bad.is_json


def test_revoked_token_is_refused_at_once(client, make_user, auth):
    make_user("coordinator", username="budi")
    headers = auth.headers("budi")
    token_id = client.get("/api/v1/auth/tokens", headers=headers).get_json()["items"][0]["id"]
    assert client.delete(f"/api/v1/auth/tokens/{token_id}", headers=headers).status_code == 204
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401


def test_expired_token_is_refused(client, make_user, session, auth):
    from datetime import timedelta

    from logistics.accounts.models import ApiToken
    from logistics.db import utcnow

    make_user("coordinator", username="budi")
    headers = auth.headers("budi")
    token = session.scalars(select(ApiToken)).one()
    token.expires_at = utcnow() - timedelta(seconds=1)
    session.commit()
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401


def test_token_list_never_shows_secrets(client, make_user, auth):
    make_user("coordinator", username="budi")
    headers = auth.headers("budi")
    secret = headers["Authorization"].split()[1]
    listing = client.get("/api/v1/auth/tokens", headers=headers)
    assert secret not in listing.get_data(as_text=True)
    assert listing.get_json()["items"][0]["prefix"] == secret[:10]


def test_non_admin_is_forbidden_user_admin_and_nothing_is_written(client, make_user, auth,
                                                                   session):
    make_user("leadership", username="kadis")
    headers = auth.headers("kadis")
    assert client.get("/api/v1/users/", headers=headers).status_code == 403
    response = client.post("/api/v1/users/", headers=headers, json={
        "username": "baru", "full_name": "Baru", "role": "admin", "password": "x" * 12})
    assert response.status_code == 403
    assert response.get_json()["status"] == 403
    assert session.scalar(select(func.count()).select_from(User)) == 1


def test_admin_creates_a_user_over_the_api(client, make_user, auth):
    make_user("admin", username="ani")
    response = client.post("/api/v1/users/", headers=auth.headers("ani"), json={
        "username": "dewi", "full_name": "Dewi Lestari", "role": "puskesos_front",
        "password": "a-long-enough-password"})
    assert response.status_code == 201
    assert response.get_json()["role"] == "puskesos_front"
    assert "password" not in response.get_json()


def test_invalid_body_is_422_with_a_message_per_field_and_writes_nothing(client, make_user,
                                                                          auth, session):
    make_user("admin", username="ani")
    response = client.post("/api/v1/users/", headers=auth.headers("ani"), json={
        "username": "a b", "full_name": "", "role": "chief", "password": "short"})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors) == {"username", "full_name", "role", "password"}
    assert session.scalar(select(func.count()).select_from(User)) == 1


def test_duplicate_username_is_a_409_naming_the_field(client, make_user, auth):
    make_user("admin", username="ani")
    response = client.post("/api/v1/users/", headers=auth.headers("ani"), json={
        "username": "ANI", "full_name": "Ani Lagi", "role": "admin",
        "password": "a-long-enough-password"})
    assert response.status_code == 409
    assert "username" in response.get_json()["errors"]


def test_unparseable_json_is_400(client, make_user, auth):
    make_user("admin", username="ani")
    response = client.post("/api/v1/users/", headers={**auth.headers("ani"),
                                                      "Content-Type": "application/json"},
                           data="{not json")
    assert response.status_code == 400
    assert response.is_json


def test_unknown_region_is_a_json_404(client, make_user, auth, regions_loaded):
    make_user("posko_staff", username="andi")
    response = client.get("/api/v1/regions/99.99", headers=auth.headers("andi"))
    assert response.status_code == 404
    assert "99.99" in response.get_json()["message"]


def test_regions_are_paged_by_cursor(client, make_user, auth, regions_loaded):
    make_user("posko_staff", username="andi")
    headers = auth.headers("andi")
    codes, after = [], None
    while True:
        query = {"parent": "17.03", "limit": 5} | ({"after": after} if after else {})
        page = client.get("/api/v1/regions/", headers=headers, query_string=query).get_json()
        codes += [r["code"] for r in page["items"]]
        after = page["next"]
        if after is None:
            break
    assert len(codes) == len(set(codes)) == 19


def test_region_detail_counts_children_and_flags_synthetic_geometry(client, make_user, auth,
                                                                      regions_loaded, session):
    from shapely.geometry import Point

    region_operations.set_geometry(session, code="17.03.09", centroid=Point(102.2, -3.6),
                                   boundary=None, is_synthetic=True, geometry_source="demo")
    session.commit()
    make_user("posko_staff", username="andi")
    body = client.get("/api/v1/regions/17.03.09", headers=auth.headers("andi")).get_json()
    desa_in_source = sum(1 for r in source.subtree("17.03.09") if r.kind == "desa")
    assert body["children_by_kind"] == {"desa": desa_in_source}
    assert body["is_synthetic"] is True
    assert body["centroid"] == {"type": "Point", "coordinates": [102.2, -3.6]}


def test_limit_out_of_range_is_422(client, make_user, auth):
    make_user("posko_staff", username="andi")
    response = client.get("/api/v1/regions/?limit=5000", headers=auth.headers("andi"))
    assert response.status_code == 422
    assert "limit" in response.get_json()["errors"]


def test_openapi_document_is_valid_and_describes_bearer_auth(client):
    spec = client.get("/api/openapi.json").get_json()
    validate(spec)
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert "/api/v1/regions/" in spec["paths"]
    assert spec["paths"]["/api/v1/auth/token"]["post"]["security"] == []


def test_api_docs_page_loads_only_local_assets(client):
    page = client.get("/api/docs").get_data(as_text=True)
    assert "http://" not in page
    assert "https://" not in page
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert f"/static/vendor/swagger-ui/{asset}" in page
        assert client.get(f"/static/vendor/swagger-ui/{asset}").status_code == 200


def test_api_clients_may_ask_for_english(client):
    response = client.get("/api/v1/auth/me", headers={"Accept-Language": "en"})
    assert response.get_json()["title"] == "Please log in"
    assert client.get("/api/v1/auth/me").get_json()["title"] == "Silakan masuk"


def test_token_use_is_recorded_after_the_response_at_most_every_15_minutes(client, make_user,
                                                                            auth, session):
    from logistics.accounts.models import ApiToken

    make_user("coordinator", username="budi")
    headers = auth.headers("budi")
    assert session.scalars(select(ApiToken)).one().last_used_at is None
    session.rollback()
    client.get("/api/v1/auth/me", headers=headers)
    first = session.scalars(select(ApiToken)).one().last_used_at
    session.rollback()
    assert first is not None
    client.get("/api/v1/auth/me", headers=headers)
    assert session.scalars(select(ApiToken)).one().last_used_at == first


def test_a_token_cannot_mint_a_longer_lived_token(client, make_user, auth, session):
    from logistics.accounts.models import ApiToken

    make_user("coordinator", username="budi")
    headers = auth.headers("budi")
    response = client.post("/api/v1/auth/tokens", headers=headers,
                           json={"name": "forever", "days": 365})
    assert response.status_code == 403
    assert session.scalar(select(func.count()).select_from(ApiToken)) == 1


def test_field_messages_follow_the_language_of_the_response(client, make_user, auth):
    make_user("admin", username="ani")
    headers = auth.headers("ani")
    indonesian = client.post("/api/v1/users/", headers=headers, json={}).get_json()
    assert indonesian["errors"]["role"] == ["Wajib diisi."]
    english = client.post("/api/v1/users/", headers={**headers, "Accept-Language": "en"},
                          json={}).get_json()
    assert english["errors"]["role"] == ["Missing data for required field."]


@pytest.mark.parametrize(("method", "path", "data"), [
    ("get", "/home", None),
    ("post", "/account/tokens", {"name": "forever", "days": 365}),
    ("post", "/account/password", {"current_password": "x", "new_password": "y" * 12,
                                   "confirm": "y" * 12}),
    ("get", "/admin/users/", None),
])
def test_pages_ignore_bearer_tokens(client, make_user, auth, session, method, path, data):
    """A token is for the API only: it opens no page and cannot reach page-only actions."""
    from logistics.accounts.models import ApiToken

    make_user("admin", username="ani")
    headers = auth.headers("ani")
    response = getattr(client, method)(path, headers=headers, data=data)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert session.scalar(select(func.count()).select_from(ApiToken)) == 1


def test_a_basic_auth_header_from_a_proxy_does_not_break_sessions(client, make_user, auth):
    make_user("admin", username="ani")
    auth.login("ani")
    proxy = {"Authorization": "Basic cHJveHk6c2VjcmV0"}
    assert client.get("/home", headers=proxy).status_code == 200
    assert client.get("/api/v1/auth/me", headers=proxy).status_code == 200


def test_the_password_exchange_works_even_when_a_token_is_also_sent(client, make_user, auth):
    make_user("coordinator", username="budi")
    headers = auth.headers("budi")
    response = client.post("/api/v1/auth/token", headers=headers,
                           json={"username": "budi", "password": TEST_PASSWORD})
    assert response.status_code == 201
