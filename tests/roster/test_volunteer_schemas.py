"""Volunteer input as coordinators type it (every problem at once, each on its field), and
output as each reader may see it: NIK masked, birth date and home point only where the role
needs them."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError
from marshmallow.experimental.context import Context

from app.extensions import db
from logistics.core import identity
from logistics.core.identity import make_nik
from logistics.core.phones import NOT_A_MOBILE
from logistics.regions.places import BOTH_OR_NEITHER
from logistics.roster import errors, rules
from logistics.roster.models import Volunteer
from logistics.roster.volunteer_schemas import (
    SkillsIn,
    VolunteerChangeIn,
    VolunteerContactOut,
    VolunteerIn,
    VolunteerOut,
    VolunteerWithHomeOut,
    volunteer_out_for,
)
from tests.app.test_input_bounds import _unbounded

NIK = make_nik("17.03.01", date(1992, 3, 9), "F", 12)  # a woman: day 9 + 40
TYPED = {"kind": "tagana", "nia": " tgn 1703 0012 ", "name": "Siti Aminah",
         "nik": "1703 0149 0392 0012", "phone": "0812-3456-7890",
         "home_desa_code": "17.03.01.2001", "joined_on": "2024-02-01", "notes": ""}


def _refused(data, schema=VolunteerIn) -> dict:
    with pytest.raises(ValidationError) as refused:
        schema().load(data)
    return refused.value.messages


def test_numbers_are_taken_as_people_type_them():
    loaded = VolunteerIn().load(TYPED)
    assert loaded["nik"] == NIK == "1703014903920012"
    assert loaded["phone"] == "+6281234567890"
    assert loaded["nia"] == "TGN 1703 0012"
    assert (loaded["sex"], loaded["birth_date"], loaded["status"]) == (None, None, "active")
    assert "notes" not in loaded or loaded["notes"] is None  # a blank box is not given


def test_p_and_l_are_taken_for_perempuan_and_laki_laki():
    assert VolunteerIn().load({**TYPED, "sex": "P"})["sex"] == "F"
    assert _refused({**TYPED, "sex": "L"}) == {"sex": [identity.SEX_MISMATCH]}


def test_every_problem_comes_back_at_once_on_its_own_field():
    messages = _refused({**TYPED, "kind": "sahabat_tagana", "is_legiun": True, "sex": "M",
                         "birth_date": "1992-03-10", "phone": "021-5551234",
                         "home_lon": 102.05})
    assert messages == {
        "nia": [errors.NiaOnlyForTagana.message],
        "is_legiun": [errors.LegiunOnlyTagana.message],
        "sex": [identity.SEX_MISMATCH],
        "birth_date": [identity.BIRTH_DATE_MISMATCH],
        "phone": [NOT_A_MOBILE],
        "home_lat": [BOTH_OR_NEITHER],
    }


@pytest.mark.parametrize(("nik", "message"), [
    ("1703 0149 0392 001", identity.NOT_SIXTEEN_DIGITS_NIK),
    ("9999 0149 0392 0012", identity.UNKNOWN_REGION),
    ("1703 0173 0392 0012", identity.NOT_A_BIRTH_DATE),  # day 33 for a woman
    ("1703 0149 0392 0000", identity.ZERO_SERIAL),
])
def test_a_wrong_nik_is_named_by_the_part_that_is_wrong(nik, message):
    assert _refused({**TYPED, "nik": nik}) == {"nik": [message]}


def test_a_tagana_needs_an_nia_and_a_sahabat_has_none():
    assert _refused({**TYPED, "nia": "  "}) == {"nia": [errors.NiaRequired.message]}
    loaded = VolunteerIn().load({**TYPED, "kind": "sahabat_tagana", "nia": ""})
    assert loaded["nia"] is None


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2008, 12, 31)),
       st.sampled_from(["F", "M"]), st.integers(1, 9999), st.sampled_from([" ", "-", "."]))
def test_a_generated_person_typed_in_groups_loads_with_their_own_facts(born, sex, serial,
                                                                       separator):
    nik = make_nik("17.03.09", born, sex, serial)
    typed = separator.join(nik[i:i + 4] for i in range(0, 16, 4))
    loaded = VolunteerIn().load({**TYPED, "nik": typed, "sex": sex,
                                 "birth_date": born.isoformat()})
    assert (loaded["nik"], loaded["sex"], loaded["birth_date"]) == (nik, sex, born)


def test_a_change_clears_with_a_blank_and_wants_both_coordinates():
    assert VolunteerChangeIn().load({"name": " Siti "}) == {"name": " Siti "}  # nothing else
    assert VolunteerChangeIn().load({"phone": "", "notes": " "}) == {"phone": None,
                                                                    "notes": None}
    assert VolunteerChangeIn().load({"home_lon": "", "home_lat": ""}) == {"home_lon": None,
                                                                          "home_lat": None}
    assert _refused({"home_lon": 102.0}, VolunteerChangeIn) == {"home_lat": [BOTH_OR_NEITHER]}
    assert _refused({"home_lon": None, "home_lat": -3.4}, VolunteerChangeIn) == {
        "home_lon": [BOTH_OR_NEITHER]}
    assert "kind" not in VolunteerChangeIn().fields  # only promotion changes the kind


def test_skills_take_a_level_from_1_to_3():
    assert SkillsIn().load({"skills": [{"skill_code": "ldp"}]}) == {
        "skills": [{"skill_code": "ldp", "level": 1}]}
    assert "skills" in _refused({"skills": [{"skill_code": "ldp", "level": 4}]}, SkillsIn)
    assert "skills" in _refused({"skills": [{"skill_code": "ldp", "level": "2"}]}, SkillsIn)


@pytest.mark.parametrize("schema", [VolunteerIn, VolunteerChangeIn, SkillsIn])
def test_input_schemas_are_built_from_the_bounded_fields(schema):
    assert _unbounded(schema) == []


# --- output -------------------------------------------------------------------------------

def _dump(app, roster, schema, viewer_name, volunteer_id) -> dict:
    with app.app_context():
        volunteer = db.session.get(Volunteer, volunteer_id)
        viewer = roster.actor(viewer_name)
        with Context({"viewer": viewer}):
            return schema().dump(volunteer)


def test_a_coordinator_sees_a_masked_nik_the_age_and_the_home_point(app, roster):
    volunteer_id = roster.volunteer(home_lon=102.05, home_lat=-3.45, birth_date=date(1990, 4, 12))
    with app.app_context():
        schema = volunteer_out_for(roster.actor(roster.coordinator()))
    assert schema is VolunteerWithHomeOut
    shown = _dump(app, roster, schema, roster.coordinator(), volunteer_id)
    assert shown["nik"].startswith("1703")
    assert "*" in shown["nik"]
    assert shown["birth_date"] is None
    assert shown["age"] >= 30
    assert (shown["home_lon"], shown["home_lat"]) == (102.05, -3.45)
    assert (shown["kecamatan_code"], shown["home_desa_name"]) == ("17.03.01", "Kahyapu")
    assert shown["flags"] == []


def test_leadership_sees_no_home_point_and_puskesos_sees_the_full_nik(app, roster, make_user):
    volunteer_id = roster.volunteer(home_lon=102.05, home_lat=-3.45)
    boss, back_office = make_user(role="leadership"), make_user(role="puskesos_back")
    with app.app_context():
        assert volunteer_out_for(roster.actor(boss)) is VolunteerOut
    shown = _dump(app, roster, VolunteerOut, boss, volunteer_id)
    assert "home_lon" not in shown
    assert "home_lat" not in shown
    full = _dump(app, roster, VolunteerOut, back_office, volunteer_id)
    assert len(full["nik"]) == 16
    assert "*" not in full["nik"]
    assert full["birth_date"] == "1990-04-12"


def test_posko_staff_get_name_kind_nia_and_phone_only(app, roster, make_user):
    volunteer_id = roster.volunteer()
    shown = _dump(app, roster, VolunteerContactOut, make_user(role="posko_staff"), volunteer_id)
    assert set(shown) == {"id", "kind", "nia", "name", "phone"}


def test_an_over_age_tagana_shows_the_flag(app, roster):
    volunteer_id = roster.volunteer(birth_date=date(1960, 1, 1), joined_on=date(2024, 1, 1))
    shown = _dump(app, roster, VolunteerOut, roster.coordinator(), volunteer_id)
    assert shown["flags"] == [rules.AGE_OUTSIDE_RECRUITMENT]
