"""Dispatch suggestions: for a posko, a period and a need ("4 dapur umum, 2 LDP, 1 logistik,
1 perahu karet"), who and what to send, ranked, each with the reasons for its place.

The coordinator stays the one who decides: the suggestion proposes (the best ranked, each
person once) and the page preselects that proposal, but nothing is booked until `dispatch`
runs on what was chosen, with its own checks under lock. A suggestion only reads, so it can be
asked again freely while the need is being worked out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from logistics.accounts.roles import Permission
from logistics.calendar import local_time, local_today
from logistics.emergency.census import as_utc
from logistics.emergency.lookups import posko_or_fail
from logistics.emergency.models import Event, Posko
from logistics.errors import InvalidInput
from logistics.i18n import N_
from logistics.regions import land
from logistics.regions.models import Region
from logistics.roster import dispatch_errors, nearby, ranking
from logistics.roster import suggestion_queries as queries
from logistics.roster.deployment_models import EQUIPMENT_KIND_LABELS, EquipmentKind
from logistics.roster.dispatch import MAX_DAYS
from logistics.roster.lookups import ensure_can
from logistics.roster.models import Skill
from logistics.roster.ranking import Reason

SPARE = 5  # shown beyond what the whole need could take from one skill's list
EQUIPMENT_SPARE = 3
ROLE_LENGTH = 60  # Deployment.role

BASED_AT = N_("Based in Kecamatan %(kecamatan)s, %(km)s km from the posko")
NO_BASE = N_("No base location recorded")


class PoskoNotOpen(InvalidInput):
    message = N_("Posko %(posko)s closed on %(closed_on)s.")


class EventOver(InvalidInput):
    message = N_("Event %(number)s ended on %(ended_on)s; it takes no new records.")


class PoskoWithoutPlace(InvalidInput):
    message = N_("Posko %(posko)s has no location: record its point to rank by distance.")


@dataclass(frozen=True)
class Candidate:
    volunteer_id: int
    name: str
    kind: str
    phone: str | None
    skill_code: str
    score: int
    reasons: tuple[Reason, ...]
    distance_km: float | None
    rank: int
    is_proposed: bool


@dataclass(frozen=True)
class SkillSuggestion:
    skill_code: str
    skill_name: str
    wanted: int
    candidates: list[Candidate]

    @property
    def proposed(self) -> list[int]:
        return [c.volunteer_id for c in self.candidates if c.is_proposed]

    @property
    def missing(self) -> int:
        return self.wanted - len(self.proposed)


@dataclass(frozen=True)
class EquipmentCandidate:
    equipment_id: int
    code: str
    name: str
    kind: str
    distance_km: float | None
    reasons: tuple[Reason, ...]
    rank: int
    is_proposed: bool


@dataclass(frozen=True)
class EquipmentSuggestion:
    kind: str
    wanted: int
    candidates: list[EquipmentCandidate]

    @property
    def proposed(self) -> list[int]:
        return [c.equipment_id for c in self.candidates if c.is_proposed]

    @property
    def missing(self) -> int:
        return self.wanted - len(self.proposed)


@dataclass(frozen=True)
class Suggestions:
    posko_id: int
    posko_name: str
    starts_at: datetime
    ends_at: datetime
    skills: list[SkillSuggestion]
    equipment: list[EquipmentSuggestion]
    radius_km: float | None  # how far the search had to look; None: everyone
    looked_at: int = 0
    proposal: dict = field(default_factory=dict)  # `dispatch`'s volunteers= and equipment=


def suggest(session, *, actor, posko_id, starts_at: datetime, ends_at: datetime,
            skills=None, equipment=None, today=None, now=None) -> Suggestions:
    """Rank free active volunteers per skill and free equipment per kind for the posko and
    period, and propose who and what fills the need (each person once)."""
    ensure_can(actor, Permission.DISPATCH)
    skills, equipment = dict(skills or {}), dict(equipment or {})
    today, now = today or local_today(), now or datetime.now(UTC)
    starts_at, ends_at = as_utc(starts_at), as_utc(ends_at)
    posko = _open_posko(session, posko_id, starts_at, today)
    _check_period(starts_at, ends_at, now)
    if not skills and not equipment:
        raise dispatch_errors.NothingToDispatch(field="need")
    names = _skill_names(session, skills)
    point = _place_of(session, posko)
    whole = sum(skills.values())
    reachable = land.same_land(session, land.kecamatan_of(posko.desa_code))
    search = nearby.Search(point=point, skills=names,
                           shown={code: whole + SPARE for code in skills},
                           starts_at=starts_at, ends_at=ends_at,
                           first_day=local_time(starts_at).date(), now=now,
                           reachable=reachable)
    found = nearby.best_near(session, search) if skills else nearby.Found({}, {}, None)
    chosen = ranking.propose(found.lists, skills)
    shown_ids = {scored.volunteer_id for listed in found.lists.values() for scored in listed}
    who = queries.people(session, shown_ids)
    skill_lists = [SkillSuggestion(code, names[code], wanted, [
        _candidate(scored, rank, who, found.distances, chosen[code])
        for rank, scored in enumerate(found.lists[code], start=1)])
        for code, wanted in skills.items()]
    kit = _equipment(session, point, equipment, starts_at, ends_at, reachable)
    proposal = {
        "volunteers": [{"volunteer_id": c.volunteer_id, "skill_code": s.skill_code,
                        "role": role_for(s.skill_name)}
                       for s in skill_lists for c in s.candidates if c.is_proposed],
        "equipment": [{"equipment_id": c.equipment_id, "role": role_for(c.kind)}
                      for e in kit for c in e.candidates if c.is_proposed]}
    return Suggestions(posko.id, posko.name, starts_at, ends_at, skill_lists, kit,
                       found.radius_km, found.looked_at, proposal)


def role_for(label: str) -> str:
    """The role a deployment records: the skill's name (or the item's kind), as it fits."""
    return " ".join(label.replace("_", " ").split())[:ROLE_LENGTH]


def _candidate(scored, rank, who, distances, chosen) -> Candidate:
    name, kind, phone = who[scored.volunteer_id]
    return Candidate(scored.volunteer_id, name, kind, phone, scored.skill_code, scored.score,
                     scored.reasons, distances.get(scored.volunteer_id), rank,
                     any(pick.volunteer_id == scored.volunteer_id for pick in chosen))


def _open_posko(session, posko_id, starts_at: datetime, today) -> Posko:
    """The posko, of an event not over and itself not closed on the period's first day; a
    suggestion only reads, so these are input errors on the posko field (422)."""
    posko = posko_or_fail(session, posko_id, field="posko_id")
    event = session.get(Event, posko.event_id)
    first_day = max(local_time(starts_at).date(), today)
    if event.ended_on is not None and event.ended_on < first_day:
        raise EventOver(number=event.number, ended_on=event.ended_on, field="posko_id")
    if posko.closed_on is not None and posko.closed_on < first_day:
        raise PoskoNotOpen(posko=posko.name, closed_on=posko.closed_on, field="posko_id")
    return posko


def _check_period(starts_at: datetime, ends_at: datetime, now: datetime) -> None:
    """The same limits `dispatch` holds the period to, so a suggestion can be dispatched."""
    if ends_at <= starts_at:
        raise dispatch_errors.PeriodBackwards(field="ends_at")
    if ends_at <= now:
        raise dispatch_errors.PeriodOver(field="ends_at")
    if ends_at - starts_at > timedelta(days=MAX_DAYS):
        raise dispatch_errors.PeriodTooLong(days=MAX_DAYS, field="ends_at")


def _skill_names(session, skills) -> dict[str, str]:
    """Each skill asked for with its name, in the order asked; unknown codes refused, each on
    its own key of the need."""
    known = dict(session.execute(select(Skill.code, Skill.name)
                                 .where(Skill.code.in_(list(skills)))).all())
    dispatch_errors.refuse([dispatch_errors.UnknownSkill(code=code, field=f"need.skills.{code}")
                            for code in skills if code not in known])
    return {code: known[code] for code in skills}


def _place_of(session, posko: Posko) -> tuple[float, float]:
    """The posko's point, else the centre of its desa (lon, lat)."""
    if posko.point is not None:
        return posko.point.x, posko.point.y
    desa = session.get(Region, posko.desa_code)
    shape = desa.centroid if desa.centroid is not None else desa.boundary
    if shape is None:
        raise PoskoWithoutPlace(posko=posko.name, field="posko_id")
    centre = shape.centroid
    return centre.x, centre.y


