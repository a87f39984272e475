"""Why a dispatch or a deployment's change was refused, in the words a Tagana coordinator reads.

Each refusal names its field (``volunteers.3.volunteer_id``, ``team_id``, ``at``) so a form or
an API client puts it beside the line it is about. Names, dates and status labels are passed
as parameters: the web layer translates the template, then formats them (WIB times, dates).
"""

from __future__ import annotations

from logistics.errors import Conflict, InvalidInput, InvalidTransition, NotFound
from logistics.i18n import N_


class UnknownVolunteer(InvalidInput):
    message = N_("No such volunteer: %(volunteer)s.")


class UnknownEquipment(InvalidInput):
    message = N_("No such equipment: %(equipment)s.")


class UnknownTeam(InvalidInput):
    message = N_("No such regu.")


class UnknownSkill(InvalidInput):
    message = N_("No such skill: %(code)s.")


class UnknownDeployment(NotFound):
    message = N_("No such deployment.")


class NothingToDispatch(InvalidInput):
    message = N_("Send at least one volunteer, regu or piece of equipment.")


class TeamEmpty(InvalidInput):
    message = N_("Regu %(team)s has no members.")


class PeriodBackwards(InvalidInput):
    message = N_("The end must come after the start.")


class PeriodOver(InvalidInput):
    message = N_("This period has already ended.")


class PeriodTooLong(InvalidInput):
    message = N_("A deployment lasts at most %(days)s days; dispatch again to extend it.")


class VolunteerNotActive(InvalidInput):
    message = N_("%(name)s is %(status)s and cannot be dispatched.")


class VolunteerUnavailable(InvalidInput):
    message = N_("%(name)s said they are unavailable from %(starts_on)s to %(ends_on)s.")


class EquipmentNotReady(InvalidInput):
    message = N_("%(item)s is %(status)s and cannot be dispatched.")


class VolunteerNamedTwice(InvalidInput):
    message = N_("%(name)s is already on line %(position)s of this dispatch.")


class VolunteerInTeam(InvalidInput):
    message = N_("%(name)s is already sent with regu %(team)s.")


class EquipmentNamedTwice(InvalidInput):
    message = N_("%(item)s is already on line %(position)s of this dispatch.")


class VolunteerAlreadyDeployed(Conflict):
    """The clash a coordinator must resolve: which dispatch, which posko, which period."""

    message = N_("%(name)s is already deployed to %(posko)s under %(number)s, from %(starts)s "
                 "to %(ends)s.")


class EquipmentAlreadyDeployed(Conflict):
    message = N_("%(item)s is already deployed to %(posko)s under %(number)s, from %(starts)s "
                 "to %(ends)s.")


class StayOverlaps(Conflict):
    """Sent home before the start: the short stay overlaps another booking still live."""

    message = N_("This stay overlaps %(number)s at %(posko)s, from %(starts)s to %(ends)s: "
                 "cancel or end that one first.")


class StillCheckedInElsewhere(Conflict):
    """Checked in at a second posko while the stay at the first is open: the hours would be
    counted twice, and the first posko still lists them as present."""

    message = N_("%(name)s is still checked in at %(posko)s under %(number)s: check them out "
                 "there first.")


class InFuture(InvalidInput):
    message = N_("Cannot be later than now.")


class CheckInTooEarly(InvalidInput):
    message = N_("Too early: the deployment starts at %(starts)s; check-in opens at "
                 "%(earliest)s.")


class CheckInAfterEnd(InvalidInput):
    message = N_("Too late: the deployment ended at %(ends)s.")


class LeftBeforeCheckIn(InvalidInput):
    message = N_("Cannot be earlier than the check-in at %(checked_in)s.")


class NotCheckedIn(InvalidTransition):
    """Leaving before arriving: the refused move, said as the coordinator can act on it."""

    message = N_("Not checked in yet: check in first, or cancel the deployment if they never "
                 "came.")


def refuse(problems: list) -> None:
    """Raise the first problem, carrying all of them: a form can show each beside its line,
    while an API answer and a log line read as the first."""
    if problems:
        first = problems[0]
        first.problems = problems
        raise first
