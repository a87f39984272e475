"""The roster demo in the field: the Dinas Sosial's boats, trucks, kitchens, tanks, tents,
generators and radios, and who and what is at the flood's posko right now.

Everything goes through the real operations (`equipment.register_equipment`,
`dispatch.dispatch`, `deployments.check_in`/`check_out`), so the demo obeys the rule people rely
on: no volunteer and no boat booked twice for overlapping times. Each posko gets the nearest free
volunteers with the skill it needs (home to posko, as a coordinator would pick them), the
Ketahun regu goes whole to the main posko, a first kitchen shift has already gone home (checked
out yesterday evening, its hours served on record), and a relief team arrives tomorrow.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from logistics.calendar import field_timezone
from logistics.emergency.models import Event, Posko
from logistics.roster import availability, deployments, dispatch, equipment
from logistics.roster.deployment_models import Deployment, DeploymentStatus, EquipmentStatus
from logistics.roster.models import Team, TeamMember, Volunteer, VolunteerSkill, VolunteerStatus

# code, kind, name, kecamatan
EQUIPMENT = (
    ("DINSOS-PK-01", "perahu_karet", "Perahu karet LCR 01 (mesin 15 PK)", "17.03.07"),
    ("DINSOS-PK-02", "perahu_karet", "Perahu karet LCR 02 (mesin 15 PK)", "17.03.12"),
    ("DINSOS-PK-03", "perahu_karet", "Perahu karet LCR 03 (mesin 25 PK)", "17.03.12"),
    ("DINSOS-PK-04", "perahu_karet", "Perahu karet LCR 04 (mesin 15 PK)", "17.03.10"),
    ("DINSOS-PK-05", "perahu_karet", "Perahu karet LCR 05 (mesin 15 PK)", "17.03.01"),
    ("BD 8012 AC", "truk", "Truk angkut logistik Dinsos (Colt Diesel)", "17.03.07"),
    ("BD 8047 AC", "truk", "Truk serbaguna Tagana", "17.03.12"),
    ("BD 8115 AC", "truk", "Truk angkut logistik (bak terbuka)", "17.03.10"),
    ("BD 8201 AC", "mobil_dapur_umum", "Mobil dapur umum lapangan (MDUL) 1", "17.03.07"),
    ("BD 8202 AC", "mobil_dapur_umum", "Mobil dapur umum lapangan (MDUL) 2", "17.03.11"),
    ("BD 8310 AC", "tangki_air", "Mobil tangki air bersih 5.000 liter", "17.03.07"),
    ("DINSOS-TA-01", "tangki_air", "Tangki air lipat 2.000 liter 01", "17.03.12"),
    ("DINSOS-TA-02", "tangki_air", "Tangki air lipat 2.000 liter 02", "17.03.11"),
    ("DINSOS-TD-01", "tenda", "Tenda pleton 01 (6 x 14 m)", "17.03.07"),
    ("DINSOS-TD-02", "tenda", "Tenda pleton 02 (6 x 14 m)", "17.03.07"),
    ("DINSOS-TD-03", "tenda", "Tenda regu 03 (4 x 6 m)", "17.03.12"),
    ("DINSOS-TD-04", "tenda", "Tenda serbaguna 04 (5 x 8 m)", "17.03.11"),
    ("DINSOS-TD-05", "tenda", "Tenda keluarga 05 (3 x 4 m)", "17.03.01"),
    ("DINSOS-GS-01", "genset", "Genset 5 kVA 01", "17.03.07"),
    ("DINSOS-GS-02", "genset", "Genset 5 kVA 02", "17.03.12"),
    ("DINSOS-GS-03", "genset", "Genset 3 kVA 03", "17.03.01"),
    ("DINSOS-RD-01", "radio", "Radio rig VHF posko 01", "17.03.07"),
    ("DINSOS-RD-02", "radio", "Radio HT VHF 02", "17.03.12"),
    ("DINSOS-RD-03", "radio", "Radio HT VHF 03", "17.03.11"),
    ("DINSOS-RD-04", "radio", "Radio HT VHF 04", "17.03.01"),
)
IN_MAINTENANCE = {"DINSOS-PK-04": "Lambung bocor, menunggu tambalan.",
                  "DINSOS-GS-03": "Servis rutin 250 jam."}
ROLES = {"dapur_umum": "Juru masak dapur umum", "shelter": "Petugas shelter",
         "water_rescue": "Tim penyelamat air", "ldp": "Pendamping psikososial (LDP)",
         "logistik": "Petugas logistik", "kaji_cepat": "Petugas kaji cepat",
         "evakuasi": "Tim evakuasi", "pertolongan_pertama": "Petugas pertolongan pertama",
         "komunikasi_radio": "Operator radio", "pengemudi": "Pengemudi",
         "operator_perahu": "Operator perahu karet", "manajemen_posko": "Koordinator posko",
         "pendataan": "Petugas pendataan", "air_bersih_sanitasi": "Petugas air bersih",
         "perlindungan_anak": "Pendamping anak", "operator_genset": "Operator genset"}
# Per posko (in the flood demo's order): the skills wanted, one person each, and the kit.
NEEDS = (
    (("manajemen_posko", "pendataan", "komunikasi_radio"), ("DINSOS-RD-01", "DINSOS-GS-01")),
    (("shelter", "shelter", "ldp", "ldp", "perlindungan_anak"), ("DINSOS-TD-01",)),
    (("dapur_umum", "dapur_umum", "dapur_umum", "logistik"), ("BD 8201 AC", "BD 8310 AC")),
    (("evakuasi", "evakuasi", "water_rescue", "operator_perahu", "pengemudi"),
     ("DINSOS-PK-02", "DINSOS-PK-03", "BD 8047 AC", "DINSOS-RD-02")),
    (("shelter", "dapur_umum", "ldp", "air_bersih_sanitasi"), ("DINSOS-TD-04", "DINSOS-TA-02")),
    (("pertolongan_pertama", "pertolongan_pertama", "ldp"), ()),
    (("shelter", "dapur_umum", "kaji_cepat"), ("DINSOS-TD-02", "DINSOS-TA-01")),
)
EARLY_SHIFT = ("dapur_umum", "dapur_umum", "logistik")  # went home yesterday evening
RELIEF = ("dapur_umum", "ldp", "pertolongan_pertama")  # arrive tomorrow morning


def load(session, actor, today: date, summary, *, team_ids: list[int]) -> None:
    """Register the equipment, then staff the flood's posko (when the flood demo is in)."""
    kit = {}
    for code, kind, name, kecamatan in EQUIPMENT:
        item = equipment.register_equipment(session, actor=actor, code=code, kind=kind,
                                            name=name, kecamatan_code=kecamatan)
        if code in IN_MAINTENANCE:
            equipment.change_equipment(session, actor=actor, equipment_id=item.id,
                                       status=EquipmentStatus.MAINTENANCE,
                                       notes=IN_MAINTENANCE[code])
        kit[code] = item.id
    summary.equipment = len(kit)
    event = session.scalar(select(Event).order_by(Event.id).limit(1))
    if event is None:
        return
    posko = list(session.scalars(select(Posko).where(Posko.event_id == event.id)
                                 .order_by(Posko.id)))
    _Staffing(session, actor, today, kit).run(posko, team_ids[0])
    live = (select(func.count()).select_from(Deployment)
            .where(Deployment.status.in_((DeploymentStatus.DISPATCHED,
                                          DeploymentStatus.CHECKED_IN))))
    summary.deployed_volunteers = session.scalar(live.where(Deployment.volunteer_id.is_not(None)))
    summary.deployed_equipment = session.scalar(live.where(Deployment.equipment_id.is_not(None)))
    summary.checked_in = session.scalar(live.where(
        Deployment.volunteer_id.is_not(None), Deployment.status == DeploymentStatus.CHECKED_IN))


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=field_timezone())


