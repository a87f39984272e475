"""Finding households: one by id with the Puskesos check, and the list a user may see,
searched by No. KK, NIK or the head's name.

A clerk at the counter has a family card or an ID card in hand, typed with whatever spaces the
card prints: a 16-digit search is exact on the No. KK and on the NIK of anyone living in the
household now; anything else is a part of the head's name. Pages are keyset (newest first).
"""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from logistics.accounts.roles import Permission
from logistics.core.identity import SIXTEEN, digits_of
from logistics.referrals import access, errors
from logistics.referrals.models import Household, Membership, Person, Relation


def household_or_fail(session, household_id, *, lock: bool = False) -> Household:
    query = select(Household).where(Household.id == household_id)
    if lock:
        query = query.with_for_update()
    household = session.scalar(query)
    if household is None:
        raise errors.UnknownHousehold()
    return household


def household_for(session, actor, household_id,
                  permission: Permission = Permission.VIEW_CASES, *,
                  lock: bool = False) -> Household:
    """The household, if the actor may use ``permission`` on it: 404, then 403 outside the
    actor's Puskesos."""
    household = household_or_fail(session, household_id, lock=lock)
    access.ensure_may(session, actor, permission, household.puskesos)
    return household


def household_by_kk(session, kk_number: str) -> Household:
    """The household of this No. KK (typed with any separators), or 404."""
    household = session.scalar(select(Household).where(
        Household.kk_number == digits_of(kk_number)))
    if household is None:
        raise errors.UnknownHousehold(field="kk_number")
    return household


def open_membership(session, person_id) -> Membership | None:
    return session.scalar(select(Membership).where(Membership.person_id == person_id,
                                                   Membership.ended_on.is_(None)))


def member_of(session, household: Household, person_id) -> Membership:
    """The person's open membership in this household, or 404."""
    membership = next((m for m in household.members if m.person_id == person_id), None)
    if membership is None:
        raise errors.UnknownHousehold(field="person_id")
    return membership


def _search(query, text: str):
    number = digits_of(text)
    if SIXTEEN.fullmatch(number):
        living_here = (select(Membership.household_id)
                       .join(Person, Person.id == Membership.person_id)
                       .where(Person.nik == number, Membership.ended_on.is_(None)))
        return query.where(or_(Household.kk_number == number, Household.id.in_(living_here)))
    pattern = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%") \
        .replace("_", "\\_") + "%"
    headed_by = (select(Membership.household_id)
                 .join(Person, Person.id == Membership.person_id)
                 .where(Membership.relation == Relation.HEAD, Membership.ended_on.is_(None),
                        func.lower(Person.name).like(pattern, escape="\\")))
    return query.where(Household.id.in_(headed_by))


def visible_households(session, actor, *, q: str | None = None, limit: int = 50,
                       after: int | None = None) -> list[Household]:
    """Up to ``limit + 1`` households the actor may see, newest first; ``after`` is the last
    id of the page before."""
    query = select(Household)
    allowed = access.visible_puskesos_ids(session, actor)
    if allowed is not None:
        query = query.where(Household.puskesos_id.in_(allowed or {-1}))
    if q and q.strip():
        query = _search(query, q.strip())
    if after is not None:
        query = query.where(Household.id < after)
    # The list shows each household's head and size and its desa: loaded with the page, not
    # one query per household.
    query = query.options(selectinload(Household.memberships).joinedload(Membership.person),
                          joinedload(Household.desa))
    return list(session.scalars(query.order_by(Household.id.desc()).limit(limit + 1)))
