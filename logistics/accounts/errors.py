"""Account errors."""

from logistics.errors import Conflict, InvalidInput, NotFound
from logistics.i18n import N_


class UsernameTaken(Conflict):
    message = N_("The username %(username)s is already in use.")


class UnknownUser(NotFound):
    message = N_("No user named %(username)s.")


class UnknownToken(NotFound):
    message = N_("No such API token.")


class WeakPassword(InvalidInput):
    message = N_("The password must be at least %(min_length)s characters long.")


class WrongCurrentPassword(InvalidInput):
    message = N_("The current password is not correct.")
