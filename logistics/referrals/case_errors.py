"""Refusals of the case pipeline that `errors` does not name yet: kept beside the cases so the
foundation's error module is not edited by three helpers at once."""

from __future__ import annotations

from logistics.errors import Conflict
from logistics.i18n import N_


class CaseClosed(Conflict):
    message = N_("Case %(number)s is closed; open a new case for a new need.")


class NothingProposed(Conflict):
    message = N_("Propose at least one referral before the decision, or close the case.")


class CaseNotReferred(Conflict):
    message = N_("The case is not in the referral step: its referrals cannot be followed yet.")


class CaseNotDeciding(Conflict):
    message = N_("Referrals are decided while the case is in the service decision step.")


class CaseNotHandled(Conflict):
    message = N_("This is done while the case is in the handling step.")


class ReferralAlreadySent(Conflict):
    message = N_("A referral of this case has already been sent; follow it to its answer.")


class OpenCaseRaced(Conflict):
    message = N_("Another case was opened for this household at the same moment; reload it.")
