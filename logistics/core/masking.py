"""NIK and No. KK: shown in full only to those whose work needs them, masked everywhere else.

One masking rule for pages and API output: keep the region part's first four digits and the
last two, e.g. ``1703**********12``; logs keep only the first four (``1703************``), as a
log line has no reader who needs to tell two households apart. Whether a viewer sees the full
number is the role's ``VIEW_PERSONAL_DATA`` permission (`logistics.accounts.roles`), asked here
and nowhere else.
"""

from __future__ import annotations

import re

from marshmallow import fields
from marshmallow.experimental.context import Context

from logistics.accounts.roles import Permission

SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")
# As people also write them in notes: "1703 0112 0490 0012", "1703-0112-0490-0012",
# "17.03.01.120490.0012", "1703 - 0112 - ...". A run is digit groups joined by spaces, a dot or
# a dash; the number is any stretch of whole groups that holds 16 digits, so a count or an RT
# written next to it ("RT 02 1703... 3 jiwa") does not hide it.
DIGIT_RUN = re.compile(r"(?<!\d)\d+(?:(?:[^\S\n]*[.\-][^\S\n]*|[^\S\n]+)\d+)*")
GROUP = re.compile(r"\d+")


def mask_number(value: str | None, *, keep_end: int = 2) -> str | None:
    """``1703011204900012`` -> ``1703**********12``; other lengths are masked whole."""
    if value is None:
        return None
    text = str(value)
    if len(text) == 16:
        return text[:4] + "*" * (12 - keep_end) + text[16 - keep_end:]
    return "*" * len(text)


def mask_in_text(text: str, *, keep_end: int = 2) -> str:
    """Mask every 16-digit number inside free text (notes; logs with ``keep_end=0``), also
    when written in groups; the masked form drops the separators, the rest stays as written."""
    return DIGIT_RUN.sub(lambda run: _mask_run(run.group(), keep_end), text)


def _mask_run(run: str, keep_end: int) -> str:
    """The run with each stretch of whole groups holding 16 digits masked, left to right."""
    groups = list(GROUP.finditer(run))
    pieces, shown_to_here, first, digits = [], 0, 0, 0
    for last, group in enumerate(groups):
        digits += len(group.group())
        while digits > 16:
            digits -= len(groups[first].group())
            first += 1
        if digits == 16:
            start, end = groups[first].start(), group.end()
            pieces += [run[shown_to_here:start],
                       mask_number(re.sub(r"\D", "", run[start:end]), keep_end=keep_end)]
            shown_to_here, first, digits = end, last + 1, 0
    return "".join(pieces) + run[shown_to_here:]


def text_shown_to(viewer, text: str | None) -> str | None:
    """Free text as this viewer may see it: any NIK or No. KK typed into it masked."""
    if text is None or may_see_personal_data(viewer):
        return text
    return mask_in_text(str(text))


def may_see_personal_data(viewer) -> bool:
    return viewer is not None and viewer.can(Permission.VIEW_PERSONAL_DATA)


def shown_to(viewer, value: str | None) -> str | None:
    """The number as this viewer may see it."""
    return value if may_see_personal_data(viewer) else mask_number(value)


class PersonalNumber(fields.String):
    """An output field for NIK / No. KK: masked unless the dump runs with a viewer who may see it.

    ``with Context({"viewer": user}): schema.dump(row)``; without a viewer it is always masked.
    """

    def _serialize(self, value, attr, obj, **kwargs):
        viewer = Context.get({}).get("viewer")
        return super()._serialize(shown_to(viewer, value), attr, obj, **kwargs)


class PersonalText(fields.String):
    """An output field for free text a person may type a NIK or No. KK into (an address,
    notes, a reason): the numbers in it masked unless the dump runs with a viewer who may see
    them, the rest as written. Without a viewer the numbers are always masked."""

    def _serialize(self, value, attr, obj, **kwargs):
        viewer = Context.get({}).get("viewer")
        return super()._serialize(text_shown_to(viewer, value), attr, obj, **kwargs)
