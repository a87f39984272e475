"""Recipients that are records of another module: a release to a posko names the posko.

Stock knows nothing of events. The module that keeps posko registers, once, how to resolve a
``posko_id`` on the day of the release: the name the BAST prints, the emergency decree that
authorises it (which opens the emergency gate, so nobody retypes the SK on a phone), and what
to record once the document is posted (so delivered-per-posko is a query, not a guess).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from logistics.errors import InvalidInput
from logistics.i18n import N_


@dataclass(frozen=True)
class Recipient:
    kind: str  # a documents.RecipientKind value
    name: str
    authority_ref: str | None  # the decree in force that day, or None
    record: Callable  # (session, document) -> None, called after the document is posted


Resolver = Callable[..., Recipient]  # (session, posko_id, on_day) -> Recipient
_posko: list[Resolver] = []


class PoskoNotAvailable(InvalidInput):
    message = N_("Posko cannot be named here.")


def register_posko(resolve: Resolver) -> None:
    """Declare how a ``posko_id`` becomes a recipient (called once by the emergency module)."""
    _posko[:] = [resolve]


def posko_recipient(session, posko_id: int, on_day: date) -> Recipient:
    if not _posko:
        raise PoskoNotAvailable(field="posko_id")
    return _posko[0](session, posko_id, on_day)
