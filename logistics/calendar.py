"""Dates as the field sees them: a day starts at midnight WIB, not UTC."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

FIELD_TIMEZONE = ZoneInfo("Asia/Jakarta")


def local_today() -> date:
    """Today in Western Indonesian Time, where expiry dates and document dates are read."""
    return datetime.now(FIELD_TIMEZONE).date()
