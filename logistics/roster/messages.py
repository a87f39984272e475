"""The message each dispatched volunteer receives, and the door it leaves through.

Coordinators reach Tagana on WhatsApp today. A dispatch records one `OutgoingMessage` per
volunteer with a phone: the text in the volunteer's language (Indonesian) naming the posko, its
address, a map link, when, and whom to report to, plus a ``wa.me`` link the coordinator opens to
send it from their own phone. Sending sits behind `Sender`, so an SMS or WhatsApp Business
gateway can be plugged in later without touching the dispatch.

The text is built from English templates marked with ``N_`` and translated with the app's
Babel catalog (`app/translations`), read as files: the domain imports nothing from the web
layer, and a message is composed the same way inside a request, a CLI command or a worker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Protocol
from urllib.parse import quote

from babel.dates import format_datetime
from babel.support import Translations
from sqlalchemy import select, update

from logistics import calendar
from logistics.accounts.roles import Permission
from logistics.db import utcnow
from logistics.emergency.models import Posko
from logistics.errors import PermissionDenied
from logistics.i18n import N_
from logistics.roster.deployment_models import Deployment, Dispatch, OutgoingMessage
from logistics.roster.models import Volunteer

# Volunteers have no language of their own yet: every one reads Indonesian.
VOLUNTEER_LANGUAGE = "id"
CATALOG_DIR = Path(__file__).resolve().parents[2] / "app" / "translations"

GREETING = N_("Hello %(name)s, this is assignment %(number)s from the Dinas Sosial.")
ASSIGNED = N_("You are assigned as %(role)s at %(posko)s, %(address)s.")
LOCATION = N_("Location: %(map)s")
WHEN = N_("When: %(starts)s until %(ends)s.")
REPORT_TO = N_("Report to: %(report_to)s.")
CONFIRM = N_("Please reply to this message to confirm that you are coming.")


@dataclass(frozen=True)
class Briefing:
    """What one volunteer must know to get to the posko, as plain data."""

    number: str
    name: str
    role: str
    posko: str
    desa_kind: str  # "desa" or "kelurahan"
    desa: str
    kecamatan: str | None
    starts_at: datetime
    ends_at: datetime
    report_to: str | None
    longitude: float | None = None
    latitude: float | None = None


class Sender(Protocol):
    """A way out for a message: a link a person opens (wa.me) or a gateway that sends."""

    channel: str

    def prepare(self, phone: str, body: str) -> str | None:
        """A link a person opens to send the message, or None when the sender sends itself."""

    def send(self, message: OutgoingMessage) -> bool:
        """Deliver the message now; True when it left (a gateway), False when a person must
        still open its link."""


@dataclass(frozen=True)
class WaLinkSender:
    """A ``https://wa.me/<digits>?text=...`` link: the coordinator's own WhatsApp sends it."""

    channel: str = "wa_link"

    def prepare(self, phone: str, body: str) -> str:
        return f"https://wa.me/{wa_digits(phone)}?text={quote(body, safe='')}"

    def send(self, message: OutgoingMessage) -> bool:
        return False  # nothing leaves until a person opens the link on their phone


WA_LINK = WaLinkSender()


def wa_digits(phone: str) -> str:
    """The international number wa.me wants: digits only, ``08..`` read as ``628..``."""
    digits = re.sub(r"\D", "", phone)
    return "62" + digits[1:] if digits.startswith("0") else digits


def map_link(longitude: float, latitude: float) -> str:
    """OpenStreetMap centred on the point with a marker: opens in any phone's browser."""
    lat, lon = f"{latitude:.5f}", f"{longitude:.5f}"
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=16/{lat}/{lon}"


@cache
def _catalog(language: str) -> Translations:
    return Translations.load(str(CATALOG_DIR), [language])


def translate(language: str, message: str, **params) -> str:
    text = _catalog(language).gettext(message)
    return text % params if params else text


def when(moment: datetime, language: str) -> str:
    """A time as the field writes it: "Senin, 7 Desember 2026 08.00 WIB"."""
    local = calendar.local_time(moment)
    clock = "HH.mm" if language == "id" else "HH:mm"
    text = format_datetime(local, f"EEEE, d MMMM y {clock}", locale=language)
    return f"{text} {calendar.zone_abbreviation()}"


