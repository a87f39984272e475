"""Account errors."""

from logistics.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from logistics.i18n import N_


class UsernameTaken(Conflict):
    message = N_("The username %(username)s is already in use.")


class UnknownUser(NotFound):
    message = N_("No user named %(username)s.")


class UnknownToken(NotFound):
    message = N_("No such API token.")


class InvalidUsername(InvalidInput):
    message = N_("3 to 40 letters, digits, dots, dashes or underscores.")


class LastActiveAdmin(Conflict):
    message = N_("At least one active administrator must remain.")


class TokenCannotIssueTokens(PermissionDenied):
    message = N_("A token cannot create other tokens; use your password or the web page.")


class WeakPassword(InvalidInput):
    message = N_("The password must be at least %(min_length)s characters long.")


class WrongCurrentPassword(InvalidInput):
    message = N_("The current password is not correct.")
