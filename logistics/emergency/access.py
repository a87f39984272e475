"""Who may record what at which posko: posko staff only at the posko they staff.

The scope is declared in `logistics.accounts.roles.SCOPED`; this module says which posko a
user staffs, which there are, and how to change that, and gives the checks every emergency
operation calls. Assessments belong to a desa, not a posko, so staff may assess in the events
of the posko they staff.
"""

from __future__ import annotations

from sqlalchemy import delete, insert, select

from logistics.accounts import scopes
from logistics.accounts.roles import Permission, Scope
from logistics.emergency import errors
from logistics.emergency.models import Event, Posko, posko_staff
from logistics.errors import PermissionDenied
from logistics.i18n import N_


def staffed_posko_ids(session, user) -> set[int]:
    return set(session.scalars(select(posko_staff.c.posko_id)
                               .where(posko_staff.c.user_id == user.id)))


def posko_choices(session) -> list[tuple[int, str]]:
    """Every posko, newest event first, named with its code so two "Balai desa" differ."""
    return [(posko.id, f"{posko.code} {posko.name}") for posko in session.scalars(
        select(Posko).join(Event).order_by(Event.started_on.desc(), Posko.code))]


def set_staffed_posko(session, user, posko_ids: set[int]) -> None:
    staffed = staffed_posko_ids(session, user)
    if gone := staffed - set(posko_ids):
        session.execute(delete(posko_staff).where(posko_staff.c.user_id == user.id,
                                                  posko_staff.c.posko_id.in_(gone)))
    for posko_id in sorted(set(posko_ids) - staffed):
        session.execute(insert(posko_staff).values(posko_id=posko_id, user_id=user.id))


scopes.register(
    Scope.POSKO, staffed_posko_ids,
    choices=posko_choices,
    assign=set_staffed_posko,
    label=N_("Posko staffed (posko staff only)"),
    yours=N_("Your posko"),
    none_yet=N_("No posko is assigned to you yet, so you cannot record a census or a "
                "request anywhere."),
    assigned_by=Permission.MANAGE_EVENTS,
)


def ensure_may_record_at(session, actor, posko: Posko,
                         permission: Permission = Permission.RECORD_POSKO) -> None:
    """Refuse with 403 before anything is written."""
    if not actor.can(permission):
        raise PermissionDenied()
    if not scopes.is_within(session, actor, permission, posko.id):
        raise errors.NotYourPosko(posko=posko.code)


def ensure_may_assess_in(session, actor, event: Event) -> None:
    if not actor.can(Permission.RECORD_ASSESSMENTS):
        raise PermissionDenied()
    allowed = scopes.allowed_ids(session, actor, Permission.RECORD_ASSESSMENTS)
    if allowed is None:
        return
    if not session.scalar(select(Posko.id).where(Posko.event_id == event.id,
                                                 Posko.id.in_(allowed)).limit(1)):
        raise errors.NotYourEvent(number=event.number)


def recordable_posko_ids(session, actor) -> set[int] | None:
    """The posko the actor may record at; None means all of them."""
    return scopes.allowed_ids(session, actor, Permission.RECORD_POSKO)
