"""Dates and times as the field sees them: a day starts at midnight local time, not UTC.

A kabupaten runs on one of Indonesia's three zones (WIB, WITA, WIT). The app sets it once at
start-up from its configuration (`use_field_timezone`); everything that asks for "today" or
shows a time to a person goes through this module.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

# The zones Indonesian offices name by their own abbreviation, not by an offset.
ABBREVIATIONS = {
    "Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT",
}
DEFAULT_TIMEZONE = "Asia/Jakarta"

_field_zone = ZoneInfo(DEFAULT_TIMEZONE)


def use_field_timezone(name: str) -> None:
    """Make ``name`` (an IANA zone such as Asia/Makassar) the zone of every local date and
    time; a name that is no zone fails here, at start-up, not on the first page."""
    global _field_zone
    _field_zone = ZoneInfo(name)


def field_timezone() -> ZoneInfo:
    return _field_zone


def zone_abbreviation() -> str:
    """"WIB", "WITA" or "WIT" as Indonesians write them; else the zone's own short name."""
    key = _field_zone.key
    return ABBREVIATIONS.get(key) or datetime.now(_field_zone).tzname() or key


def local_today() -> date:
    """Today in the field's zone, where expiry dates and document dates are read."""
    return datetime.now(_field_zone).date()


def local_time(moment: datetime) -> datetime:
    """A stored moment in the field's zone; stored naive moments are UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(_field_zone)
