"""What a volunteer's record must say of itself, checked the same way by the schema (a form or
the API answers every problem at once, each on its field) and by the operations (a CLI command
or an import that bypasses the schema still cannot store a Sahabat Tagana with an NIA).

Pure: no database, no clock beyond the ``today`` it is given.
"""

from __future__ import annotations

from datetime import date

from logistics.core import identity
from logistics.i18n import N_
from logistics.roster import errors
from logistics.roster.models import Volunteer, VolunteerKind

RECRUITMENT_AGES = (18, 45)  # Permensos 28/2012: a Tagana is recruited at 18 to 45

# Flags: facts a coordinator should look at, computed from the data, never a refusal.
AGE_OUTSIDE_RECRUITMENT = "age_outside_recruitment"
FLAG_LABELS = {
    AGE_OUTSIDE_RECRUITMENT: N_("Outside the recruitment age of 18 to 45 when made Tagana."),
}


def kind_problems(kind: str, nia: str | None, is_legiun: bool) -> dict[str, str]:
    """A Tagana has an NIA, a Sahabat Tagana none (promotion gives it); only Tagana are Legiun."""
    found = {}
    if kind == VolunteerKind.TAGANA and not nia:
        found["nia"] = errors.NiaRequired.message
    if kind == VolunteerKind.SAHABAT and nia:
        found["nia"] = errors.NiaOnlyForTagana.message
    if is_legiun and kind != VolunteerKind.TAGANA:
        found["is_legiun"] = errors.LegiunOnlyTagana.message
    return found


def nik_problems(nik: str, sex: str | None, birth_date: date | None,
                 today: date | None = None) -> tuple[identity.Nik | None, dict[str, str]]:
    """The parsed NIK and what is wrong: the NIK itself (on ``nik``), or a sex or birth date
    it contradicts (on that field)."""
    try:
        parsed = identity.parse_nik(nik, today=today)
    except identity.IdentityError as error:
        return None, {"nik": error.message}
    return parsed, identity.mismatches(parsed, sex=sex, birth_date=birth_date)


def age_on(birth_date: date, day: date) -> int:
    """Whole years completed on ``day``."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def became_tagana_on(volunteer: Volunteer) -> date | None:
    """The day the volunteer was made Tagana: the last promotion, else the day they joined
    (registered as Tagana); None for a Sahabat Tagana."""
    if volunteer.kind != VolunteerKind.TAGANA:
        return None
    promotions = volunteer.promotions
    return promotions[-1].promoted_on if promotions else volunteer.joined_on


def flags_of(volunteer: Volunteer) -> list[str]:
    """Flags to show beside the volunteer; a new Tagana aged outside 18-45 when made Tagana is
    recorded (the coordinator may have a reason) but flagged."""
    found = []
    day = became_tagana_on(volunteer)
    if day is not None:
        age = age_on(volunteer.birth_date, day)
        if not RECRUITMENT_AGES[0] <= age <= RECRUITMENT_AGES[1]:
            found.append(AGE_OUTSIDE_RECRUITMENT)
    return found
