"""Score a volunteer for a skill a posko needs, and say why: pure arithmetic, no database.

A coordinator must be able to argue with the list ("why is Budi above Siti?"), so a score is
never a bare number: it is the sum of its reasons, each a translatable label with its points.
The points (issue 18, item 7), chosen so one level of skill outweighs 60 km of road and a valid
certificate outweighs a day and a bit short of rest:

- skill level: 30 per level (basic 30, skilled 60, expert 90);
- distance from home to the posko: -1 per 2 km on the ground, at most -100 (200 km and more,
  or a home nobody recorded);
- certificate for the skill: +20 when valid over the period's first day, 0 when expired or none;
- rest: -3 per day short of a week since the last deployment ended;
- load: -1 per 10 hours served in the 90 days before the period.

Ties are broken by volunteer id, so the same input always gives the same order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from logistics.i18n import N_
from logistics.roster.models import SkillLevel

POINTS_PER_LEVEL = 30
KM_PER_POINT = 2
MAX_DISTANCE_PENALTY = 100
CERTIFICATE_POINTS = 20
REST_DAYS = 7
REST_POINTS_PER_DAY = 3
LOAD_WINDOW = timedelta(days=90)
HOURS_PER_POINT = 10
EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG): haversine is then within 0.5 % of geodesic

# The best score anyone can reach: expert, certified, at the posko, rested, never sent.
BEST_SCORE = POINTS_PER_LEVEL * max(SkillLevel) + CERTIFICATE_POINTS

SKILL_LEVEL = N_("%(skill)s, level %(level)s")
DISTANCE = N_("Lives %(km)s km from the posko")
DISTANCE_FROM_DESA = N_("Home desa %(desa)s is %(km)s km from the posko (no home point)")
DISTANCE_UNKNOWN = N_("Home location unknown")
CERTIFICATE_VALID = N_("Certificate %(number)s valid")
CERTIFICATE_VALID_UNTIL = N_("Certificate %(number)s valid until %(expires)s")
CERTIFICATE_EXPIRED = N_("Certificate %(number)s expired on %(expires)s")
CERTIFICATE_NONE = N_("No certificate for this skill")
RESTED = N_("%(days)s days since the last deployment")
NEVER_DEPLOYED = N_("No deployment in the last 90 days")
LOAD = N_("%(hours)s hours served in the last 90 days")


@dataclass(frozen=True)
class Reason:
    """One part of a score: a stable code for programs, a label to translate, its points."""

    code: str
    label: str
    points: int
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Certificate:
    number: str
    expires_on: date | None


@dataclass(frozen=True)
class Profile:
    """What ranking needs to know about one volunteer, read beforehand (`suggestion_queries`)."""

    volunteer_id: int
    levels: dict[str, int]  # skill code -> level
    distance_km: float | None
    desa: str | None = None  # named when the distance is from the desa's centre
    certificates: dict[str, Certificate] = field(default_factory=dict)  # latest per skill
    last_ended_at: datetime | None = None
    hours_90_days: float = 0.0


@dataclass(frozen=True)
class Scored:
    volunteer_id: int
    skill_code: str
    score: int
    reasons: tuple[Reason, ...]

    @property
    def key(self) -> tuple[int, int]:
        """Sort key: best score first, then the lower id."""
        return (-self.score, self.volunteer_id)


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in km between two points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def distance_penalty(km: float | None) -> int:
    """-1 per whole 2 km, at most -100; an unknown home counts as the farthest."""
    if km is None:
        return -MAX_DISTANCE_PENALTY
    return -min(MAX_DISTANCE_PENALTY, int(km // KM_PER_POINT))


def best_beyond(km: float) -> int:
    """The highest score anyone living farther than ``km`` from the posko can reach: what
    lets the spatial search stop widening once its candidates beat it."""
    return BEST_SCORE + distance_penalty(km)


def upper_bound(level: int, km: float | None) -> int:
    """What a volunteer can score at most, knowing only level and distance."""
    return POINTS_PER_LEVEL * level + CERTIFICATE_POINTS + distance_penalty(km)


def score(profile: Profile, skill: str, skill_name: str, starts_at: datetime,
          first_day: date) -> Scored:
    """The volunteer's score for one skill over a period starting at ``starts_at`` (whose
    local day is ``first_day``), with every reason."""
    level = profile.levels[skill]
    reasons = [Reason("skill_level", SKILL_LEVEL, POINTS_PER_LEVEL * level,
                      {"skill": skill_name, "level": level})]
    reasons.append(_distance(profile))
    reasons.append(_certificate(profile.certificates.get(skill), first_day))
    reasons.append(_rest(profile.last_ended_at, starts_at))
    reasons.append(Reason("load", LOAD, -int(profile.hours_90_days // HOURS_PER_POINT),
                          {"hours": round(profile.hours_90_days)}))
    return Scored(profile.volunteer_id, skill, sum(reason.points for reason in reasons),
                  tuple(reasons))


def _distance(profile: Profile) -> Reason:
    km = profile.distance_km
    if km is None:
        return Reason("distance_unknown", DISTANCE_UNKNOWN, distance_penalty(None))
    shown = round(km, 1)
    if profile.desa is not None:
        return Reason("distance_from_desa", DISTANCE_FROM_DESA, distance_penalty(km),
                      {"km": shown, "desa": profile.desa})
    return Reason("distance", DISTANCE, distance_penalty(km), {"km": shown})


def _certificate(certificate: Certificate | None, first_day: date) -> Reason:
    if certificate is None:
        return Reason("certificate_none", CERTIFICATE_NONE, 0)
    if certificate.expires_on is None:
        return Reason("certificate_valid", CERTIFICATE_VALID, CERTIFICATE_POINTS,
                      {"number": certificate.number})
    params = {"number": certificate.number, "expires": certificate.expires_on}
    if certificate.expires_on < first_day:
        return Reason("certificate_expired", CERTIFICATE_EXPIRED, 0, params)
    return Reason("certificate_valid", CERTIFICATE_VALID_UNTIL, CERTIFICATE_POINTS, params)


def _rest(last_ended_at: datetime | None, starts_at: datetime) -> Reason:
    if last_ended_at is None:
        return Reason("rest", NEVER_DEPLOYED, 0)
    days = max(0, (starts_at - last_ended_at) // timedelta(days=1))
    return Reason("rest", RESTED, -REST_POINTS_PER_DAY * max(0, REST_DAYS - days),
                  {"days": days})


def ranked(scores) -> list[Scored]:
    """Best first; equal scores by volunteer id."""
    return sorted(scores, key=lambda scored: scored.key)


def propose(lists: dict[str, list[Scored]], wanted: dict[str, int]) -> dict[str, list[Scored]]:
    """Fill the need greedily, each person used once.

    The skill with the fewest spare candidates is filled first (so the only boat operator is
    not used up as a cook), then in the order asked; within a skill the best ranked go."""
    used: set[int] = set()
    order = sorted(wanted, key=lambda skill: (len(lists.get(skill, ())) - wanted[skill],
                                              list(wanted).index(skill)))
    chosen: dict[str, list[Scored]] = {skill: [] for skill in wanted}
    for skill in order:
        for candidate in lists.get(skill, ()):
            if len(chosen[skill]) == wanted[skill]:
                break
            if candidate.volunteer_id not in used:
                used.add(candidate.volunteer_id)
                chosen[skill].append(candidate)
    return chosen