class _Staffing:
    def __init__(self, session, actor, today, kit):
        self.session, self.actor, self.today, self.kit = session, actor, today, kit
        self.rng = random.Random(1703_0019)
        in_team = set(session.scalars(select(TeamMember.volunteer_id)))
        self.free = [v for v in session.scalars(select(Volunteer).order_by(Volunteer.id))
                     if v.status == VolunteerStatus.ACTIVE and v.id not in in_team
                     and v.home_lon is not None]
        self.skills: dict[int, set[str]] = {}
        for volunteer_id, code in session.execute(select(VolunteerSkill.volunteer_id,
                                                         VolunteerSkill.skill_code)):
            self.skills.setdefault(volunteer_id, set()).add(code)

    def run(self, posko: list[Posko], team_id: int) -> None:
        ends = _at(self.today + timedelta(days=5), 8)
        early = posko[2]
        shift_start = _at(early.opened_on, 7)
        shift = self._send(early, EARLY_SHIFT, (), shift_start, ends, check_in=1.0)
        for deployment in shift.deployments:
            deployments.check_out(self.session, actor=self.actor, deployment_id=deployment.id,
                                  at=_at(self.today - timedelta(days=1), 18,
                                         self.rng.randrange(0, 50)))
        team = self.session.get(Team, team_id)
        main = posko[0]
        sent = dispatch.dispatch(self.session, actor=self.actor, posko_id=main.id,
                                 starts_at=_at(main.opened_on, 8), ends_at=ends,
                                 team_id=team.id, today=self.today,
                                 notes=f"{team.name} memegang posko utama.")
        self._check_in(sent, 1.0)
        for place, (wanted, items) in zip(posko, NEEDS, strict=True):
            start = _at(self.today - timedelta(days=1), 7) if place is early else _at(
                place.opened_on, 8)
            self._send(place, wanted, items, start, ends, check_in=0.75)
        relief_start = _at(self.today + timedelta(days=1), 7)
        self._send(posko[1], RELIEF, (), relief_start, relief_start + timedelta(days=4),
                   check_in=0.0)

    def _send(self, place, wanted, items, starts_at, ends_at, *, check_in: float):
        away = availability.unavailable_volunteer_ids(self.session, starts_at, ends_at)
        lines = []
        for skill in wanted:
            volunteer = self._nearest(place, skill, away)
            lines.append({"volunteer_id": volunteer.id, "role": ROLES[skill],
                          "skill_code": skill})
        sent = dispatch.dispatch(
            self.session, actor=self.actor, posko_id=place.id, starts_at=starts_at,
            ends_at=ends_at, volunteers=lines, today=self.today,
            equipment=[{"equipment_id": self.kit[code], "role": "Dukungan posko"}
                       for code in items])
        self._check_in(sent, check_in)
        return sent

    def _nearest(self, place, skill: str, away: set[int]) -> Volunteer:
        """The nearest free volunteer with the skill (else the nearest free one); taken from
        the pool, so no one is sent to two posko."""
        point = place.point
        pool = [v for v in self.free if v.id not in away]
        skilled = [v for v in pool if skill in self.skills.get(v.id, ())] or pool
        chosen = min(skilled, key=lambda v: ((v.home_lon - point.x) ** 2
                                             + (v.home_lat - point.y) ** 2, v.id))
        self.free.remove(chosen)
        return chosen

    def _check_in(self, sent, share: float) -> None:
        """Check in about ``share`` of the people (their kit with the first of them)."""
        now = datetime.now(field_timezone())
        for deployment in sent.deployments:
            at = deployment.starts_at + timedelta(minutes=self.rng.randrange(20, 180))
            if at > now or self.rng.random() >= share:
                continue
            deployments.check_in(self.session, actor=self.actor, deployment_id=deployment.id,
                                 at=at)
