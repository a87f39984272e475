"""Account factories: users committed in their own app context, and a logged-in client."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.extensions import db
from logistics.accounts import operations as accounts

TEST_PASSWORD = "correct-horse-battery"


@pytest.fixture
def make_user(app):
    """Create and commit a user; returns its username (the password is TEST_PASSWORD)."""
    counter = iter(range(1, 10_000))

    def make(role="admin", username=None, password=TEST_PASSWORD, **fields):
        username = username or f"{role}{next(counter)}"
        with app.app_context():
            accounts.create_user(db.session, username=username, full_name=f"Test {username}",
                                 role=role, password=password, **fields)
            db.session.commit()
        return username

    return make


@dataclass
class Auth:
    """Log a test client in through the real login form, or get bearer headers via the API."""

    client: object

    def login(self, username, password=TEST_PASSWORD):
        return self.client.post("/login", data={"username": username, "password": password})

    def logout(self):
        return self.client.post("/logout")

    def token(self, username, password=TEST_PASSWORD, days=30) -> str:
        response = self.client.post("/api/v1/auth/token", json={
            "username": username, "password": password, "days": days})
        assert response.status_code == 201, response.get_json()
        return response.get_json()["token"]

    def headers(self, username, password=TEST_PASSWORD) -> dict:
        return {"Authorization": f"Bearer {self.token(username, password)}"}


@pytest.fixture
def auth(client):
    return Auth(client)
