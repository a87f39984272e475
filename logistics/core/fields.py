"""The field types every input schema is built from, and the one way text becomes a number.

A value the database cannot hold never reaches it, whichever door it came through (API,
page form, spreadsheet): whole numbers are whole (``1.5``, ``"3"`` and ``true`` are not) and
fit their column, and text fits its column and holds no control character or lone surrogate
(PostgreSQL refuses NUL, no database stores a lone surrogate, openpyxl cannot write control
characters). What arrives as text (a form, a query string, a sheet cell) is read by
`parse_integer`, and only then checked by the same strict field as a JSON body.

Messages carry no parameters (a schema message is translated as it stands), so each bound
says its range in words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from marshmallow import Schema, ValidationError, fields, validate

from logistics.i18n import N_

INT_MAX = 2**31 - 1  # PostgreSQL INTEGER, the narrower of the two databases' columns
QTY_MAX = 10_000_000  # what one line of one document may move, in base units
PAGE_MAX = 200

REQUIRED = N_("Missing data for required field.")  # marshmallow's wording, for blanks too
TOO_LONG = N_("Too long.")
NOT_ALLOWED = N_("Contains a control character or an invalid character.")
NOT_A_CHOICE = N_("Not one of the choices.")
NOT_A_FLAG = N_("true or false.")

# ASCII digits only: "²" and "٣" are digits to str.isdigit() but not numbers anyone typed here.
# One sign at most, written before the digits: "+5" is how a keeper writes a found surplus.
_WHOLE = re.compile(r"[-+]?[0-9]{1,30}")
# C0 and C1 control characters (tab and line breaks only where a field is multi-line), lone
# surrogates, and the two non-characters XML cannot carry.
_NEVER = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
_SINGLE_LINE_BAD = re.compile(f"[{_NEVER}\t\n\r]")
_MULTI_LINE_BAD = re.compile(f"[{_NEVER}]")


def parse_integer(value, group: str | None = None) -> int | None:
    """A whole number from typed text or a sheet cell, else None.

    ``"3"``, ``" 3 "``, ``3`` and a cell's ``3.0`` are 3; ``"3.0"``, ``"1.5"``, ``"²"``,
    ``"1e3"``, ``"+-3"``, ``True`` and ``1.5`` are not whole numbers; a leading ``+`` or ``-``
    is the sign people type (``"+5"`` is 5). Ranges are the fields' business.
    With ``group`` (the thousands separator of the language the text was typed in, "." in
    Indonesian) ``"1.000"`` is 1000; groups must then be of three digits, so ``"1.5"`` and
    ``"10.00"`` stay refused rather than guessed at.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        text = value.strip()
        if group and _grouped(group).fullmatch(text):
            text = text.replace(group, "")
        return int(text) if _WHOLE.fullmatch(text) else None
    return None


def _grouped(group: str) -> re.Pattern:
    return re.compile(rf"[-+]?[0-9]{{1,3}}(?:{re.escape(group)}[0-9]{{3}})+")


def printable(text: str) -> str:
    """``text`` without the characters no text field takes (tabs and line breaks kept): for
    writing out text stored before input was checked."""
    return _MULTI_LINE_BAD.sub("", text)


def from_text(schema: Schema, data: Mapping, group: str | None = None) -> dict:
    """``data`` typed as text (a form, a query string) with each whole-number field of
    ``schema`` read by `parse_integer` (``group``: the typist's thousands separator); text
    that is no whole number is left for the field to refuse with its own message."""
    converted = dict(data)
    for name, field in schema.fields.items():
        key = field.data_key or name
        if key in converted:
            converted[key] = _from_text(field, converted[key], group)
    return converted


def _from_text(field: fields.Field, value, group: str | None = None):
    if isinstance(field, fields.Integer) and isinstance(value, str):
        number = parse_integer(value, group)
        return value if number is None else number
    if isinstance(field, fields.Nested) and isinstance(value, Mapping):
        return from_text(field.schema, value, group)
    if isinstance(field, fields.List):
        if isinstance(value, list):
            return [_from_text(field.inner, item, group) for item in value]
        return _from_text(field.inner, value, group)
    return value


