"""The roster's refusals, each naming the volunteer, regu or item so a coordinator knows what to
fix. Dispatch and deployments keep theirs in `dispatch_errors`."""

from __future__ import annotations

from logistics.errors import Conflict, InvalidInput, NotFound
from logistics.i18n import N_

ENDS_BEFORE_START = N_("Cannot end before it starts.")
JOINED_IN_FUTURE = N_("Cannot have joined in the future.")
JOINED_BEFORE_BIRTH = N_("Cannot have joined before the birth date.")
ENDED_IN_FUTURE = N_("A training is recorded once it has ended: this end is in the future.")
EXPIRES_BEFORE_END = N_("Cannot expire before the training ended.")
PROMOTED_IN_FUTURE = N_("Cannot be promoted in the future.")
PROMOTED_BEFORE_JOINING = N_("Cannot be promoted before joining.")


class UnknownVolunteer(NotFound):
    message = N_("No such volunteer.")


class UnknownSkill(InvalidInput):
    message = N_("No such skill: %(code)s.")


class UnknownTeam(NotFound):
    message = N_("No such regu.")


class UnknownEquipment(NotFound):
    message = N_("No such equipment.")


class UnknownUnavailability(NotFound):
    message = N_("No such unavailable period.")


class SkillNotFound(NotFound):
    message = N_("No such skill: %(code)s.")


class PeriodOver(Conflict):
    message = N_("The period from %(starts_on)s to %(ends_on)s is over: it stays on record.")


class RegionNotKecamatan(InvalidInput):
    message = N_("%(code)s is not a kecamatan.")


class DuplicateNia(Conflict):
    message = N_("NIA %(nia)s is already held by %(name)s.")


class DuplicateNik(Conflict):
    message = N_("This NIK is already registered, for %(name)s.")


class NiaOnlyForTagana(InvalidInput):
    message = N_("A Sahabat Tagana has no NIA yet: it is given on promotion to Tagana.")


class NiaRequired(InvalidInput):
    message = N_("A Tagana has a Nomor Induk Anggota (NIA).")


class LegiunOnlyTagana(InvalidInput):
    message = N_("Only a Tagana can be Legiun.")


class SkillTwice(InvalidInput):
    message = N_("%(skill)s is listed twice.")


class DuplicateSkill(Conflict):
    message = N_("The catalogue already has a skill %(skill)s.")


class DuplicateCertificate(Conflict):
    message = N_("Certificate %(number)s is already recorded for this volunteer.")


class SkillOnlyForSpecialist(InvalidInput):
    message = N_("Only a specialist training (spesialisasi) names a skill.")


class SpecialistNeedsSkill(InvalidInput):
    message = N_("A specialist training names the skill it certifies.")


class AlreadyTagana(Conflict):
    message = N_("%(name)s is already Tagana.")


class NotActive(Conflict):
    message = N_("%(name)s is %(status)s, not active.")


class UnavailabilityOverlaps(Conflict):
    message = N_("Overlaps the period from %(starts_on)s to %(ends_on)s already declared.")


class AlreadyInTeam(Conflict):
    message = N_("%(name)s is already in regu %(team)s.")


class NotInTeam(InvalidInput):
    message = N_("%(name)s is not in regu %(team)s.")


class LeaderCannotLeave(Conflict):
    message = N_("%(name)s leads regu %(team)s: choose another leader first.")


class DuplicateTeamName(Conflict):
    message = N_("A regu named %(name)s already exists.")


class DuplicateEquipmentCode(Conflict):
    message = N_("Equipment %(code)s is already registered.")
