"""Two people at once: run domain work in threads released together, as the race tests do."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from app.extensions import db
from logistics.accounts import queries as account_queries
from logistics.errors import DomainError


def at_once(app, calls, *, refused: type[Exception] = DomainError) -> list[str]:
    """Run each (username, work) in its own thread, released together: "ok" or the name of
    the `refused` error it was turned away with (anything else propagates)."""
    barrier = threading.Barrier(len(calls))

    def one(call):
        username, work = call
        barrier.wait()  # before the first query: on SQLite a session's BEGIN takes the lock
        with app.app_context():
            actor = account_queries.get_user_by_username(db.session, username)
            try:
                work(db.session, actor)
                db.session.commit()
                return "ok"
            except refused as error:
                db.session.rollback()
                return type(error).__name__

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(one, calls))
