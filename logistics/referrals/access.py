"""Who may see and act on which households: Puskesos staff only in the Puskesos they work for.

The scope is declared in `logistics.accounts.roles.SCOPED`; this module says which Puskesos a
user works for, which there are and how to change that, and gives the one check every SLRT
operation and page calls before reading or writing a household.
"""

from __future__ import annotations

from sqlalchemy import delete, insert, select

from logistics.accounts import scopes
from logistics.accounts.roles import Permission, Scope
from logistics.errors import PermissionDenied
from logistics.i18n import N_
from logistics.referrals import errors
from logistics.referrals.models import Puskesos, puskesos_staff
from logistics.regions.models import Region


def served_puskesos_ids(session, user) -> set[int]:
    return set(session.scalars(select(puskesos_staff.c.puskesos_id)
                               .where(puskesos_staff.c.user_id == user.id)))


def puskesos_choices(session) -> list[tuple[int, str]]:
    """Every Puskesos, by kecamatan then desa name, so a kecamatan's read together."""
    rows = session.execute(
        select(Puskesos.id, Puskesos.name, Region.name)
        .join(Region, Region.code == Puskesos.desa_code)
        .order_by(Region.parent_code, Region.name))
    return [(puskesos_id, name) for puskesos_id, name, _ in rows]


def set_served_puskesos(session, user, puskesos_ids: set[int]) -> None:
    served = served_puskesos_ids(session, user)
    if gone := served - set(puskesos_ids):
        session.execute(delete(puskesos_staff).where(puskesos_staff.c.user_id == user.id,
                                                     puskesos_staff.c.puskesos_id.in_(gone)))
    for puskesos_id in sorted(set(puskesos_ids) - served):
        session.execute(insert(puskesos_staff).values(puskesos_id=puskesos_id,
                                                      user_id=user.id))


scopes.register(
    Scope.PUSKESOS, served_puskesos_ids,
    choices=puskesos_choices,
    assign=set_served_puskesos,
    label=N_("Puskesos served (Puskesos staff only)"),
    yours=N_("Your Puskesos"),
    none_yet=N_("No Puskesos is assigned to you yet, so you see no household."),
)


def visible_puskesos_ids(session, actor,
                         permission: Permission = Permission.VIEW_CASES) -> set[int] | None:
    """The Puskesos whose households the actor may use ``permission`` on; None: all."""
    return scopes.allowed_ids(session, actor, permission)


def ensure_may(session, actor, permission: Permission, puskesos: Puskesos) -> None:
    """Refuse with 403, before anything is read or written, outside the actor's Puskesos."""
    if actor is None or not actor.can(permission):
        raise PermissionDenied()
    if not scopes.is_within(session, actor, permission, puskesos.id):
        raise errors.NotYourPuskesos(desa=puskesos.desa.name if puskesos.desa else "-")
