"""Guarded status changes: ``UPDATE … SET status = :to WHERE id = :id AND status = :from``.

Each module declares its flow once as a `Flow` (which moves are allowed, and how each status
reads). A move checks the flow, then updates only if the row is still where it was read; a
racing writer who moved it first makes the update touch no row, and the loser gets the same
409 as any other refused move, naming from and to.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select, update

from logistics.errors import InvalidTransition, NotFound


@dataclass(frozen=True)
class Flow:
    """A module's status machine: ``moves[from]`` is the set of statuses it may go to."""

    name: str
    moves: dict[str, frozenset[str]]
    labels: dict[str, str] = field(default_factory=dict)  # status -> N_() label

    def allows(self, old: str, new: str) -> bool:
        return new in self.moves.get(old, frozenset())

    def label(self, status: str | None) -> str:
        return self.labels.get(status, status or "-")


def move(session, model, row_id, flow: Flow, *, to: str, from_: str | None = None,
         column: str = "status", **values) -> str:
    """Move one row to ``to`` (from ``from_`` when given, else from where it is); returns the
    old status, or raises InvalidTransition (409) naming from and to."""
    status = getattr(model, column)
    current = session.scalar(select(status).where(model.id == row_id))
    if current is None and session.get(model, row_id) is None:
        raise NotFound()
    old = current if from_ is None else from_
    if current != old or not flow.allows(old, to):
        raise _refused(flow, current, to)
    if not move_if(session, model, row_id, flow, old=old, new=to, column=column, **values):
        now = session.scalar(select(status).where(model.id == row_id)
                             .execution_options(populate_existing=True))
        raise _refused(flow, now, to)
    return old


def move_if(session, model, row_id, flow: Flow, *, old: str, new: str, column: str = "status",
            **values) -> bool:
    """The guarded update alone: True when the row was in ``old`` and is now in ``new``.

    ``old == new`` is allowed as a hold: it changes nothing but locks the row while it stays in
    that status, so a writer racing to move it waits and then sees this transaction's work.
    """
    if old != new and not flow.allows(old, new):
        raise _refused(flow, old, new)
    status = getattr(model, column)
    result = session.execute(
        update(model).where(model.id == row_id, status == old)
        .values({column: new, **values})
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount == 1


def _refused(flow: Flow, old: str | None, new: str) -> InvalidTransition:
    return InvalidTransition(old=flow.label(old), new=flow.label(new), old_code=old, new_code=new)
