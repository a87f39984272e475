"""Indonesian mobile numbers as people write them, stored one way: ``+628...``.

A dispatched volunteer gets a ``wa.me`` link, and WhatsApp and SMS gateways want the
international form, while people write ``0812-3456-7890``, ``62 812 3456 7890`` or
``+62 (0)812...``. Only mobile numbers are taken (``8`` then an operator digit: 81x Telkomsel
and Indosat, 82x, 83x, 85x, 87x, 88x, 89x), because a landline cannot receive the message;
the subscriber part is 7 to 10 digits, so the whole number after ``+62`` is 9 to 12 digits.
"""

from __future__ import annotations

import re

from marshmallow import ValidationError

from logistics.core.fields import Text
from logistics.i18n import N_

NOT_A_MOBILE = N_("Not an Indonesian mobile number: write it as 08..., 628... or +628...")
_WRITTEN = re.compile(r"[ \-.()/]")
_MOBILE = re.compile(r"8[1235789][0-9]{7,10}")


def mobile_number(text: str) -> str | None:
    """``"0812-3456-7890"`` -> ``"+6281234567890"``; None when it is no Indonesian mobile.

    Accepted beginnings: ``08``, ``8``, ``628``, ``+628``, ``00628``, and ``+62 0 8`` (the
    trunk zero people keep after the country code); spaces, dashes, dots, slashes and
    brackets between digits are dropped.
    """
    if not isinstance(text, str):
        return None
    number = _WRITTEN.sub("", text.strip())
    for prefix in ("+620", "+62", "00620", "0062", "620", "62", "0"):
        if number.startswith(prefix):
            number = number[len(prefix):]
            break
    return "+62" + number if _MOBILE.fullmatch(number) else None


class MobilePhone(Text):
    """An input field taking a mobile number as typed and giving it as ``+628...``; a blank
    is no number (None)."""

    def __init__(self, **kwargs):
        super().__init__(30, allow_none=True, **kwargs)

    def deserialize(self, value, attr=None, data=None, **kwargs):
        if isinstance(value, str) and not value.strip():
            value = None
        return super().deserialize(value, attr, data, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        self._clean(text)
        number = mobile_number(text)
        if number is None:
            raise ValidationError(NOT_A_MOBILE)
        return number
