"""Users, passwords and API tokens, on both databases."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from logistics.accounts import operations
from logistics.accounts.errors import UnknownToken, UsernameTaken, WeakPassword
from logistics.accounts.models import ApiToken, User
from logistics.db import utcnow
from logistics.errors import Unauthenticated

PASSWORD = "a-long-enough-password"


@pytest.fixture
def user(session):
    user = operations.create_user(session, username="Siti", full_name="Siti R",
                                  role="warehouse_keeper", password=PASSWORD)
    session.commit()
    return user


def test_password_is_stored_hashed(user):
    assert PASSWORD not in user.password_hash
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_usernames_are_unique_regardless_of_case(session, user):
    with pytest.raises(UsernameTaken) as caught:
        operations.create_user(session, username="SITI", full_name="Other", role="admin",
                               password=PASSWORD)
    assert caught.value.field == "username"
    session.rollback()
    assert session.scalar(select(func.count()).select_from(User)) == 1


def test_short_password_is_refused(session):
    with pytest.raises(WeakPassword):
        operations.create_user(session, username="xena", full_name="X", role="admin",
                               password="short")


def test_unknown_role_is_refused(session):
    with pytest.raises(ValueError, match="superuser"):
        operations.create_user(session, username="xavi", full_name="X", role="superuser",
                               password=PASSWORD)


def test_unknown_role_is_refused_by_the_database_too(session):
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    insert = text(
        "INSERT INTO users (username, full_name, role, password_hash, is_active, created_at)"
        " VALUES ('xavi', 'X', 'superuser', 'x', true, CURRENT_TIMESTAMP)")
    with pytest.raises(IntegrityError):
        session.execute(insert)


def test_a_username_taken_by_a_concurrent_transaction_is_a_conflict(app, session):
    """The loser of a race for one username gets UsernameTaken, never a database error.

    On PostgreSQL both pass the existence check and the unique index decides (the savepoint
    path); on SQLite the second waits for the write lock and then fails the check.
    """
    import threading

    first = operations.create_user(session, username="budi", full_name="Budi", role="admin",
                                   password=PASSWORD)  # flushed, not yet committed
    outcome = []

    def second_writer():
        from sqlalchemy.orm import Session

        with Session(session.get_bind()) as other:
            try:
                operations.create_user(other, username="budi", full_name="Budi 2",
                                       role="admin", password=PASSWORD)
                other.commit()
                outcome.append("created")
            except UsernameTaken:
                outcome.append("taken")

    thread = threading.Thread(target=second_writer)
    thread.start()
    thread.join(timeout=1.0)  # it is now waiting on the first transaction's row or lock
    session.commit()
    thread.join(timeout=10)
    assert outcome == ["taken"]
    assert first.username == "budi"


def test_the_last_active_admin_cannot_be_demoted_or_deactivated(session):
    from logistics.accounts.errors import LastActiveAdmin

    admin = operations.create_user(session, username="ani", full_name="Ani", role="admin",
                                   password=PASSWORD)
    with pytest.raises(LastActiveAdmin) as demoted:
        operations.update_user(session, user=admin, full_name="Ani", role="coordinator",
                               is_active=True)
    assert demoted.value.field == "role"  # the message sits beside the field that caused it
    with pytest.raises(LastActiveAdmin) as deactivated:
        operations.update_user(session, user=admin, full_name="Ani", role="admin",
                               is_active=False)
    assert deactivated.value.field == "is_active"
    operations.create_user(session, username="budi", full_name="Budi", role="admin",
                           password=PASSWORD)
    operations.update_user(session, user=admin, full_name="Ani", role="coordinator",
                           is_active=True)
    assert admin.role == "coordinator"


def test_a_new_password_revokes_the_users_tokens(session, user):
    issued = operations.issue_token(session, user=user, name="x", valid_for=timedelta(days=1))
    operations.set_password(session, user=user, password="another-long-password")
    with pytest.raises(Unauthenticated):
        operations.user_for_token(session, issued.secret)


def test_login_is_case_insensitive_and_records_the_time(session, user):
    assert operations.authenticate(session, username=" siti ", password=PASSWORD) is user
    assert user.last_login_at is not None


@pytest.mark.parametrize(("username", "password"), [
    ("siti", "wrong-password!"), ("nobody", PASSWORD), ("nobody", "wrong-password!")])
def test_wrong_credentials_give_one_indistinguishable_error(session, user, username, password):
    with pytest.raises(Unauthenticated) as caught:
        operations.authenticate(session, username=username, password=password)
    assert str(caught.value) == "Invalid username, password or token."


def test_inactive_user_cannot_log_in(session, user):
    operations.update_user(session, user=user, full_name=user.full_name, role=user.role,
                           is_active=False)
    with pytest.raises(Unauthenticated):
        operations.authenticate(session, username="siti", password=PASSWORD)


def test_token_is_stored_only_as_a_hash_and_resolves_to_its_user(session, user):
    issued = operations.issue_token(session, user=user, name="laptop", valid_for=timedelta(days=1))
    session.commit()
    stored = session.scalars(select(ApiToken)).one()
    assert issued.secret not in (stored.token_hash, stored.prefix)
    assert issued.secret.startswith(stored.prefix)
    assert operations.user_for_token(session, issued.secret) is user


def test_revoked_token_stops_working(session, user):
    issued = operations.issue_token(session, user=user, name="x", valid_for=timedelta(days=1))
    operations.revoke_token(session, user=user, token_id=issued.token.id)
    with pytest.raises(Unauthenticated):
        operations.user_for_token(session, issued.secret)


def test_expired_token_stops_working(session, user):
    issued = operations.issue_token(session, user=user, name="x", valid_for=timedelta(hours=1))
    assert operations.user_for_token(session, issued.secret) is user
    with pytest.raises(Unauthenticated):
        operations.user_for_token(session, issued.secret, now=utcnow() + timedelta(hours=2))


def test_nobody_revokes_another_users_token(session, user):
    other = operations.create_user(session, username="budi", full_name="Budi", role="admin",
                                   password=PASSWORD)
    issued = operations.issue_token(session, user=user, name="x", valid_for=timedelta(days=1))
    with pytest.raises(UnknownToken):
        operations.revoke_token(session, user=other, token_id=issued.token.id)
    assert operations.user_for_token(session, issued.secret) is user


def test_deactivating_a_user_revokes_their_tokens(session, user):
    issued = operations.issue_token(session, user=user, name="x", valid_for=timedelta(days=1))
    operations.update_user(session, user=user, full_name=user.full_name, role=user.role,
                           is_active=False)
    session.commit()
    assert issued.token.revoked_at is not None
    with pytest.raises(Unauthenticated):
        operations.user_for_token(session, issued.secret)


def test_a_token_issued_with_the_old_password_during_a_change_is_revoked(app, session, user):
    """Login-for-token in flight while the password changes: its token must not survive."""
    import threading

    from sqlalchemy.orm import Session

    logged_in = operations.authenticate(session, username="siti", password=PASSWORD)
    changed = threading.Event()

    def change_password():
        with Session(session.get_bind()) as other:
            target = other.get(User, user.id)
            operations.set_password(other, user=target, password="a-different-password")
            other.commit()
            changed.set()

    thread = threading.Thread(target=change_password)
    thread.start()
    assert not changed.wait(timeout=1.0)  # the change waits for the login's lock
    issued = operations.issue_token(session, user=logged_in, name="x",
                                    valid_for=timedelta(days=1))
    session.commit()
    thread.join(timeout=10)
    assert changed.is_set()
    with pytest.raises(Unauthenticated):
        operations.user_for_token(session, issued.secret)