def compose(briefing: Briefing, language: str = VOLUNTEER_LANGUAGE) -> str:
    """The message text, one thing per line so it reads on a small screen."""
    address = f"{briefing.desa_kind.title()} {briefing.desa}"
    if briefing.kecamatan:
        address += f", Kecamatan {briefing.kecamatan}"
    lines = [
        translate(language, GREETING, name=briefing.name, number=briefing.number),
        translate(language, ASSIGNED, role=briefing.role, posko=briefing.posko,
                  address=address),
    ]
    if briefing.longitude is not None and briefing.latitude is not None:
        lines.append(translate(language, LOCATION,
                               map=map_link(briefing.longitude, briefing.latitude)))
    lines.append(translate(language, WHEN, starts=when(briefing.starts_at, language),
                           ends=when(briefing.ends_at, language)))
    if briefing.report_to:
        lines.append(translate(language, REPORT_TO, report_to=briefing.report_to))
    lines.append(translate(language, CONFIRM))
    return "\n".join(lines)


def _report_to(dispatch: Dispatch, posko: Posko) -> str | None:
    """Whom the dispatch names, else the posko's own contact (with a phone to call)."""
    if dispatch.report_to:
        return dispatch.report_to
    parts = [part for part in (posko.contact_name, posko.contact_phone) if part]
    if len(parts) == 2:
        return f"{parts[0]} ({parts[1]})"
    return parts[0] if parts else None


def record_messages(session, dispatch: Dispatch, posko: Posko, *, sender: Sender = WA_LINK,
                    language: str = VOLUNTEER_LANGUAGE) -> list[OutgoingMessage]:
    """One message per dispatched volunteer with a phone, ready for ``sender``; those without
    a phone are called by the coordinator (their deployment still stands)."""
    desa = posko.desa
    kecamatan = desa.parent.name if desa.parent is not None else None
    point = posko.point
    report_to = _report_to(dispatch, posko)
    messages = []
    rows = session.execute(
        select(Deployment, Volunteer.name, Volunteer.phone).join(
            Volunteer, Deployment.volunteer_id == Volunteer.id)
        .where(Deployment.dispatch_id == dispatch.id, Volunteer.phone.is_not(None))
        .order_by(Deployment.id))
    for deployment, name, phone in rows:
        body = compose(Briefing(
            number=dispatch.number, name=name, role=deployment.role, posko=posko.name,
            desa_kind=desa.kind, desa=desa.name, kecamatan=kecamatan,
            starts_at=deployment.starts_at, ends_at=deployment.ends_at, report_to=report_to,
            longitude=point.x if point is not None else None,
            latitude=point.y if point is not None else None), language)
        messages.append(OutgoingMessage(deployment_id=deployment.id, channel=sender.channel,
                                        phone=phone, body=body,
                                        link=sender.prepare(phone, body)))
    session.add_all(messages)
    session.flush()
    return messages


def messages_of(session, dispatch_id: int) -> list[OutgoingMessage]:
    """A dispatch's messages, in the order of its deployments."""
    return list(session.scalars(
        select(OutgoingMessage).join(Deployment, OutgoingMessage.deployment_id == Deployment.id)
        .where(Deployment.dispatch_id == dispatch_id).order_by(OutgoingMessage.id)))


def send_pending(session, dispatch_id: int, *, sender: Sender) -> int:
    """Hand a dispatch's unsent messages of ``sender``'s channel to it; returns how many left.

    A gateway marks each as sent; the wa.me sender leaves them for a person to open."""
    sent = 0
    for message in messages_of(session, dispatch_id):
        if message.sent_at is None and message.channel == sender.channel and sender.send(message):
            message.sent_at = utcnow()
            sent += 1
    session.flush()
    return sent


def mark_sent(session, *, actor, message_id: int) -> bool:
    """Record that a person sent the message (opened its link); False when it was already
    marked, so a double tap keeps the first time."""
    if not actor.can(Permission.DISPATCH):
        raise PermissionDenied()
    result = session.execute(
        update(OutgoingMessage).where(OutgoingMessage.id == message_id,
                                      OutgoingMessage.sent_at.is_(None))
        .values(sent_at=utcnow()).execution_options(synchronize_session="fetch"))
    return result.rowcount == 1
