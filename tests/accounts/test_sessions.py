"""Browser sessions live in the database, so any worker can end them; on both databases."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from logistics.accounts import operations
from logistics.accounts.models import UserSession
from logistics.db import utcnow

PASSWORD = "a-long-enough-password"
DAY = timedelta(days=1)


@pytest.fixture
def user(session):
    user = operations.create_user(session, username="siti", full_name="Siti R",
                                  role="warehouse_keeper", password=PASSWORD)
    session.commit()
    return user


def live(session, user, key, lifetime=DAY):
    return operations.session_user(session, user_id=user.id, key=key, lifetime=lifetime)


def test_a_started_session_finds_its_user_until_it_is_ended(session, user):
    key = operations.start_session(session, user=user, lifetime=DAY)
    assert live(session, user, key) is user
    operations.end_session(session, key=key)
    assert live(session, user, key) is None


def test_a_key_belongs_to_its_user_only(session, user):
    other = operations.create_user(session, username="budi", full_name="Budi",
                                   role="coordinator", password=PASSWORD)
    key = operations.start_session(session, user=user, lifetime=DAY)
    assert operations.session_user(session, user_id=other.id, key=key, lifetime=DAY) is None


def test_a_new_password_ends_every_session(session, user):
    keys = [operations.start_session(session, user=user, lifetime=DAY) for _ in range(2)]
    operations.set_password(session, user=user, password="another-long-password")
    assert [live(session, user, key) for key in keys] == [None, None]


def test_ended_sessions_of_the_user_are_cleared_at_the_next_login(session, user):
    old = operations.start_session(session, user=user, lifetime=DAY, now=utcnow() - 2 * DAY)
    assert live(session, user, old) is None  # too old already
    operations.start_session(session, user=user, lifetime=DAY)
    assert session.scalar(select(func.count()).select_from(UserSession)) == 1
