"""What each needs standard, measure, population group and rate is called: the one place.

Codes are what the table and the API store; these `N_` texts are what pages show, translated
by the web layer. A standard code without a label here cannot be saved (`standard_edits`).
"""

from __future__ import annotations

from logistics.emergency.needs import Group, Per
from logistics.i18n import N_

STANDARD_LABELS = {
    "food_energy": N_("Food energy"),
    "water": N_("Drinking and domestic water"),
    "covered_space": N_("Covered living space"),
    "blanket": N_("Blankets"),
    "sleeping_mat": N_("Sleeping mats"),
    "clothing": N_("Clothing sets"),
    "soap": N_("Soap"),
    "hygiene_kit": N_("Hygiene kits"),
    "family_kit": N_("Family kits"),
    "child_food": N_("Food for children under five"),
    "kids_ware": N_("Kids' kits"),
    "water_point": N_("Water points"),
    "latrine": N_("Latrines"),
}

MEASURE_LABELS = {
    "kcal": N_("kcal"),
    "litre": N_("litres"),
    "m2": N_("m²"),
    "piece": N_("pieces"),
    "set": N_("sets"),
    "gram": N_("grams"),
    "kit": N_("kits"),
    "pack": N_("packs"),
    "point": N_("water points"),
    "latrine": N_("latrines"),
}

GROUP_LABELS = {
    Group.PERSONS: N_("every person"),
    Group.HOUSEHOLDS: N_("every household"),
    Group.UNDER_FIVE: N_("every child under five"),
    Group.PREGNANT: N_("every pregnant woman"),
    Group.BREASTFEEDING: N_("every breastfeeding mother"),
    Group.ELDERLY: N_("every older person (60+)"),
    Group.DISABLED: N_("every person with a disability"),
}

PER_LABELS = {
    Per.DAY: N_("per day"),
    Per.MONTH: N_("per month (a started month counts)"),
    Per.ONCE: N_("once"),
    Per.RATIO: N_("one for every so many people"),
}
