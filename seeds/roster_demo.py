"""The Tagana roster of the demo, recorded through the real roster operations.

About 60 Tagana (some Legiun, some promoted from Sahabat Tagana) and 300 Sahabat Tagana live
in real desa of all 19 kecamatan of Bengkulu Utara, each at a point inside their desa's real
boundary; Enggano, an island three hours by boat from the mainland, has its own, because only
local volunteers reach a posko there within the hour. Their NIKs are made from their home
kecamatan and birth date (`seeds.people`), so each passes the rule a typed one must. Skills with
levels, trainings whose certificates partly run out within the month, promotions, declared
absences and five regu follow; `seeds.roster_demo_field` adds the equipment and sends people and
kit to the flood's posko through `dispatch`. Deterministic: the same day gives the same roster.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from shapely.geometry import Point
from sqlalchemy import select

from logistics.accounts.models import User
from logistics.regions.models import Level, Region
from logistics.roster import availability, promotions, skills, teams, trainings, volunteers
from logistics.roster.models import Volunteer, VolunteerKind, VolunteerStatus
from seeds import roster_demo_field
from seeds.people import People

KABUPATEN = "17.03"
ENGGANO = "17.03.01"
TAGANA, SAHABAT, LEGIUN, PROMOTED = 60, 300, 8, 8
# Everyone's minimum per kecamatan (Enggano more: no one crosses the sea in time).
TAGANA_FLOOR, SAHABAT_FLOOR = {ENGGANO: 3}, {ENGGANO: 10}
DEFAULT_TAGANA_FLOOR, DEFAULT_SAHABAT_FLOOR = 2, 6
# (skill code, weight): what the field most often needs, and so most volunteers learn.
SKILL_WEIGHTS = (("dapur_umum", 9), ("shelter", 5), ("water_rescue", 3), ("ldp", 5),
                 ("logistik", 6), ("kaji_cepat", 4), ("evakuasi", 7),
                 ("pertolongan_pertama", 7), ("komunikasi_radio", 3), ("pengemudi", 3),
                 ("operator_perahu", 2), ("manajemen_posko", 2), ("pendataan", 4),
                 ("air_bersih_sanitasi", 3), ("perlindungan_anak", 3), ("operator_genset", 2))
# Certificate validity by training kind (years); the diklat dasar does not expire.
VALID_YEARS = {"lanjutan": 4, "spesialisasi": 3}
EXPIRING_SOON, EXPIRED = 12, 4
TEAMS = (("Regu Siaga Ketahun", "17.03.12"), ("Regu Siaga Batik Nau", "17.03.11"),
         ("Regu Siaga Kota Arga Makmur", "17.03.07"), ("Regu Siaga Lais", "17.03.10"),
         ("Regu Siaga Enggano", ENGGANO))
ABSENCES = ("Bekerja di luar kota", "Sakit, istirahat dokter", "Merawat orang tua",
            "Panen sawit", "Mengikuti ujian kuliah", "Melahirkan / cuti keluarga")


@dataclass
class RosterSummary:
    tagana: int = 0
    legiun: int = 0
    sahabat: int = 0
    kecamatan: int = 0
    trainings: int = 0
    expiring_soon: int = 0
    teams: int = 0
    equipment: int = 0
    deployed_volunteers: int = 0
    checked_in: int = 0
    deployed_equipment: int = 0

    def line(self) -> str:
        return (f"Roster: {self.tagana} Tagana ({self.legiun} Legiun) and {self.sahabat} "
                f"Sahabat Tagana in {self.kecamatan} kecamatan, {self.trainings} trainings "
                f"({self.expiring_soon} certificates expiring within 30 days), {self.teams} "
                f"regu, {self.equipment} equipment; {self.deployed_volunteers} volunteers "
                f"({self.checked_in} checked in) and {self.deployed_equipment} items deployed.")


def is_loaded(session) -> bool:
    return session.scalar(select(Volunteer.id).limit(1)) is not None


def load_roster_demo(session, *, today: date) -> RosterSummary | None:
    """Record the roster and its deployments; None when Bengkulu Utara is not held."""
    if session.get(Region, KABUPATEN) is None:
        return None
    coordinator = session.scalar(select(User).where(User.username == "koordinator"))
    skills.seed_defaults(session)
    builder = _Builder(session, coordinator, today)
    builder.volunteers()
    builder.trainings()
    builder.promotions()
    team_ids = builder.teams()
    builder.absences(exclude=builder.team_members)
    summary = builder.summary
    summary.teams = len(team_ids)
    roster_demo_field.load(session, coordinator, today, summary, team_ids=team_ids)
    return summary


def point_inside(desa: Region, rng: random.Random) -> tuple[float, float] | None:
    """A home (longitude, latitude) drawn inside the desa's boundary, to five decimals."""
    boundary = desa.boundary
    if boundary is None:
        return (round(desa.centroid.x, 5), round(desa.centroid.y, 5)) if desa.centroid else None
    west, south, east, north = boundary.bounds
    for _ in range(60):
        point = (round(rng.uniform(west, east), 5), round(rng.uniform(south, north), 5))
        if boundary.covers(Point(point)):
            return point
    inside = boundary.representative_point()
    return inside.x, inside.y


