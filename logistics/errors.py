"""Typed domain errors; the web layer maps each kind to one HTTP status in one place.

Messages are English templates marked for translation with ``N_``; ``params`` fill them in
after translation, so the same error reads in Indonesian in the UI and English in logs.
"""

from __future__ import annotations

from logistics.i18n import N_


class DomainError(Exception):
    """Base of every rule violation an operation can report."""

    message = N_("The request could not be carried out.")

    def __init__(self, message: str | None = None, *, field: str | None = None, **params):
        self.message = message or self.message
        self.field = field
        self.params = params
        super().__init__(self.message % params if params else self.message)


class NotFound(DomainError):
    message = N_("Not found.")


class Conflict(DomainError):
    """The request is well-formed but clashes with the current state (e.g. a duplicate)."""

    message = N_("The request conflicts with the current state.")


class Unauthenticated(DomainError):
    """Wrong credentials; deliberately never says which part was wrong."""

    message = N_("Invalid username, password or token.")


class PermissionDenied(DomainError):
    message = N_("You do not have permission to do this.")


class InvalidInput(DomainError):
    """Input that passed the schema but breaks a rule the database must be asked about."""

    message = N_("Invalid input.")


class IdempotencyKeyReused(Conflict):
    """A retry key sent again with a different request: refusing beats guessing which was meant."""

    message = N_("This Idempotency-Key was used for a different request.")


class InvalidTransition(Conflict):
    """A status move its module's flow does not allow, or that another writer made first."""

    message = N_("Cannot move from %(old)s to %(new)s.")
