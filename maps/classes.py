"""Classes for a choropleth: a few round-number breaks people can read on a legend.

Breaks follow the quantiles of the non-zero values, rounded up to 1, 2, 2.5 or 5 times a
power of ten, so a legend reads "1–50, 51–200, 201–500" rather than "1–47, 48–213". Zero has a
class of its own (class 0, "none"), drawn lightest; a missing figure draws no fill at all.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence

MAX_CLASSES = 5
NICE = (1, 2, 2.5, 5, 10)


def nice_ceiling(value: float) -> int:
    """The smallest of 1, 2, 2.5, 5 × 10^k (an integer) not below ``value``."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in NICE:
        candidate = step * power
        if candidate >= value and float(candidate).is_integer():
            return int(candidate)
    return int(10 * power)


def breaks_for(values: Sequence[int], classes: int = MAX_CLASSES) -> list[int]:
    """Upper bounds of the classes above zero, ascending, at most ``classes`` of them; the
    last is the largest value (rounded), so every value falls in a class."""
    positive = sorted(v for v in values if v and v > 0)
    if not positive:
        return []
    bounds: list[int] = []
    for step in range(1, classes + 1):
        quantile = positive[min(len(positive) - 1, math.ceil(step * len(positive) / classes) - 1)]
        bound = nice_ceiling(quantile)
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    return bounds


def class_of(value: int | None, bounds: Sequence[int]) -> int | None:
    """0 for zero, 1..len(bounds) for the class above zero, None when there is no figure."""
    if value is None:
        return None
    if value <= 0:
        return 0
    return min(bisect_left(bounds, value), len(bounds) - 1) + 1


def class_ranges(bounds: Sequence[int]) -> list[tuple[int, int]]:
    """(low, high) of each class above zero: (1, 50), (51, 200), ..."""
    ranges = []
    low = 1
    for bound in bounds:
        ranges.append((low, bound))
        low = bound + 1
    return ranges