def first_problem(field: fields.Field, value) -> str | None:
    """The first message ``field`` gives for ``value``, or None if it takes it (for checks
    outside a schema, such as a spreadsheet's rows)."""
    try:
        field.deserialize(value)
    except ValidationError as error:
        return _first(error.messages)
    return None


def _first(messages) -> str:
    if isinstance(messages, Mapping):
        return _first(next(iter(messages.values())))
    if isinstance(messages, list):
        return _first(messages[0])
    return str(messages)


class Whole(fields.Integer):
    """A whole number in ``[minimum, maximum]``; JSON numbers only (never ``"3"``, ``3.0``,
    ``true``). Subclasses name the common ranges; others give theirs with a message."""

    minimum: int | None = None
    maximum: int | None = None
    message: str | None = None

    def __init__(self, *, minimum: int | None = None, maximum: int | None = None,
                 error: str | None = None, **kwargs):
        minimum = self.minimum if minimum is None else minimum
        maximum = self.maximum if maximum is None else maximum
        if minimum is None or maximum is None:
            raise TypeError("a whole-number field needs its range")
        extra = kwargs.pop("validate", None) or []
        extra = [extra] if callable(extra) else list(extra)
        super().__init__(strict=True, validate=[
            validate.Range(min=minimum, max=maximum, error=error or self.message), *extra],
            **kwargs)


class Id(Whole):
    """A row id: what an INTEGER primary key can hold. In a path, ``IdConverter`` answers 404."""

    minimum, maximum, message = 1, INT_MAX, N_("Not a valid id.")


class Quantity(Whole):
    """A quantity moved on one line, in base units (or a number of packs)."""

    minimum, maximum, message = 1, QTY_MAX, N_("A whole number from 1 to 10,000,000.")


class Count(Whole):
    """A quantity that may be nothing: counted, arrived, a minimum level."""

    minimum, maximum, message = 0, QTY_MAX, N_("A whole number from 0 to 10,000,000.")


class Limit(Whole):
    """How many rows a page holds."""

    minimum, maximum, message = 1, PAGE_MAX, N_("A whole number from 1 to 200.")

    def __init__(self, **kwargs):
        super().__init__(load_default=50, **kwargs)


class Text(fields.String):
    """Text that fits its column and holds no control character or lone surrogate.

    ``max_length`` is the column's length; ``min_length=1`` makes a blank count as missing.
    Single-line by default; ``multiline=True`` lets tabs and line breaks through (notes).
    """

    def __init__(self, max_length: int, *, min_length: int = 0, multiline: bool = False,
                 length_error: str | None = None, **kwargs):
        extra = kwargs.pop("validate", None) or []
        extra = [extra] if callable(extra) else list(extra)
        self.max_length, self.multiline = max_length, multiline
        checks = [self._clean]
        if min_length:
            checks.append(validate.Length(min=min_length, error=length_error or REQUIRED))
        checks.append(validate.Length(max=max_length, error=length_error or TOO_LONG))
        super().__init__(validate=[*checks, *extra], **kwargs)

    def _clean(self, value: str) -> None:
        bad = _MULTI_LINE_BAD if self.multiline else _SINGLE_LINE_BAD
        if bad.search(value):
            raise ValidationError(NOT_ALLOWED)


class Flag(fields.Boolean):
    """true or false and nothing else: 0, "yes" or "" silently read as a flag would change
    someone's access or an item's rules by accident (a form's checkbox arrives as a bool)."""

    default_error_messages = {"invalid": NOT_A_FLAG}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):  # 0 == False to a set: check the type itself
            raise self.make_error("invalid")
        return value


class Choice(fields.String):
    """One of a fixed set of short texts (a kind, a category, a reason); nothing else gets in."""

    def __init__(self, choices, *, error: str = NOT_A_CHOICE, **kwargs):
        self.choices = [str(choice) for choice in choices]
        super().__init__(validate=validate.OneOf(self.choices, error=error), **kwargs)
