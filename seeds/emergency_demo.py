"""A flood along the Air Ketahun and Air Bintunan rivers, recorded through the real operations.

Kecamatan Ketahun and five desa of Batik Nau on the Air Bintunan, with their real codes and
boundaries: siaga darurat declared six days ago, tanggap darurat four days ago (the SK the
stock demo's releases cite), seven posko of every kind standing inside their desa, a census
history at each, a kaji cepat per desa, forty assessed households (synthetic people from
`seeds.people`, their NIK and No. KK valid by the same rule a typed one meets), and requests
in every status, some met from the lumbung sosial so the ledger shows releases to real posko.
Deterministic: the same day gives the same demo.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from logistics.accounts.models import User
from logistics.calendar import field_timezone
from logistics.emergency import access, assessments, census, events, requests
from logistics.emergency.assessment_schemas import HouseholdIn
from logistics.emergency.models import Event
from logistics.regions.models import Region
from logistics.stock.models import Item, Warehouse
from seeds.people import People
from seeds.stock_demo import AUTHORITY, _point_inside

AREA = ["17.03.12",  # Kecamatan Ketahun, on the Air Ketahun: all its desa
        "17.03.11.2002", "17.03.11.2003", "17.03.11.2004", "17.03.11.2005",  # Air Bintunan:
        "17.03.11.2013"]  # Selolong, Air Lakok, Bintunan, Suka Marga, Samban Jaya
ALERT_DECREE = "SK Bupati Bengkulu Utara No. 360/201/B.1/2026"
# name, kind, desa code, covered m2, contact, staffed by the demo's posko user
POSKO = [
    ("Posko Utama Kecamatan Ketahun", "posko_utama", "17.03.12.2002", 120,
     ("Camat Ketahun", "0812-7301-1201"), False),
    ("Tempat Pengungsian SDN 12 Urai", "tempat_pengungsian", "17.03.12.2001", 640,
     ("Kepala Sekolah SDN 12", "0813-6802-4411"), True),
    ("Dapur Umum Masjid Al-Ikhlas", "dapur_umum", "17.03.12.2002", 90,
     ("Takmir Masjid Al-Ikhlas", "0852-6700-3310"), False),
    ("Posko Lapangan Giri Kencana", "posko_lapangan", "17.03.12.2003", 60,
     ("Kepala Desa Giri Kencana", "0821-7711-0932"), False),
    ("Tempat Pengungsian Balai Desa Bintunan", "tempat_pengungsian", "17.03.11.2004", 420,
     ("Kepala Desa Bintunan", "0812-7890-2215"), True),
    ("Pos Kesehatan Suka Marga", "pos_kesehatan", "17.03.11.2005", 80,
     ("Bidan Desa Suka Marga", "0853-1122-7804"), False),
    ("Tempat Pengungsian Masjid Samban Jaya", "tempat_pengungsian", "17.03.11.2013", 300,
     ("Imam Masjid Samban Jaya", "0812-2255-6021"), False),
]
HEADS = ["Sukardi", "Rohani", "Darmawan", "Yusnita", "Herman", "Marlina", "Zulkifli", "Asmawati",
         "Bambang", "Fitriani", "Syamsul", "Erlina", "Hasan", "Nurjanah", "Iskandar", "Rosmini"]
SPOUSES = ["Siti Aminah", "Suryani", "Wati", "Lasmi", "Rahma", "Yanti", "Elvi", "Murni"]
CHILDREN = ["Rizki", "Putri", "Dimas", "Ayu", "Fajar", "Nabila", "Bayu", "Intan", "Rafi", "Salsa"]
NEEDS = ["Beras, selimut, tikar", "Air bersih dan makanan bayi", "Pakaian anak, sabun",
         "Terpal untuk atap rumah", "Obat-obatan dan popok bayi", "Peralatan masak"]


def is_loaded(session) -> bool:
    return session.scalar(select(Event.id).limit(1)) is not None


def load_emergency_demo(session, *, today: date) -> int:
    """Record the flood; returns how many posko it opened (0 when the area is not held)."""
    if session.get(Region, "17.03.12") is None:
        return 0
    users = {u.username: u for u in session.scalars(select(User))}
    coordinator, staff = users["koordinator"], users["posko"]
    start = today - timedelta(days=6)
    event = events.open_new_event(
        session, actor=coordinator, hazard="banjir", started_on=start, today=today,
        name="Banjir Sungai Air Ketahun dan Air Bintunan",
        description="Hujan deras tiga hari; Air Ketahun dan Air Bintunan meluap. Jalan "
                    "Ketahun - Batik Nau terputus di dua titik.",
        region_codes=AREA)
    events.record_status(session, actor=coordinator, event_id=event.id, today=today,
                         phase="siaga_darurat", decree_number=ALERT_DECREE, starts_on=start)
    events.record_status(session, actor=coordinator, event_id=event.id, today=today,
                         phase="tanggap_darurat", decree_number=AUTHORITY.split(" (")[0],
                         starts_on=start + timedelta(days=2),
                         ends_on=start + timedelta(days=2 + 13))
    rng = random.Random(1703)
    posko = []
    for index, (name, kind, desa_code, m2, (contact, phone), staffed) in enumerate(POSKO):
        point = _point_inside(session.get(Region, desa_code))
        opened = start + timedelta(days=1 + index % 3)
        row = events.open_posko(
            session, actor=coordinator, event_id=event.id, name=name, kind=kind,
            desa_code=desa_code, longitude=point.x, latitude=point.y, covered_m2=m2,
            contact_name=contact, contact_phone=phone, opened_on=opened, today=today)
        if staffed:
            access.set_staffed_posko(session, staff, access.staffed_posko_ids(session, staff)
                                     | {row.id})
        posko.append(row)
        _census_history(session, coordinator, row, opened, today, rng, shelter=m2 >= 300)
    _assessments(session, coordinator, event, today, rng)
    _requests(session, coordinator, staff, posko, today)
    return len(posko)


def _census_history(session, actor, posko, opened, today, rng, *, shelter: bool) -> None:
    """A count each second morning since the posko opened, the last one this morning: the
    shelters fill as the water rises, then empty a little."""
    persons = rng.randrange(90, 180) if shelter else rng.randrange(8, 30)
    # Before 07.30 the morning count is not made yet: the last one is then an hour ago, on the
    # minute as the form takes it, so a count typed now heads the history.
    now = (datetime.now(field_timezone()) - timedelta(hours=1)).replace(second=0, microsecond=0)
    day = opened
    while day <= today:
        male = persons // 2 + rng.randrange(-3, 4)
        female = persons - male
        census.record_census(
            session, actor=actor, posko_id=posko.id, today=today,
            counted_at=min(datetime.combine(day, time(7, 30), tzinfo=field_timezone()), now),
            households=max(1, persons // 4), male=male, female=female,
            under_five=persons // 9, pregnant=min(female, persons // 40),
            breastfeeding=min(female, persons // 25), elderly=persons // 12,
            disabled=persons // 50)
        persons = int(persons * (1.25 if day < today - timedelta(days=2) else 0.9))
        day += timedelta(days=2)


def _assessments(session, actor, event, today, rng) -> None:
    desa = [code for code in session.scalars(
        select(Region.code).where(Region.parent_code == "17.03.12").order_by(Region.code))]
    desa = desa[:6] + AREA[1:]
    for index, code in enumerate(desa):
        heavy = rng.randrange(0, 6)
        assessments.record_rapid_assessment(
            session, actor=actor, event_id=event.id, desa_code=code, today=today,
            assessed_on=event.started_on + timedelta(days=1 + index % 3),
            dead=1 if index == 2 else 0, missing=1 if index == 4 else 0,
            injured=rng.randrange(0, 5), displaced=rng.randrange(20, 160),
            houses_light=rng.randrange(5, 40), houses_moderate=rng.randrange(0, 15),
            houses_heavy=heavy, facilities_damaged=rng.randrange(0, 3),
            facilities_note="Jembatan gantung dan SD terendam" if heavy > 3 else None,
            access_cut=heavy > 3, notes=None)
    people = People(seed=1704, first_serial=8000)  # serials of their own: no NIK is reused
    for number in range(40):
        assessed_on = event.started_on + timedelta(days=2 + number % 3)
        body = _household_body(people, number, desa[number % len(desa)], assessed_on)
        # Through the schema the API and the Kobo import use: the demo obeys the NIK rule too.
        assessments.record_household_assessment(
            session, actor=actor, event_id=event.id, today=today, **HouseholdIn().load(body))


def _household_body(people: People, number: int, code: str, assessed_on: date) -> dict:
    """Household ``number`` as the API takes it: NIK and No. KK made from the real kecamatan
    code and the person's birth date; some members' papers are lost."""
    kecamatan = code[:8]

    def member(name, sex, min_age, max_age, relation, *, with_nik=True, **flags):
        person = people.person(kecamatan, today=assessed_on, min_age=min_age, max_age=max_age,
                               sex=sex)
        age = (assessed_on - person.birth_date).days * 100 // 36525
        return {"name": name, "nik": person.nik if with_nik else None,
                "sex": "P" if sex == "F" else "L", "age": age, "relation": relation, **flags}

    head = HEADS[number % len(HEADS)]
    head_sex = "M" if number % 3 else "F"
    members = [member(head, head_sex, 30 + number % 25, 30 + number % 25, "Kepala keluarga")]
    if number % 4:
        members.append(member(SPOUSES[number % len(SPOUSES)], "F", 28 + number % 20,
                              28 + number % 20, "Istri", with_nik=number % 5 != 0,
                              is_pregnant=number % 11 == 1))
    for child in range(number % 4):
        members.append(member(CHILDREN[(number + child) % len(CHILDREN)],
                              "M" if child % 2 else "F", 1 + child * 4, 1 + child * 4, "Anak",
                              with_nik=child % 2 == 1))
    issued = assessed_on - timedelta(days=365 * (3 + number % 15) + number)
    return {"desa_code": code, "assessed_on": assessed_on.isoformat(), "head_name": head,
            "head_nik": members[0]["nik"], "kk_number": people.kk_number(kecamatan, issued),
            "address": f"RT {1 + number % 6:02d} / RW {1 + number % 3:02d}",
            "house_damage": ["rusak_ringan", "rusak_sedang", "rusak_berat",
                             "tidak_rusak"][number % 4],
            "lost_livelihood": number % 3 == 0, "deaths": 1 if number == 9 else 0,
            "urgent_needs": NEEDS[number % len(NEEDS)],
            "members": [{key: value for key, value in row.items() if value is not None}
                        for row in members]}


def _requests(session, coordinator, staff, posko, today) -> None:
    """One request in every status; the fulfilled and partly fulfilled ones are met from the
    Ketahun lumbung sosial, so its ledger shows releases to the shelters."""
    items = dict(session.execute(select(Item.code, Item.id)).all())
    ketahun = session.scalar(select(Warehouse).where(Warehouse.code == "LS-KETAHUN"))
    urai, bintunan = posko[1], posko[4]

    def ask(place, lines, *, submit=True, days=1):
        return requests.request_stock(
            session, actor=staff if place in (urai, bintunan) else coordinator,
            posko_id=place.id, submit=submit, today=today,
            needed_by=today + timedelta(days=days),
            lines=[{"item_id": items[code], "qty": qty} for code, qty in lines.items()])

    def approve(request, **approved):
        requests.approve_request(session, actor=coordinator, request_id=request.id, lines=[
            {"line_id": line.id, "approved_qty": approved.get(line.item.code, line.qty)}
            for line in request.lines])

    def deliver(request, **qty):
        requests.fulfil_request(
            session, actor=coordinator, request_id=request.id, warehouse_id=ketahun.id,
            giver_name="Siti Rahmawati", receiver_name="Kepala Desa Bintunan",
            today=today, lines=[{"line_id": line.id, "qty": qty.get(line.item.code,
                                                                   line.approved_qty)}
                                for line in request.lines if line.approved_qty])

    done = ask(bintunan, {"BRS": 60, "SLM": 20, "MTR": 10})
    approve(done)
    deliver(done)
    partly = ask(urai, {"BRS": 80, "HYK": 15, "SLM": 30})
    approve(partly, SLM=20)
    deliver(partly, BRS=40, HYK=15, SLM=10)
    approve(ask(posko[6], {"BRS": 50, "MKA": 40, "TGL": 10}))
    ask(posko[2], {"BRS": 100, "LKP": 48}, days=0)
    ask(posko[3], {"FKT": 10, "KDW": 10}, submit=False)
    rejected = ask(posko[5], {"TKL": 5})
    requests.reject_request(session, actor=coordinator, request_id=rejected.id,
                            reason="Tenda keluarga tidak untuk pos kesehatan; pakai tenda "
                                   "serbaguna dari posko utama.")
    cancelled = ask(posko[0], {"SLM": 25})
    requests.cancel_request(session, actor=coordinator, request_id=cancelled.id,
                            reason="Sudah dipenuhi donatur (CSR Bank Bengkulu).")
