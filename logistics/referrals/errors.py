"""The SLRT module's refusals, each with the message a Puskesos clerk or manager reads."""

from __future__ import annotations

from logistics.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from logistics.i18n import N_


class UnknownHousehold(NotFound):
    message = N_("No such household.")


class UnknownCase(NotFound):
    message = N_("No such case.")


class UnknownReferral(NotFound):
    message = N_("No such referral.")


class UnknownEvent(InvalidInput):
    message = N_("No such event.")


class UnknownKecamatan(NotFound):
    message = N_("No kecamatan has the code %(code)s.")


class UnknownPuskesos(InvalidInput):
    message = N_("No Puskesos serves this desa.")


class NotYourPuskesos(PermissionDenied):
    message = N_("You do not work for the Puskesos of %(desa)s.")


class KkTaken(Conflict):
    message = N_("No. KK %(kk)s is already registered (household of %(desa)s).")


class PersonInAnotherHousehold(Conflict):
    message = N_("NIK %(nik)s already belongs to a household; record a move instead.")


class SameNikTwice(InvalidInput):
    message = N_("The same NIK is given for two members.")


class OneHeadOnly(InvalidInput):
    message = N_("A household has exactly one head (kepala keluarga).")


class ProgrammeInactive(Conflict):
    message = N_("Programme %(programme)s no longer takes referrals.")


class ProgrammeAlreadyProposed(Conflict):
    message = N_("Programme %(programme)s is already proposed for this case.")


class CaseHasOpenReferrals(Conflict):
    message = N_("%(count)s referral(s) still await an answer; record them first.")


class NothingDecided(Conflict):
    message = N_("Decide every proposed referral before the case moves on.")


class NoReferralApproved(Conflict):
    message = N_("No referral is approved: close the case instead, with a reason.")


class ReasonRequired(InvalidInput):
    message = N_("Give a reason.")


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
