"""Releases to posko: how a posko is named on a BAST and which decree the release cites.

Registered with `logistics.stock.recipients` when this module is imported, so
``issue_stock(posko_id=...)`` fills the recipient and, while the event has an emergency status
in force on the release's date, its SK: the stock emergency gate opens by itself for posko of
an event in tanggap darurat, and stays shut (a written order is needed) once the status ends.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from logistics.emergency import errors
from logistics.emergency.models import EmergencyStatus, Event, Posko, PoskoKind
from logistics.emergency.request_models import PoskoDelivery
from logistics.errors import InvalidInput
from logistics.i18n import N_
from logistics.stock import recipients
from logistics.stock.documents import RecipientKind


class NoSuchPosko(InvalidInput):
    """A release's body names a posko no row has: bad input (422), like an unknown item on a
    line, not a missing page (404)."""

    message = N_("No such posko.")


class PoskoNotOpenYet(InvalidInput):
    message = N_("Posko %(posko)s opened on %(opened_on)s: a release to it cannot be dated "
                 "earlier.")


def status_in_force(session, event_id: int, on_day: date) -> EmergencyStatus | None:
    """The emergency status of the event on ``on_day``: the latest to start, if not ended;
    none once the event itself has ended (an open-ended SK does not outlive its event)."""
    ended_on = session.scalar(select(Event.ended_on).where(Event.id == event_id))
    if ended_on is not None and on_day > ended_on:
        return None
    return session.scalar(
        select(EmergencyStatus).where(
            EmergencyStatus.event_id == event_id, EmergencyStatus.starts_on <= on_day,
            (EmergencyStatus.ends_on.is_(None)) | (EmergencyStatus.ends_on >= on_day))
        .order_by(EmergencyStatus.starts_on.desc(), EmergencyStatus.id.desc()).limit(1))


def authority_text(status: EmergencyStatus) -> str:
    """What the BAST cites: the decree number as the coordinator typed it once."""
    return status.decree_number


def resolve(session, posko_id: int, on_day: date) -> recipients.Recipient:
    posko = session.get(Posko, posko_id)
    if posko is None:
        raise NoSuchPosko(field="posko_id")
    if posko.closed_on is not None and posko.closed_on < on_day:
        raise errors.PoskoClosed(posko=posko.code, closed_on=posko.closed_on, field="posko_id")
    if on_day < posko.opened_on:
        raise PoskoNotOpenYet(posko=posko.code, opened_on=posko.opened_on,
                              field="document_date")
    event = posko.event
    if event.ended_on is not None and on_day > event.ended_on:
        raise errors.EventEnded(number=event.number, ended_on=event.ended_on, field="posko_id")
    status = status_in_force(session, posko.event_id, on_day)

    def record(session, document, request_id=None):
        session.add(PoskoDelivery(document_id=document.id, posko_id=posko.id,
                                  event_id=posko.event_id,
                                  emergency_status_id=status.id if status else None,
                                  request_id=request_id))
        session.flush()

    kind = (RecipientKind.PUBLIC_KITCHEN if posko.kind == PoskoKind.PUBLIC_KITCHEN
            else RecipientKind.POSKO)
    return recipients.Recipient(kind=kind, name=f"{posko.name} ({posko.code})"[:160],
                                authority_ref=authority_text(status) if status else None,
                                record=record)


recipients.register_posko(resolve)
