"""Needs for censuses as posko report them, generated: many posko added up, every group
present or absent, any number of days, every standard in the table at once."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from logistics.emergency.needs import (
    SPHERE_DEFAULTS,
    ZERO,
    Per,
    Population,
    Supply,
    coverage,
    needs_of,
    required,
)


@st.composite
def censuses(draw):
    persons = draw(st.integers(0, 5000))
    group = st.integers(0, persons)
    return Population(persons=persons, households=draw(st.integers(0, persons)),
                      under_five=draw(group), pregnant=draw(group), breastfeeding=draw(group),
                      elderly=draw(group), disabled=draw(group))


days = st.integers(0, 400)


@settings(max_examples=150, deadline=None)
@given(posko=st.lists(censuses(), min_size=1, max_size=12), days=days)
def test_an_events_needs_are_the_sum_of_its_posko_needs(posko, days):
    total = sum(posko, ZERO)
    for standard in SPHERE_DEFAULTS:
        whole = required(standard, total, days)
        parts = sum((required(standard, one, days) for one in posko), Decimal(0))
        if standard.per is Per.RATIO:  # each posko rounds its own water points up
            assert whole <= parts
        else:
            assert whole == parts


@settings(max_examples=150, deadline=None)
@given(census=censuses(), days=days, more=st.integers(0, 60))
def test_more_days_never_need_less(census, days, more):
    for standard in SPHERE_DEFAULTS:
        assert required(standard, census, days) <= required(standard, census, days + more)


@settings(max_examples=150, deadline=None)
@given(census=censuses(), days=days,
       delivered=st.dictionaries(st.integers(1, 4), st.integers(0, 100_000), max_size=4))
def test_units_named_cover_the_need_and_the_rest_is_what_is_missing(census, days, delivered):
    supplies = [Supply(1, Decimal(3600)), Supply(2, Decimal(400)), Supply(3, Decimal(250)),
                Supply(4, Decimal("0.6"))]
    for row in needs_of(census, days, SPHERE_DEFAULTS, {s.code: supplies
                                                        for s in SPHERE_DEFAULTS},
                        delivered=delivered):
        for supply in supplies:
            units = row.units_needed[supply.item_id]
            assert units * supply.content >= row.needed  # rounded up, never short
            assert (units - 1) * supply.content < row.needed or units == 0
        assert row.missing == max(Decimal(0), row.needed - row.delivered)
        assert row.delivered == sum((s.content * delivered.get(s.item_id, 0) for s in supplies),
                                    Decimal(0))
        if row.days_delivered is not None and row.needed and days:
            assert (row.days_delivered >= days) == (row.delivered >= row.needed) or \
                row.standard.per is Per.MONTH


def test_a_census_of_nobody_needs_nothing():
    assert all(coverage(s, ZERO, 30, []).needed == 0 for s in SPHERE_DEFAULTS)
