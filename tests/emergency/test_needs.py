"""Sphere's minimums worked by hand for a posko, checked against the calculator."""

from decimal import Decimal

import pytest

from logistics.emergency.needs import (
    SPHERE_DEFAULTS,
    Group,
    Per,
    Population,
    Standard,
    Supply,
    capacity,
    coverage,
    needs_of,
    required,
)

STANDARD = {standard.code: standard for standard in SPHERE_DEFAULTS}
RICE, MEALS, BLANKET = 1, 2, 3
FOOD = [Supply(RICE, Decimal(3600)), Supply(MEALS, Decimal(400))]
POSKO = Population(persons=1000, households=250, under_five=120, pregnant=14,
                   breastfeeding=30, elderly=90, disabled=11)


def test_a_week_of_food_for_a_thousand_people():
    # 2,100 kcal x 1,000 people x 7 days = 14,700,000 kcal; rice alone: /3,600 = 4,083.3 kg.
    food = coverage(STANDARD["food_energy"], POSKO, 7, FOOD)
    assert food.needed == 14_700_000
    assert food.units_needed == {RICE: 4084, MEALS: 36750}


def test_water_space_and_the_ratios_round_up():
    assert required(STANDARD["water"], POSKO, 7) == 105_000  # 15 L x 1,000 x 7
    assert required(STANDARD["covered_space"], POSKO, 7) == 3500  # 3.5 m2 x 1,000, once
    assert required(STANDARD["water_point"], POSKO, 7) == 4  # 1,000 / 250
    assert required(STANDARD["water_point"], Population(persons=1001), 7) == 5
    assert required(STANDARD["latrine"], Population(persons=1010), 30) == 51  # 1,010 / 20


def test_monthly_standards_count_each_started_month():
    kits = STANDARD["hygiene_kit"]
    assert required(kits, POSKO, 7) == 250  # one per household for the first month
    assert required(kits, POSKO, 30) == 250
    assert required(kits, POSKO, 31) == 500
    assert required(STANDARD["soap"], POSKO, 45) == 500_000  # 250 g x 1,000 x 2 months


def test_vulnerable_groups_drive_their_own_needs():
    assert required(STANDARD["child_food"], POSKO, 7) == 1680  # 2 packs x 120 x 7
    assert required(STANDARD["kids_ware"], POSKO, 7) == 120
    assert required(Standard("pregnancy_kit", Decimal(1), "kit", Group.PREGNANT, Per.ONCE),
                    POSKO, 7) == 14


def test_what_was_delivered_covers_days_and_leaves_the_rest_missing():
    # 2,000 kg rice = 7,200,000 kcal and 4,800 meals = 1,920,000 kcal: 9,120,000 of 14,700,000.
    food = coverage(STANDARD["food_energy"], POSKO, 7, FOOD,
                    delivered={RICE: 2000, MEALS: 4800}, available={RICE: 10_000})
    assert food.delivered == 9_120_000
    assert food.missing == 5_580_000
    assert round(food.days_delivered, 2) == Decimal("4.34")  # 9.12 M / 2.1 M a day
    assert round(food.days_available, 2) == Decimal("17.14")  # 36 M kcal in the warehouses
    over = coverage(STANDARD["food_energy"], POSKO, 1, FOOD, delivered={RICE: 2000})
    assert over.missing == 0


def test_things_handed_out_once_have_no_days_of_cover():
    blankets = coverage(STANDARD["blanket"], POSKO, 7, [Supply(BLANKET, Decimal(1))],
                        delivered={BLANKET: 600})
    assert (blankets.needed, blankets.missing) == (1000, 400)
    assert blankets.days_delivered is None


def test_an_edited_standard_changes_the_result():
    stricter = Standard("water", Decimal(20), "litre")
    assert required(stricter, POSKO, 7) == 140_000
    rows = needs_of(POSKO, 7, [stricter, STANDARD["food_energy"]], {"food_energy": FOOD})
    assert [row.needed for row in rows] == [140_000, 14_700_000]
    assert rows[0].units_needed == {}


def test_shelter_capacity_is_area_over_three_and_a_half_square_metres():
    assert capacity(Decimal(350)) == 100
    assert capacity(Decimal(100)) == 28
    assert capacity(Decimal(100), Standard("covered_space", Decimal(4), "m2")) == 25


def test_event_totals_add_censuses():
    total = POSKO + Population(persons=40, households=10, under_five=5)
    assert (total.persons, total.households, total.under_five, total.elderly) == (
        1040, 260, 125, 90)


@pytest.mark.parametrize(("bad", "why"), [
    ({"persons": 10, "under_five": 11}, "larger than the persons"),
    ({"persons": 10, "elderly": -1}, "negative"), ({"persons": -1}, "negative"),
    ({"persons": 3, "households": 4}, "more households"),
])
def test_a_census_that_cannot_be_true_is_refused(bad, why):
    with pytest.raises(ValueError, match=why):
        Population(**bad)


def test_negative_days_are_refused():
    with pytest.raises(ValueError, match="negative"):
        required(STANDARD["water"], POSKO, -1)
