"""The audit trail of personal data: every view, change or export of a household's NIK and
No. KK in full leaves a row saying who and when, for the Puskesos manager to read.

Only full numbers count: a viewer who sees them masked has seen nothing to audit. ``what``
names the page or field, never the number itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from logistics.core.masking import may_see_personal_data
from logistics.referrals.models import AuditAction, PersonalDataAccess


def record_access(session, *, actor, household_ids: Iterable[int], action: AuditAction | str,
                  what: str) -> None:
    """Note that ``actor`` saw (changed, exported) these households' personal data in full;
    a view by someone who sees masked numbers is not noted."""
    if action == AuditAction.VIEW and not may_see_personal_data(actor):
        return
    session.add_all(PersonalDataAccess(household_id=household_id, actor_id=actor.id,
                                       action=AuditAction(action).value, what=what[:250])
                    for household_id in dict.fromkeys(household_ids))
    session.flush()


def trail(session, household_id: int, *, limit: int = 200) -> list[PersonalDataAccess]:
    """The household's trail, newest first."""
    return list(session.scalars(
        select(PersonalDataAccess).where(PersonalDataAccess.household_id == household_id)
        .order_by(PersonalDataAccess.at.desc(), PersonalDataAccess.id.desc()).limit(limit)))
