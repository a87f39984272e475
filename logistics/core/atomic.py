"""All or nothing, and once per key: the wrappers every writing operation runs in.

``@all_or_nothing`` runs an operation in a savepoint, so a refusal half-way leaves none of its
statements behind even inside a caller's larger transaction. ``@idempotent("stock.issue")``
adds the key: a retry returns what the first try created, also when both race (the loser's key
insert fails on the primary key and the winner's result is returned, or 409 when the loser sent
another body). Either way a constraint failure becomes the rule it guards (`constraints`).
"""

from __future__ import annotations

from functools import wraps

from sqlalchemy.exc import IntegrityError

from logistics.core import idempotency
from logistics.core.constraints import constraint_of, rule_for


def all_or_nothing(operation):
    @wraps(operation)
    def run(session, **arguments):
        try:
            with session.begin_nested():
                return operation(session, **arguments)
        except IntegrityError as error:
            _raise_rule(session, error, arguments)

    return run


def idempotent(name: str):
    """Make a create retry-safe under ``name`` (e.g. ``"stock.receive"``); implies atomic."""

    def wrap(operation):
        @wraps(operation)
        def run(session, *, actor, idempotency_key=None, **arguments):
            if not idempotency_key:
                return all_or_nothing(operation)(session, actor=actor, **arguments)
            fingerprint = idempotency.fingerprint_of(name, arguments)
            earlier = idempotency.replay(session, actor, idempotency_key, fingerprint)
            if earlier is not None:
                return earlier
            try:
                with session.begin_nested():
                    claim = idempotency.claim(session, actor, idempotency_key, name, fingerprint)
                    result = operation(session, actor=actor, **arguments)
                    idempotency.record(session, claim, result)
                    return result
            except IntegrityError as error:
                if idempotency.is_key_clash(constraint_of(error)):
                    # A concurrent try with this key committed first: answer as a replay.
                    earlier = idempotency.replay(session, actor, idempotency_key, fingerprint)
                    if earlier is not None:
                        return earlier
                _raise_rule(session, error, arguments)

        run.operation_name = name
        return run

    return wrap


def _raise_rule(session, error: IntegrityError, arguments: dict):
    rule = rule_for(constraint_of(error), session, arguments)
    if rule is None:
        raise error
    raise rule from error