def _apportion(total: int, floors: dict[str, int], weights: dict[str, int],
               rng: random.Random) -> dict[str, int]:
    """Each kecamatan its floor, the rest drawn by weight (its number of desa)."""
    counts = dict(floors)
    codes = sorted(weights)
    extra = total - sum(counts.values())
    for code in rng.choices(codes, weights=[weights[c] for c in codes], k=extra):
        counts[code] += 1
    return counts


class _Builder:
    """Keeps what one demo load has made, so the later steps pick from it."""

    def __init__(self, session, actor, today):
        self.session, self.actor, self.today = session, actor, today
        self.rng = random.Random(1703_0018)
        self.people = People(seed=1718, first_serial=5000)  # serials no other demo uses
        self.summary = RosterSummary()
        self.by_kecamatan: dict[str, list[Volunteer]] = {}
        self.promoted: list[Volunteer] = []
        self.team_members: set[int] = set()
        self.kinds: dict[int, str] = {}  # legiun, tagana, promoted or sahabat
        self.nia_serial = 0
        self.certificate_serial = 0

    def _desa_by_kecamatan(self) -> dict[str, list[Region]]:
        rows = self.session.scalars(select(Region).where(
            Region.level == Level.DESA, Region.code.startswith(KABUPATEN + "."))
            .order_by(Region.code))
        found: dict[str, list[Region]] = {}
        for desa in rows:
            found.setdefault(desa.parent_code, []).append(desa)
        return found

    def _nia(self) -> str:
        self.nia_serial += 1
        return f"TGN 1703 {self.nia_serial:04d}"

    def volunteers(self) -> None:
        rng = self.rng
        desa = self._desa_by_kecamatan()
        sizes = {code: len(rows) for code, rows in desa.items()}
        tagana = _apportion(TAGANA, {c: TAGANA_FLOOR.get(c, DEFAULT_TAGANA_FLOOR) for c in desa},
                            sizes, rng)
        sahabat = _apportion(SAHABAT, {c: SAHABAT_FLOOR.get(c, DEFAULT_SAHABAT_FLOOR)
                                       for c in desa}, sizes, rng)
        legiun = set(rng.sample(range(TAGANA), LEGIUN))
        promoted = set(rng.sample(sorted(set(range(TAGANA)) - legiun), PROMOTED))
        number = 0
        for kecamatan in sorted(desa):
            for index in range(tagana[kecamatan] + sahabat[kecamatan]):
                is_tagana = index < tagana[kecamatan]
                home = rng.choice(desa[kecamatan])
                if is_tagana:
                    kind = "legiun" if number in legiun else (
                        "promoted" if number in promoted else "tagana")
                    number += 1
                else:
                    kind = "sahabat"
                self._register(kecamatan, home, kind)
        self.summary.kecamatan = len(self.by_kecamatan)

    def _register(self, kecamatan: str, home: Region, kind: str) -> None:
        rng, today = self.rng, self.today
        ages = {"legiun": (45, 58), "tagana": (22, 44), "promoted": (24, 40),
                "sahabat": (18, 35)}[kind]
        person = self.people.person(kecamatan, today=today, min_age=ages[0], max_age=ages[1],
                                    sex="F" if rng.random() < 0.35 else "M")
        age = (today - person.birth_date).days // 365
        years = {"legiun": (max(12, age - 44), min(22, age - 19)),
                 "tagana": (1, max(1, min(10, age - 19))),
                 "promoted": (3, max(3, min(7, age - 19))),
                 "sahabat": (0, max(0, min(5, age - 18)))}[kind]
        joined = today - timedelta(days=365 * rng.randint(*years) + rng.randrange(0, 300))
        joined = max(joined, person.birth_date + timedelta(days=365 * 18 + 5))
        status = VolunteerStatus.ACTIVE
        if kind != "promoted" and rng.random() < (0.05 if kind != "sahabat" else 0.06):
            status = rng.choice([VolunteerStatus.INACTIVE] * 4 + [VolunteerStatus.SUSPENDED])
        is_tagana = kind in ("legiun", "tagana")
        point = point_inside(home, rng)
        volunteer = volunteers.register_volunteer(
            self.session, actor=self.actor,
            kind=VolunteerKind.TAGANA if is_tagana else VolunteerKind.SAHABAT,
            is_legiun=kind == "legiun", nia=self._nia() if is_tagana else None,
            name=person.name, nik=person.nik, phone=person.phone if rng.random() < 0.93 else None,
            home_desa_code=home.code, home_lon=point[0] if point else None,
            home_lat=point[1] if point else None, status=status, joined_on=joined, today=today)
        level_range = {"legiun": (2, 3), "tagana": (1, 3), "promoted": (1, 2),
                       "sahabat": (1, 2)}[kind]
        how_many = rng.randint(2, 4) if kind != "sahabat" else rng.randint(1, 3)
        chosen = []
        while len(chosen) < how_many:
            code = rng.choices(*zip(*SKILL_WEIGHTS, strict=True))[0]
            if code not in chosen:
                chosen.append(code)
        volunteers.set_skills(self.session, actor=self.actor, volunteer_id=volunteer.id, skills=[
            {"skill_code": code, "level": rng.randint(*level_range)} for code in chosen])
        self.kinds[volunteer.id] = kind
        self.by_kecamatan.setdefault(kecamatan, []).append(volunteer)
        if kind == "promoted":
            self.promoted.append(volunteer)
        self.summary.legiun += kind == "legiun"

    def _certificate(self, kind: str, year: int) -> str:
        self.certificate_serial += 1
        prefix = {"dasar": "DD", "lanjutan": "DL", "spesialisasi": "DS"}[kind]
        return f"{prefix}.{self.certificate_serial:04d}/TAGANA-BKU/{year}"

    def _train(self, volunteer, kind, ended_on, skill_code=None, *, expires_on=None) -> None:
        ended_on = min(ended_on, self.today)
        if expires_on is None and kind in VALID_YEARS:
            expires_on = ended_on + timedelta(days=365 * VALID_YEARS[kind])
        days = {"dasar": 5, "lanjutan": 7, "spesialisasi": 4}[kind]
        trainings.record_training(
            self.session, actor=self.actor, volunteer_id=volunteer.id, kind=kind,
            certificate_no=self._certificate(kind, ended_on.year),
            started_on=ended_on - timedelta(days=days - 1), ended_on=ended_on,
            expires_on=expires_on, skill_code=skill_code, today=self.today)
        self.summary.trainings += 1
        if expires_on is not None and 0 <= (expires_on - self.today).days <= 30:
            self.summary.expiring_soon += 1

    def trainings(self) -> None:
        """Diklat dasar for every Tagana and nearly half the Sahabat Tagana; lanjutan and
        specialisations for Tagana. The first Tagana trained over three years ago get a
        specialisation expiring within the month, a few an expired one not yet renewed."""
        rng, today = self.rng, self.today
        soon, expired = EXPIRING_SOON, EXPIRED
        for kecamatan in sorted(self.by_kecamatan):
            for volunteer in self.by_kecamatan[kecamatan]:
                kind = self.kinds[volunteer.id]
                if kind == "sahabat":
                    if rng.random() < 0.45:
                        self._train(volunteer, "dasar", volunteer.joined_on
                                    + timedelta(days=rng.randrange(20, 200)))
                    continue
                self._train(volunteer, "dasar", volunteer.joined_on
                            + timedelta(days=rng.randrange(10, 90)))
                seniority = (today - volunteer.joined_on).days
                if kind != "promoted" and rng.random() < 0.6 and seniority > 400:
                    self._train(volunteer, "lanjutan", today - timedelta(
                        days=rng.randrange(60, min(seniority, 365 * 4))))
                skill = volunteer.skills[0].skill_code
                if seniority > 365 * 3 + 40 and soon:
                    soon -= 1
                    expires = today + timedelta(days=rng.randint(1, 30))
                    self._train(volunteer, "spesialisasi", expires - timedelta(days=365 * 3),
                                skill, expires_on=expires)
                elif seniority > 365 * 4 and expired:
                    expired -= 1
                    self._train(volunteer, "spesialisasi", today - timedelta(
                        days=365 * 3 + rng.randrange(20, 200)), skill)
                elif seniority > 120 and rng.random() < 0.7:
                    self._train(volunteer, "spesialisasi", today - timedelta(
                        days=rng.randrange(30, min(seniority, 365 * 3 - 45))), skill)

    def promotions(self) -> None:
        """Promote the Sahabat Tagana chosen for it, between half a year and two years ago,
        each under a decree of the Kepala Dinas Sosial."""
        for number, volunteer in enumerate(self.promoted, start=1):
            day = max(self.today - timedelta(days=self.rng.randrange(180, 730)),
                      volunteer.joined_on + timedelta(days=120))
            promotions.promote(self.session, actor=self.actor, volunteer_id=volunteer.id,
                               nia=self._nia(), promoted_on=min(day, self.today),
                               decree_ref=f"SK Kadis Sosial No. 460/{100 + number}/Dinsos/"
                                          f"{day.year}", today=self.today)
        everyone = sum(len(people) for people in self.by_kecamatan.values())
        self.summary.tagana = sum(kind != "sahabat" for kind in self.kinds.values())
        self.summary.sahabat = everyone - self.summary.tagana

    def teams(self) -> list[int]:
        """Five regu, each led by an active Tagana of its kecamatan (a Legiun when there is
        one), with four to six active neighbours."""
        made = []
        for name, kecamatan in TEAMS:
            active = [v for v in self.by_kecamatan[kecamatan]
                      if v.status == VolunteerStatus.ACTIVE]
            leader = min((v for v in active if v.kind == VolunteerKind.TAGANA),
                         key=lambda v: (not v.is_legiun, v.id))
            others = [v for v in active if v is not leader]
            members = self.rng.sample(others, min(len(others), self.rng.randint(4, 6)))
            team = teams.create_team(self.session, actor=self.actor, name=name,
                                     leader_id=leader.id, kecamatan_code=kecamatan,
                                     member_ids=[v.id for v in members])
            self.team_members |= {leader.id, *(v.id for v in members)}
            made.append(team.id)
        return made

    def absences(self, *, exclude: set[int]) -> None:
        """Periods declared away: some now, some ahead, some over (regu members are left
        out, so each regu can still go whole)."""
        rng, today = self.rng, self.today
        pool = [v for people in self.by_kecamatan.values() for v in people
                if v.id not in exclude and v.status == VolunteerStatus.ACTIVE]
        for index, volunteer in enumerate(rng.sample(pool, 24)):
            start = today + timedelta(days=(-rng.randrange(0, 5), rng.randrange(2, 20),
                                            -rng.randrange(20, 60))[index % 3])
            availability.declare_unavailable(
                self.session, actor=self.actor, volunteer_id=volunteer.id, starts_on=start,
                ends_on=start + timedelta(days=rng.randrange(3, 15)),
                reason=rng.choice(ABSENCES))
