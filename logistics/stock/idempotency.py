"""Open a numbered document once per idempotency key, and run each verb all or nothing."""

from __future__ import annotations

import hashlib
import json
from functools import wraps

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from logistics.errors import InvalidInput
from logistics.i18n import N_
from logistics.stock import errors
from logistics.stock.documents import Document, next_number


def atomic(operation):
    """Run a verb in a savepoint: on any error none of its statements remain in the transaction.

    When a concurrent retry with the same idempotency key committed first, the unique key on
    documents fails our insert; the answer is then the document that retry posted. Any other
    unique clash (two people reversing one document at once) is a conflict to reload and check.
    """

    @wraps(operation)
    def run(session, *, actor, idempotency_key=None, **kwargs):
        try:
            with session.begin_nested():
                return operation(session, actor=actor, idempotency_key=idempotency_key, **kwargs)
        except IntegrityError as error:
            earlier = idempotency_key and session.scalar(select(Document).where(
                Document.actor_id == actor.id, Document.idempotency_key == idempotency_key))
            if earlier:
                return earlier
            raise errors.ConcurrentChange() from error

    return run


def open_document(session, actor, kind, warehouse, idempotency_key, today, *, payload,
                   document_date=None, **fields) -> tuple[Document, bool]:
    """Number and add the document, or find the one an earlier try with this key posted."""
    document_date = document_date or today
    if document_date > today:
        raise InvalidInput(N_("A document cannot be dated in the future."),
                           field="document_date")
    fingerprint = None
    if idempotency_key:
        fingerprint = _fingerprint(kind, warehouse.id, document_date, fields, payload)
        earlier = _earlier_attempt(session, actor, idempotency_key, fingerprint)
        if earlier is not None:
            return earlier, True
    document = Document(
        kind=kind, warehouse_id=warehouse.id, document_date=document_date, actor_id=actor.id,
        idempotency_key=idempotency_key, request_fingerprint=fingerprint,
        number=next_number(session, kind, warehouse, document_date.year), **fields,
    )
    session.add(document)
    session.flush()  # a concurrent try with the same key fails here, before any stock moves
    document.warehouse = warehouse
    return document, False


def _earlier_attempt(session, actor, key, fingerprint) -> Document | None:
    earlier = session.scalar(select(Document).where(Document.actor_id == actor.id,
                                                    Document.idempotency_key == key))
    if earlier is not None and earlier.request_fingerprint != fingerprint:
        raise errors.IdempotencyKeyReused()
    return earlier


def _fingerprint(kind, warehouse_id, document_date, fields, payload) -> str:
    text = json.dumps([kind, warehouse_id, document_date, fields, payload],
                      sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()
