"""Legends as HTML built here, every text escaped and every colour a class of
lumbung-maps.css, so the page's CSP (no style attributes) holds and one palette serves the
map and its legend."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from babel.numbers import format_decimal

from maps.base import Control
from maps.classes import class_ranges
from maps.i18n import _, locale_tag

SHADES = 5  # lm-c1 .. lm-c5 in lumbung-maps.css; lm-c0 is "none"


def shade_of(klass: int | None, classes: int) -> int | None:
    """The palette shade of a class, spread over the palette when there are fewer classes."""
    if klass is None or klass == 0 or classes == 0:
        return klass
    return math.ceil(klass * SHADES / classes)


def number(value: int) -> str:
    return format_decimal(value, "#,##0", locale=locale_tag().replace("-", "_"))


def class_entries(bounds: Sequence[int], *, with_zero: bool = True) -> list[tuple[str, str]]:
    """(css class, label) for each class of a choropleth, "none" first."""
    entries = [("lm-swatch lm-c0", _("None"))] if with_zero else []
    ranges = class_ranges(bounds)
    for index, (low, high) in enumerate(ranges, start=1):
        text = number(low) if low == high else f"{number(low)}–{number(high)}"
        entries.append((f"lm-swatch lm-c{shade_of(index, len(ranges))}", text))
    return entries


def legend_html(title: str | None,
                sections: Sequence[tuple[str, Sequence[tuple[str, str]]]]) -> str:
    """A legend: a title, then each section's heading and its (css class, label) rows."""
    parts = [f'<div class="lm-legend-title">{escape(title)}</div>'] if title else []
    for heading, entries in sections:
        if not entries:
            continue
        parts.append(f'<div class="lm-legend-section"><div class="lm-legend-heading">'
                     f"{escape(heading)}</div><ul>")
        parts.extend(f'<li><i class="{escape(css)}"></i> {escape(label)}</li>'
                     for css, label in entries)
        parts.append("</ul></div>")
    return "".join(parts)


def legend_control(title: str, sections, *, fixed: bool = False):
    """The legend as a map control: folds away on a phone (a <details>), always open on paper."""
    if fixed:
        return Control("legend", {"html": legend_html(title, sections),
                                  "className": "lm-legend lm-legend-fixed",
                                  "position": "bottomright"})
    summary = f"<summary>{escape(title)}</summary>"
    body = legend_html(None, sections)
    return Control("legend", {"html": f"<details open>{summary}{body}</details>",
                              "className": "lm-legend", "position": "bottomright"})


def north_arrow():
    """A north arrow for the printed map ("U" for utara in Indonesian)."""
    html = (f'<span class="lm-north-arrow"></span>'
            f'<span class="lm-north-letter">{escape(_("N"))}</span>')
    return Control("north", {"html": html, "className": "lm-north", "position": "topright"})
