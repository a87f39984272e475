"""The surat rujukan: what an approved referral's letter says, read once and audited.

The letter goes to the receiving agency, which must identify the family: it carries the No. KK
and the head's NIK in full. So only those who may see personal data open it, in their own
Puskesos, and every opening is written to the audit trail as an export (a printed letter leaves
the system).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from logistics.accounts.roles import Permission
from logistics.errors import Conflict, PermissionDenied
from logistics.i18n import N_
from logistics.referrals.audit import record_access
from logistics.referrals.case_models import Case, Need, Programme, Referral, ReferralStatus
from logistics.referrals.cases import ensure_any, referral_or_fail
from logistics.referrals.models import AuditAction, Household, Puskesos

WITH_LETTER = frozenset({ReferralStatus.APPROVED, ReferralStatus.SENT, ReferralStatus.ACCEPTED,
                         ReferralStatus.SERVED, ReferralStatus.REJECTED})


class NoLetter(Conflict):
    message = N_("This referral has no letter: it has not been approved.")


@dataclass(frozen=True)
class Letter:
    referral: Referral
    case: Case
    programme: Programme
    household: Household
    puskesos: Puskesos
    head_name: str | None
    head_nik: str | None
    needs: list[Need]
    number: str
    dated: date


def letter_for(session, *, actor, referral_id: int) -> Letter:
    """The letter of an approved referral, for someone who may read NIK in full in its
    Puskesos; the reading is audited as an export."""
    referral = referral_or_fail(session, referral_id)
    case = referral.case
    if actor is None or not actor.can(Permission.VIEW_PERSONAL_DATA):
        raise PermissionDenied()
    ensure_any(session, actor, (Permission.VIEW_CASES,), case.puskesos)
    if referral.status not in WITH_LETTER or not referral.letter_number:
        raise NoLetter()
    household = case.household
    head = household.head
    record_access(session, actor=actor, household_ids=[household.id],
                  action=AuditAction.EXPORT, what=f"surat rujukan {referral.letter_number}")
    return Letter(referral=referral, case=case, programme=referral.programme,
                  household=household, puskesos=case.puskesos,
                  head_name=head.name if head else None, head_nik=head.nik if head else None,
                  needs=list(case.needs), number=referral.letter_number,
                  dated=referral.letter_date)
