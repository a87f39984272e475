"""The message a dispatched volunteer receives: Indonesian text, wa.me link, map link, WIB times;
and the Sender seam a gateway will plug into."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import update

from app.extensions import db
from logistics import calendar
from logistics.accounts import queries as account_queries
from logistics.emergency.models import Posko
from logistics.roster import messages
from logistics.roster.messages import WA_LINK, Briefing, compose, map_link, wa_digits
from tests.roster.dispatch_factories import hours_from_now

BRIEFING = Briefing(
    number="DSP-2026-00007", name="Budi Santoso", role="dapur umum", posko="Balai Desa Kahyapu",
    desa_kind="desa", desa="Kahyapu", kecamatan="Enggano",
    starts_at=datetime(2026, 12, 7, 1, 0, tzinfo=UTC),
    ends_at=datetime(2026, 12, 10, 10, 0, tzinfo=UTC), report_to="Pak Rahmat (0812 7000 111)",
    longitude=102.05, latitude=-3.45)


def test_the_message_reads_in_indonesian_with_address_map_times_in_wib_and_whom_to_see():
    assert compose(BRIEFING) == "\n".join([
        "Halo Budi Santoso, ini surat tugas DSP-2026-00007 dari Dinas Sosial.",
        "Anda ditugaskan sebagai dapur umum di Balai Desa Kahyapu, Desa Kahyapu, "
        "Kecamatan Enggano.",
        "Lokasi: https://www.openstreetmap.org/?mlat=-3.45000&mlon=102.05000"
        "#map=16/-3.45000/102.05000",
        "Waktu: Senin, 7 Desember 2026 08.00 WIB sampai Kamis, 10 Desember 2026 17.00 WIB.",
        "Melapor kepada: Pak Rahmat (0812 7000 111).",
        "Mohon balas pesan ini untuk memastikan kehadiran Anda.",
    ])


def test_english_reads_from_the_same_templates():
    text = compose(BRIEFING, "en")
    assert text.startswith("Hello Budi Santoso, this is assignment DSP-2026-00007")
    assert "When: Monday, 7 December 2026 08:00 WIB until Thursday, 10 December 2026 17:00 WIB." \
        in text


def test_a_kabupaten_in_wita_reads_its_own_zone():
    try:
        calendar.use_field_timezone("Asia/Makassar")
        assert "Senin, 7 Desember 2026 09.00 WITA" in compose(BRIEFING)
    finally:
        calendar.use_field_timezone(calendar.DEFAULT_TIMEZONE)


def test_a_posko_without_a_point_or_contact_leaves_those_lines_out():
    text = compose(Briefing(**{**BRIEFING.__dict__, "longitude": None, "latitude": None,
                               "report_to": None, "desa_kind": "kelurahan",
                               "desa": "Gunung Alam"}))
    assert "Lokasi" not in text
    assert "Melapor" not in text
    assert "di Balai Desa Kahyapu, Kelurahan Gunung Alam, Kecamatan Enggano." in text


def test_wa_link_carries_the_number_as_digits_and_the_exact_text():
    assert wa_digits("+62 812-3456-7890") == "6281234567890"
    assert wa_digits("0812 3456 7890") == "6281234567890"
    body = compose(BRIEFING)
    link = urlsplit(WA_LINK.prepare("+6281234567890", body))
    assert (link.scheme, link.netloc, link.path) == ("https", "wa.me", "/6281234567890")
    assert parse_qs(link.query) == {"text": [body]}
    assert map_link(102.05, -3.45) == ("https://www.openstreetmap.org/?mlat=-3.45000"
                                       "&mlon=102.05000#map=16/-3.45000/102.05000")


def test_a_dispatch_records_a_message_per_volunteer_with_a_phone(app, dispatching):
    posko_id = dispatching.posko()
    with app.app_context():
        db.session.execute(update(Posko).where(Posko.id == posko_id).values(
            contact_name="Bu Yanti", contact_phone="0812 7000 222"))
        db.session.commit()
    budi = dispatching.volunteer("Budi", phone="+6281200000000")
    silent = dispatching.volunteer("Tanpa HP", phone=None)
    record = dispatching.send(period=hours_from_now(2, 24), volunteers=[
        {"volunteer_id": budi, "role": "evakuasi"}, {"volunteer_id": silent, "role": "logistik"}],
        equipment=[{"equipment_id": dispatching.equipment(), "role": "evakuasi"}])
    with app.app_context():
        recorded = messages.messages_of(db.session, record)
        phone = recorded[0].phone if recorded else None
    assert len(recorded) == 1
    message = recorded[0]
    assert (message.channel, message.sent_at) == ("wa_link", None)
    assert message.deployment_id == dispatching.deployment_ids(record)[0]
    assert message.link == WA_LINK.prepare(phone, message.body)
    assert message.body.startswith(f"Halo Budi, ini surat tugas {dispatching.number(record)}")
    assert "sebagai evakuasi di Balai Desa, Desa Kahyapu, Kecamatan Enggano." in message.body
    assert "mlat=-3.45000&mlon=102.05000" in message.body
    assert "Melapor kepada: Bu Yanti (0812 7000 222)." in message.body


@dataclass
class FakeGateway:
    """What an SMS or WhatsApp Business gateway would be: it sends by itself."""

    channel: str = "wa_link"
    delivered: list = field(default_factory=list)

    def prepare(self, phone, body):
        return None

    def send(self, message):
        self.delivered.append((message.phone, message.body))
        return True


def test_pending_messages_go_through_whichever_sender_is_plugged_in(app, dispatching):
    crew = dispatching.volunteers(3)
    record = dispatching.send(volunteers=[{"volunteer_id": v, "role": "logistik"}
                                          for v in crew], report_to="Pak Rahmat")
    gateway, coordinator = FakeGateway(), dispatching.coordinator()
    with app.app_context():
        assert messages.send_pending(db.session, record, sender=WA_LINK) == 0
        actor = account_queries.get_user_by_username(db.session, coordinator)
        first = messages.messages_of(db.session, record)[0].id
        assert messages.mark_sent(db.session, actor=actor, message_id=first)
        assert not messages.mark_sent(db.session, actor=actor, message_id=first)
        assert messages.send_pending(db.session, record, sender=gateway) == 2
        db.session.commit()
        assert all(message.sent_at for message in messages.messages_of(db.session, record))
    assert len(gateway.delivered) == 2
    assert all("Melapor kepada: Pak Rahmat." in body for _, body in gateway.delivered)
