"""Home page per role, regions browser, token page, language switch."""

import pytest

from app.main.tasks import DUTIES
from logistics.accounts.roles import Role
from logistics.regions import operations as region_operations
from tests.accounts.factories import TEST_PASSWORD, Auth


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_its_own_duties_on_home(client, make_user, auth, role):
    make_user(role.value, username="someone")
    auth.login("someone")
    page = client.get("/home").get_data(as_text=True)
    other_duties = {r: d for r, d in DUTIES.items() if r != role}
    with client.application.test_request_context():
        mine = str(DUTIES[role])
        others = [str(d) for d in other_duties.values()]
    assert mine in page
    assert not any(text in page for text in others)
    assert ("/admin/users/" in page) == (role == Role.ADMIN)


def test_regions_browser_walks_kabupaten_to_desa_and_searches(client, make_user, auth, session):
    region_operations.import_regions(session, code="17.03")
    session.commit()
    make_user("posko_staff", username="andi")
    auth.login("andi")
    top = client.get("/regions/").get_data(as_text=True)
    assert "Bengkulu" in top
    kabupaten = client.get("/regions/17.03").get_data(as_text=True)
    assert "Padang Jaya" in kabupaten
    assert "19 Kecamatan" in kabupaten
    assert "215 Desa" in kabupaten
    assert "5 Kelurahan" in kabupaten
    kecamatan = client.get("/regions/17.03.09").get_data(as_text=True)
    assert "Lubuk Banyau" in kecamatan
    assert "Kabupaten Bengkulu Utara" in kecamatan  # breadcrumb
    by_code = client.get("/regions/?q=17.03.09.2001").get_data(as_text=True)
    assert "Lubuk Banyau" in by_code
    by_name = client.get("/regions/?q=enggano").get_data(as_text=True)
    assert "17.03.01" in by_name


def test_unknown_region_page_is_404(client, make_user, auth):
    make_user("posko_staff", username="andi")
    auth.login("andi")
    assert client.get("/regions/99.99").status_code == 404


def test_token_page_shows_the_secret_once_and_revokes(client, make_user, auth):
    make_user("warehouse_keeper", username="siti")
    auth.login("siti")
    created = client.post("/account/tokens", data={"name": "laptop gudang", "days": 7})
    page = created.get_data(as_text=True)
    secret = page.split('<code class="token-secret">')[1].split("<")[0]
    assert secret.startswith("lsk_")
    assert client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {secret}"}).is_json
    again = client.get("/account/tokens").get_data(as_text=True)
    assert secret not in again
    assert "laptop gudang" in again
    token_id = client.get("/api/v1/auth/tokens").get_json()["items"][0]["id"]
    client.post(f"/account/tokens/{token_id}/revoke")
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 401


def test_language_switch_sticks_to_the_user_on_another_device(app, client, make_user, auth):
    make_user("coordinator", username="budi")
    auth.login("budi")
    assert "Beranda" in client.get("/home").get_data(as_text=True)
    client.post("/language/en", data={"next": "/home"})
    assert "What you can do now" in client.get("/home").get_data(as_text=True)
    other_device = app.test_client()
    Auth(other_device).login("budi")
    assert '<html lang="en">' in other_device.get("/home").get_data(as_text=True)


def test_unknown_language_is_404(client):
    assert client.post("/language/xx").status_code == 404


def test_changing_my_password_logs_out_my_other_devices_only(app, client, make_user, auth):
    make_user("warehouse_keeper", username="siti")
    auth.login("siti")
    other_device = app.test_client()
    Auth(other_device).login("siti")
    response = client.post("/account/password", data={
        "current_password": TEST_PASSWORD, "new_password": "a-brand-new-password",
        "confirm": "a-brand-new-password"})
    assert response.status_code == 302
    assert client.get("/home").status_code == 200
    assert other_device.get("/home").status_code == 302
    assert Auth(other_device).login("siti", "a-brand-new-password").status_code == 302


def test_wrong_current_password_is_a_field_error_and_changes_nothing(client, make_user, auth):
    make_user("warehouse_keeper", username="siti")
    auth.login("siti")
    response = client.post("/account/password", data={
        "current_password": "not-my-password", "new_password": "a-brand-new-password",
        "confirm": "a-brand-new-password"})
    assert response.status_code == 422
    assert "Kata sandi saat ini" in response.get_data(as_text=True)
    auth.logout()
    assert auth.login("siti").status_code == 302


def test_mismatched_new_passwords_are_422(client, make_user, auth):
    make_user("warehouse_keeper", username="siti")
    auth.login("siti")
    response = client.post("/account/password", data={
        "current_password": TEST_PASSWORD, "new_password": "a-brand-new-password",
        "confirm": "another-new-password"})
    assert response.status_code == 422


def test_names_are_escaped_inside_translated_sentences(client, make_user, auth, session):
    from logistics.accounts.models import User

    make_user("coordinator", username="budi")
    user = session.query(User).filter_by(username="budi").one()
    user.full_name = '<script>alert("x")</script>'
    session.commit()
    auth.login("budi")
    page = client.get("/home").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


def test_health_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
