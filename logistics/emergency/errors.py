"""The emergency module's refusals, each with the message a coordinator or posko staff reads."""

from __future__ import annotations

from logistics.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from logistics.i18n import N_
from logistics.regions.errors import PointOutsideDesa, RegionNotDesa  # noqa: F401 (shared)


class UnknownEvent(NotFound):
    message = N_("No such event.")


class UnknownPosko(NotFound):
    message = N_("No such posko.")


class UnknownRequest(NotFound):
    message = N_("No such request.")


class UnknownStatus(NotFound):
    message = N_("No such emergency status.")


class EventEnded(Conflict):
    message = N_("Event %(number)s ended on %(ended_on)s; it takes no new records.")


class NotYourPosko(PermissionDenied):
    message = N_("You are not assigned to posko %(posko)s.")


class NotYourEvent(PermissionDenied):
    message = N_("You staff no posko of event %(number)s.")


class PoskoClosed(Conflict):
    message = N_("Posko %(posko)s closed on %(closed_on)s.")


class PoskoHasOpenRequests(Conflict):
    """Closing would strand the requests: no release reaches a closed posko, so they would
    wait in the queue for ever. The coordinator cancels or fulfils them first."""

    message = N_("Posko %(posko)s still has open requests (%(numbers)s): fulfil or cancel "
                 "them before closing it.")


class PoskoOutsideArea(InvalidInput):
    message = N_("Posko %(posko)s stands in desa %(desa)s, which this area leaves out: keep "
                 "its desa or its kecamatan in the area.")


class PoskoUsedAfterClose(InvalidInput):
    message = N_("Posko %(posko)s has a census or a release on %(day)s: it cannot be closed "
                 "before that day.")


class ReleasedAfterEnd(InvalidInput):
    message = N_("Goods were released under it on %(day)s: it cannot end before that day.")


class RegionNotKecamatanOrDesa(InvalidInput):
    message = N_("%(code)s is not a kecamatan, desa or kelurahan of the kabupaten.")


class DesaOutsideEvent(InvalidInput):
    message = N_("Desa %(desa)s is not in the area of event %(number)s.")


class StatusOverlaps(Conflict):
    message = N_("Status %(decree)s of this event already covers %(day)s.")


class SubmissionImportedAtOnce(Conflict):
    """Two imports saved one submission at the same moment (into two events): the retry
    sees the winner's household and says which event holds it."""

    message = N_("Another import saved some of these submissions at the same moment; "
                 "import the file again.")


class PhaseGoesBack(InvalidInput):
    message = N_("After %(old)s the event cannot go back to %(new)s.")


class GroupLargerThanPersons(InvalidInput):
    message = N_("Cannot be more than the %(persons)s persons counted.")


class AgeGroupsLargerThanPersons(InvalidInput):
    """Nobody is both under five and 60 or older: the two groups together fit in the persons."""

    message = N_("Under fives and elderly together cannot be more than the %(persons)s "
                 "persons counted.")


class MothersLargerThanFemale(InvalidInput):
    message = N_("Cannot be more than the %(female)s women and girls counted.")


class HouseholdsLargerThanPersons(InvalidInput):
    message = N_("Cannot be more households than the %(persons)s persons counted.")


class CensusInFuture(InvalidInput):
    message = N_("A census cannot be dated in the future.")


class ApprovedMoreThanAsked(InvalidInput):
    message = N_("Cannot approve %(approved)s: the posko asked for %(asked)s.")


class FulfilledMoreThanApproved(Conflict):
    message = N_("Cannot deliver %(qty)s: only %(open)s of the %(approved)s approved are "
                 "still open.")


class ReasonRequired(InvalidInput):
    message = N_("Say why.")


class UnknownLine(InvalidInput):
    message = N_("Not a line of request %(number)s.")
