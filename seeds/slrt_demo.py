"""SLRT in three desa of Ketahun: the demo flood's heavy losses taken into the Puskesos queues,
and walk-in families at every step of the flow, recorded through the real operations.

A Puskesos opens in every desa and kelurahan; the demo's front office, back office and manager
work for the three Ketahun desa the flood hit first. The flood's household assessments go
through the same intake the import uses, so those families appear as disaster cases; a dozen
walk-in families (synthetic people from `seeds.people`, numbers valid in form) are taken to
each step, from a complaint just registered to a referral served and the case closed. The step
history is then spread over the past weeks, so queues show overdue items and the monitoring
page has medians to show. Deterministic: the same day gives the same demo.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, update

from logistics.accounts import scopes
from logistics.accounts.models import User
from logistics.accounts.roles import Scope
from logistics.emergency.assessment_models import HouseholdAssessment
from logistics.referrals import case_flow, cases, households, intake, referral_steps
from logistics.referrals.case_models import Case, Programme, Referral, Source, Step
from logistics.referrals.defaults import install_defaults
from logistics.referrals.models import Household, Puskesos, Relation
from logistics.referrals.puskesos import open_puskesos_everywhere
from logistics.regions.models import Region
from seeds.people import People

KECAMATAN = "17.03.12"  # Ketahun: the flood's kecamatan
STAFF = ("puskesos.fo", "puskesos.bo", "puskesos.mgr")
SIGNER = ("Yuni Kartika", "Manajer Puskesos")
# (complaint category, description, programme proposed, how far the case goes)
WALK_INS = [
    ("pangan", "Keluarga lansia tanpa penghasilan tetap, kesulitan makan sehari-hari.",
     "BPNT", "pendaftaran"),
    ("kesehatan", "Anak sakit paru-paru, tidak punya BPJS.", "PBI-JK", "pendaftaran"),
    ("pendidikan", "Dua anak terancam putus sekolah karena biaya.", "PIP", "penanganan"),
    ("perumahan", "Rumah berdinding papan lapuk, atap bocor.", "RS-RTLH", "penanganan"),
    ("disabilitas", "Kepala keluarga lumpuh setelah kecelakaan kerja.", "ATENSI", "penetapan"),
    ("pangan", "Ibu tunggal dengan tiga anak balita.", "PKH", "penetapan"),
    ("adminduk", "KK dan akta kelahiran anak hilang.", "ADMINDUK", "dikirim"),
    ("kesehatan", "Lansia dengan penyakit kronis, perlu kartu PBI.", "PBI-JK", "diterima"),
    ("pendidikan", "Anak SMP berprestasi, orang tua buruh harian.", "PIP", "dilayani"),
    ("pangan", "Keluarga buruh tani, penghasilan di bawah garis kemiskinan.", "BPNT",
     "ditolak"),
    ("mata_pencaharian", "Nelayan kehilangan perahu, butuh modal usaha.", "BAZNAS", "selesai"),
    ("psikososial", "Remaja korban perundungan, menarik diri dari keluarga.", "ATENSI",
     "selesai_tanpa_rujukan"),
]


def is_loaded(session) -> bool:
    return session.scalar(select(Household.id).limit(1)) is not None


def load_slrt_demo(session, *, today: date) -> int:
    """Open the Puskesos, assign the demo staff, take in the flood, register walk-ins;
    returns the number of cases."""
    open_puskesos_everywhere(session)
    install_defaults(session)
    users = {user.username: user for user in session.scalars(
        select(User).where(User.username.in_((*STAFF, "koordinator"))))}
    desa = list(session.scalars(select(Region.code).where(Region.parent_code == KECAMATAN)
                                .order_by(Region.code).limit(3)))
    puskesos = dict(session.execute(select(Puskesos.desa_code, Puskesos.id)
                                    .where(Puskesos.desa_code.in_(desa))).all())
    for username in STAFF:
        if username in users:
            scopes.assign(session, users[username], {Scope.PUSKESOS: set(puskesos.values())})
    if "koordinator" in users:
        flood = list(session.scalars(select(HouseholdAssessment).order_by(HouseholdAssessment.id)))
        intake.take_assessments(session, actor=users["koordinator"], assessments=flood)
    if all(username in users for username in STAFF):
        _walk_ins(session, users, desa, today)
    _spread_history(session, today)
    return len(list(session.scalars(select(Case.id))))


def _walk_ins(session, users, desa, today) -> None:
    front, back, manager = (users[name] for name in STAFF)
    people = People(seed=1719, first_serial=9000)  # serials no other demo uses
    programmes = dict(session.execute(select(Programme.code, Programme.id)).all())
    for number, (category, text, programme, goal) in enumerate(WALK_INS):
        code = desa[number % len(desa)]
        household = _register(session, front, people, code, number, today)
        case = cases.open_case(session, actor=front, household_id=household.id,
                               source=Source.WALK_IN if number % 3 else Source.OUTREACH,
                               needs=[{"category": category, "description": text}])
        if goal == "pendaftaran":
            continue
        case_flow.take_into_handling(session, actor=back, case_id=case.id)
        households.update_register_status(
            session, actor=back, household_id=household.id, checked_on=today,
            register="dtks" if number % 4 else None,
            welfare_decile=1 + number % 5 if number % 4 else None)
        case_flow.record_findings(session, actor=back, case_id=case.id, findings=(
            "Kunjungan rumah: kondisi sesuai pengaduan; dokumen KK dan KTP diperiksa."))
        if goal == "penanganan":
            continue
        if goal == "selesai_tanpa_rujukan":
            case_flow.close_case(session, actor=back, case_id=case.id, outcome="tertangani",
                                 reason="Ditangani dengan konseling oleh pekerja sosial.")
            continue
        referral = referral_steps.propose_referral(
            session, actor=back, case_id=case.id, programme_id=programmes[programme],
            recommendation="Memenuhi kriteria program menurut hasil verifikasi.")
        case_flow.send_to_decision(session, actor=back, case_id=case.id)
        if goal == "penetapan":
            continue
        referral_steps.decide_referral(session, actor=manager, referral_id=referral.id,
                                       approve=True, signer_name=SIGNER[0],
                                       signer_position=SIGNER[1])
        case_flow.refer_case(session, actor=manager, case_id=case.id)
        _answer(session, back, referral.id, goal)
        if goal == "selesai":
            case_flow.close_case(session, actor=manager, case_id=case.id, outcome="tertangani")


def _answer(session, actor, referral_id, goal) -> None:
    path = {"dikirim": ["dikirim"], "diterima": ["dikirim", "diterima"],
            "dilayani": ["dikirim", "diterima", "dilayani"], "ditolak": ["dikirim", "ditolak"],
            "selesai": ["dikirim", "diterima", "dilayani"]}[goal]
    for to in path:
        referral_steps.record_outcome(
            session, actor=actor, referral_id=referral_id, to=to,
            reason="Tidak memenuhi kuota tahun berjalan." if to == "ditolak" else None)


def _register(session, front, people, code, number, today) -> Household:
    kecamatan = code[:8]
    head = people.person(kecamatan, today=today, min_age=30, max_age=70,
                         sex="M" if number % 3 else "F")
    members = [_member(head, Relation.HEAD)]
    if number % 4:
        members.append(_member(people.person(kecamatan, today=today, min_age=25, max_age=60,
                                             sex="F" if head.sex == "M" else "M"),
                               Relation.SPOUSE))
    for _ in range(number % 3 + 1):
        members.append(_member(people.person(kecamatan, today=today, min_age=1,
                                             max_age=17), Relation.CHILD))
    issued = today - timedelta(days=400 + 97 * number)
    return households.register_household(
        session, actor=front, kk_number=people.kk_number(kecamatan, issued), desa_code=code,
        address=f"Jl. Lintas Barat Gg. {number + 1}", rt=f"{1 + number % 5:03d}",
        rw=f"{1 + number % 2:03d}", members=members, today=today)


def _member(person, relation) -> dict:
    return {"nik": person.nik, "name": person.name, "sex": "P" if person.sex == "F" else "L",
            "birth_date": person.birth_date, "relation": relation}


def _spread_history(session, today: date) -> None:
    """Move each case's steps back into the past weeks, in order, so days-in-step and the
    medians read like a Puskesos at work rather than a script run a second ago."""
    rng = random.Random(1720)
    now = datetime.combine(today, datetime.min.time(), UTC) + timedelta(hours=9)
    for case in session.scalars(select(Case).order_by(Case.id)):
        steps = list(session.scalars(select(Step).where(Step.case_id == case.id)
                                     .order_by(Step.at, Step.id)))
        if not steps:
            continue
        at = opened = now - timedelta(days=rng.randrange(2, 25) + 4 * len(steps))
        since = {}  # referral id (None: the case) -> when it entered its present status
        for step in steps:
            session.execute(update(Step).where(Step.id == step.id).values(at=at))
            since[step.referral_id] = at
            at = min(at + timedelta(days=rng.randrange(1, 7), hours=rng.randrange(0, 8)), now)
        case_since = since.pop(None, now)
        session.execute(update(Case).where(Case.id == case.id).values(
            registered_at=opened, status_since=case_since))
        for referral_id, moment in since.items():
            session.execute(update(Referral).where(Referral.id == referral_id)
                            .values(status_since=moment))
    session.flush()
