"""Find the best candidates for each skill near a posko without scoring the whole roster.

With 100,000 volunteers a coordinator still wants the list in a blink. Homes are read through
the index on (home_lat, home_lon) in a box around the posko, starting at 10 km. The box is
widened (doubling) only while someone outside it could still beat the list: everyone farther
than r km scores at most `ranking.best_beyond(r)`, so once each skill's last shown candidate
scores above that, nobody outside can enter and the list is exactly the one a full scan gives.
At 200 km the distance penalty is at its cap and stops helping: then everyone free is read
(volunteers without any known home among them).

Inside the box the same bound prunes: a candidate is only looked at in detail (certificates,
recent deployments) while its level and distance alone could still place it on the list,
best bound first, in rounds of twice as many per skill as the list shows. Plain latitude and
longitude columns, so SQLite and PostgreSQL without PostGIS search alike.
"""

from __future__ import annotations

import math
from bisect import insort
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import date, datetime

from logistics.regions import land
from logistics.roster import ranking
from logistics.roster import suggestion_queries as queries
from logistics.roster.ranking import Profile, Scored

START_KM = 10.0
FULL_KM = 200.0  # the distance penalty's cap: beyond, the box no longer bounds anyone
KM_PER_DEGREE = math.pi * ranking.EARTH_RADIUS_KM / 180
MARGIN = 1.01  # the box a little larger than the circle it must hold
ROUND = 2  # candidates read in detail per round, in lists' lengths: fewer round trips


def box_around(lon: float, lat: float, km: float) -> queries.Box:
    """A box holding every point within ``km`` of (lon, lat) on the ground."""
    dlat = km / KM_PER_DEGREE * MARGIN
    widest = min(89.0, abs(lat) + dlat)  # a degree of longitude is shortest there
    dlon = min(180.0, km / (KM_PER_DEGREE * math.cos(math.radians(widest))) * MARGIN)
    return queries.Box(lat - dlat, lat + dlat, lon - dlon, lon + dlon)


@dataclass(frozen=True)
class Search:
    """What the ranking needs fixed for one suggestion."""

    point: tuple[float, float]  # the posko (lon, lat)
    skills: dict[str, str]  # code -> name, as asked
    shown: dict[str, int]  # how many to rank per skill
    starts_at: datetime
    ends_at: datetime
    first_day: date
    now: datetime
    # Kecamatan on the posko's land mass (`logistics.regions.land`); None: everyone counts.
    reachable: frozenset[str] | None = None


@dataclass
class Found:
    lists: dict[str, list[Scored]]  # best first, at most `shown` each
    distances: dict[int, float | None]
    radius_km: float | None  # None: everyone free was read
    looked_at: int = 0  # candidates scored in detail


def best_near(session, search: Search) -> Found:
    """The best ``shown`` candidates of each skill, exactly as a full ranking orders them."""
    desa = queries.pointless_desa(session)
    busy = queries.busy_ids(session, search.starts_at, search.ends_at)
    found = Found({skill: [] for skill in search.skills}, {}, START_KM)
    scored: set[tuple[int, str]] = set()
    histories: dict[int, queries.History] = {}
    radius = START_KM
    while True:
        everyone = radius >= FULL_KM
        rows = _rows(session, search, None if everyone else radius, desa, busy)
        places = _places(rows, search.point, desa)
        levels: dict[int, dict[str, int]] = defaultdict(dict)
        queues: dict[str, list] = defaultdict(list)
        for row in rows:
            levels[row.volunteer_id][row.skill_code] = row.level
            if (row.volunteer_id, row.skill_code) not in scored:
                bound = ranking.upper_bound(row.level, places[row.volunteer_id][0])
                queues[row.skill_code].append((-bound, row.volunteer_id))
        ordered = {skill: deque(sorted(queue)) for skill, queue in queues.items()}
        _score(session, search, found, ordered, levels, places, histories, scored)
        if everyone or all(_certain(found.lists[skill], search.shown[skill], radius)
                           for skill in search.skills):
            found.radius_km = None if everyone else radius
            return found
        radius *= 2


def _rows(session, search: Search, radius: float | None, desa, busy
          ) -> list[queries.SkillRow]:
    arguments = (session, search.skills)
    if radius is None:
        rows = queries.skilled_rows(*arguments, busy=busy)
    else:
        box = box_around(*search.point, radius)
        inside = [code for code, (lon, lat, _) in desa.items()
                  if box.south <= lat <= box.north and box.west <= lon <= box.east]
        rows = (queries.skilled_rows(*arguments, box=box, busy=busy)
                + queries.skilled_rows(*arguments, desa_codes=inside, busy=busy))
    if search.reachable is None:
        return rows
    allowed = search.reachable | {None}  # nobody from across the sea (Enggano, mainland)
    return [row for row in rows if land.kecamatan_of(row.desa_code) in allowed]


def _places(rows, point, desa) -> dict[int, tuple[float | None, str | None]]:
    """Each volunteer's distance to the posko in km, and the desa named when it was reckoned
    from the desa's centre (no home point); None when nothing is known."""
    places = {}
    for row in rows:
        if row.volunteer_id in places:
            continue
        if row.lat is not None:
            places[row.volunteer_id] = (ranking.haversine_km(row.lon, row.lat, *point), None)
        elif row.desa_code in desa:
            lon, lat, name = desa[row.desa_code]
            places[row.volunteer_id] = (ranking.haversine_km(lon, lat, *point), name)
        else:
            places[row.volunteer_id] = (None, None)
    return places


def _score(session, search, found, queues, levels, places, histories, scored) -> None:
    """Score candidates best bound first until none left could enter a skill's list."""
    while True:
        batch = []
        for skill, queue in queues.items():
            last = _last_key(found.lists[skill], search.shown[skill])
            taken = 0
            while queue and taken < ROUND * search.shown[skill]:
                if last is not None and queue[0] >= last:
                    queue.clear()  # sorted: nobody after can enter either
                    break
                batch.append((queue.popleft()[1], skill))
                taken += 1
        if not batch:
            return
        unread = {volunteer for volunteer, _ in batch if volunteer not in histories}
        if unread:
            histories.update(queries.histories(session, unread, search.skills,
                                               search.starts_at, search.now))
        for volunteer, skill in batch:
            history = histories[volunteer]
            km, desa = places[volunteer]
            profile = Profile(volunteer, levels[volunteer], km, desa, history.certificates,
                              history.last_ended_at, history.hours)
            result = ranking.score(profile, skill, search.skills[skill], search.starts_at,
                                   search.first_day)
            scored.add((volunteer, skill))
            found.distances[volunteer] = km
            found.looked_at += 1
            insort(found.lists[skill], result, key=lambda item: item.key)
            del found.lists[skill][search.shown[skill]:]


def _last_key(listed: list[Scored], shown: int):
    return listed[shown - 1].key if len(listed) >= shown else None


def _certain(listed: list[Scored], shown: int, radius: float) -> bool:
    """Whether nobody farther than ``radius`` km could still enter the list."""
    return len(listed) >= shown and listed[shown - 1].score > ranking.best_beyond(radius)
