"""Compact encodings of the map data that travels in a page. lumbung-maps.js reads them, and
the Python decoders here read them the same way so the tests can check a round trip.

Coordinates use Google's encoded-polyline algorithm at 1e-5 degrees (~1 m). Each value is
the step from the previous one, zig-zagged to an unsigned integer and written 5 bits at a
time as the characters "?".."~". A step of ~30 m along a boundary takes 2 characters where
JSON needs 4 or 5. Those characters hold no `<`, `>` or `&`, and no quote. The only
one JSON escapes is the backslash, so a string stays safe inside a <script>.

A posko is one short array. Its texts that repeat (desa names, kinds) are indexed in
tables sent once, and fields at their default are left off the end (see `posko_rows`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

SCALE = 100_000  # 1e-5 degree units


def polyline(values: Iterable[int]) -> str:
    """Integers as an encoded polyline: each a step from the one before (first from 0)."""
    out: list[str] = []
    append = out.append
    for value in values:
        value = ~(value << 1) if value < 0 else value << 1
        while value >= 0x20:
            append(chr((0x20 | (value & 0x1F)) + 63))
            value >>= 5
        append(chr(value + 63))
    return "".join(out)


def unpolyline(text: str) -> list[int]:
    """The integers back from `polyline` (the steps, not yet added up)."""
    values: list[int] = []
    shift = result = 0
    for char in text:
        byte = ord(char) - 63
        result |= (byte & 0x1F) << shift
        shift += 5
        if byte < 0x20:
            values.append(~(result >> 1) if result & 1 else result >> 1)
            shift = result = 0
    return values


def steps(pairs: Iterable[tuple[float, float]]) -> list[int]:
    """(a, b) pairs in degrees as 1e-5 steps from the pair before: a1, b1, a2-a1, b2-b1, ..."""
    flat: list[int] = []
    last_a = last_b = 0
    for a, b in pairs:
        ia, ib = round(a * SCALE), round(b * SCALE)
        flat += (ia - last_a, ib - last_b)
        last_a, last_b = ia, ib
    return flat


def pairs_of(text: str) -> list[tuple[float, float]]:
    """The pairs back from ``polyline(steps(pairs))``, rounded to 1e-5 degrees."""
    values = unpolyline(text)
    out = []
    a = b = 0
    for n in range(0, len(values), 2):
        a, b = a + values[n], b + values[n + 1]
        out.append((a / SCALE, b / SCALE))
    return out


REQUIRED = object()  # a field never left off (see `trimmed`)


def trimmed(row: list, defaults: Sequence[Any]) -> list:
    """``row`` without the fields at its end that equal their default (``defaults`` has a
    default or REQUIRED per field)."""
    end = len(row)
    while end and defaults[end - 1] is not REQUIRED and row[end - 1] == defaults[end - 1]:
        end -= 1
    return row[:end] if end < len(row) else row


# A posko row: [kind * 2 + closed, name, desa, link, persons, volunteers, equipment, groups,
# needs, cover]; these defaults are what the script reads for a field left off the end.
POSKO = (REQUIRED, REQUIRED, REQUIRED, REQUIRED, 0, 0, 0, [], [], None)


def padded(row: Sequence, defaults: Sequence[Any]) -> list:
    """What the browser reads: a trimmed row with its defaults put back."""
    return [*row, *defaults[len(row):]]


def link_steps(suffixes: Sequence[str | None]) -> tuple[list, bool]:
    """Page links after their shared prefix. When every one is a plain number (ids, the usual
    case) each is sent as the step from the one before (1 for consecutive ids), and True;
    otherwise the suffixes as they are (strings, None for a row without a page), and False."""
    numbers: list[int] = []
    for suffix in suffixes:
        if suffix is None or not suffix.isdigit() or (suffix != "0" and suffix[0] == "0"):
            return list(suffixes), False
        numbers.append(int(suffix))
    last = 0
    out = []
    for number in numbers:
        out.append(number - last)
        last = number
    return out, True


def links_of(values: Sequence, stepped: bool) -> list:
    """The suffixes back from `link_steps`, as the script forms them."""
    if not stepped:
        return list(values)
    out, total = [], 0
    for value in values:
        total += value
        out.append(str(total))
    return out


def short_number(value: float | None, digits: int = 1) -> float | int | None:
    """A figure rounded, written as an integer when it is one ("14" not "14.0")."""
    if value is None:
        return None
    value = round(float(value), digits)
    return int(value) if value.is_integer() else value


def read_posko(data: dict, ctx: dict) -> list[dict]:
    """The posko as lumbung-maps.js reads them from `maps.layers.posko_data`: a marker's
    place, classes and popup texts per row (the tests' round trip)."""
    points = pairs_of(data["at"])
    rows = [padded(row, POSKO) for row in data["rows"]]
    suffixes = links_of([row[3] for row in rows], ctx["linkStep"])
    out = []
    for (lat, lon), row, suffix in zip(points, rows, suffixes, strict=True):
        kind, label = ctx["kinds"][row[0] >> 1]
        out.append({
            "lat": lat, "lon": lon, "kind": kind, "kind_label": label,
            "is_open": not row[0] & 1, "name": row[1], "desa_name": ctx["desa"][row[2]],
            "link": None if suffix is None else ctx["link"] + str(suffix),
            "persons": row[4], "volunteers": row[5], "equipment": row[6],
            "groups": {ctx["groups"][i]: n for i, n in enumerate(row[7]) if n},
            "unmet_needs": [ctx["needs"][i] for i in row[8]], "days_of_cover": row[9]})
    return out