def _equipment(session, point, wanted: dict, starts_at, ends_at, reachable
               ) -> list[EquipmentSuggestion]:
    """Free ready items per kind based on the posko's land mass: nearest base first, items
    without a base after, by id."""
    if not wanted:
        return []
    items: dict[str, list] = {kind: [] for kind in wanted}
    for item, base, kecamatan in queries.free_equipment(session, wanted, starts_at, ends_at):
        if reachable is not None and item.kecamatan_code not in reachable | {None}:
            continue  # based across the sea (Enggano and the mainland)
        km = ranking.haversine_km(*base, *point) if base is not None else None
        items[item.kind].append((item, km, kecamatan))
    suggestions = []
    for kind, count in wanted.items():
        ordered = sorted(items[kind], key=lambda entry: (
            entry[1] is None, entry[1] if entry[1] is not None else 0, entry[0].id))
        ordered = ordered[:count + EQUIPMENT_SPARE]
        suggestions.append(EquipmentSuggestion(kind, count, [
            EquipmentCandidate(item.id, item.code, item.name, item.kind, km,
                               (_base_reason(km, kecamatan),), rank, rank <= count)
            for rank, (item, km, kecamatan) in enumerate(ordered, start=1)]))
    return suggestions


def _base_reason(km, kecamatan) -> Reason:
    if km is None:
        return Reason("no_base", NO_BASE, 0)
    return Reason("base", BASED_AT, 0, {"kecamatan": kecamatan, "km": round(km, 1)})


def equipment_label(kind: str) -> str:
    """The kind's marked label (to translate), or the code for a kind no longer listed."""
    try:
        return EQUIPMENT_KIND_LABELS[EquipmentKind(kind)]
    except ValueError:
        return kind
