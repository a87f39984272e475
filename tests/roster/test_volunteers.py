"""Registering and correcting volunteers: numbers as people type them, the NIK agreeing with
what else was typed, no NIK or NIA twice (also when two coordinators press at once), homes
inside their desa, and an over-age Tagana flagged rather than refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from logistics.calendar import local_today
from logistics.core import identity
from logistics.core.identity import make_nik
from logistics.errors import Conflict, InvalidInput, PermissionDenied
from logistics.regions.errors import PointOutsideDesa, RegionNotDesa
from logistics.roster import availability, errors, queries, rules, volunteers
from logistics.roster.models import Volunteer, VolunteerSkill
from tests.concurrency import at_once
from tests.roster.factories import COORDINATOR


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Volunteer.id)))


def _register(roster, **fields):
    return volunteers.register_volunteer(db.session, actor=roster.actor(),
                                         **roster.volunteer_fields(**fields))


def test_a_nik_with_spaces_and_a_phone_with_dashes_are_stored_as_the_numbers(app, roster):
    roster.coordinator()
    nik = make_nik("17.03.01", date(1992, 3, 9), "F", 12)
    with app.app_context():
        volunteer = _register(roster, nik=" ".join(nik[i:i + 4] for i in range(0, 16, 4)),
                              phone="0812-3456-7890", sex=None, birth_date=None)
        db.session.commit()
        assert (volunteer.nik, volunteer.phone) == (nik, "+6281234567890")
        # Sex and birth date came from the NIK: day + 40 is a woman.
        assert (volunteer.sex, volunteer.birth_date) == ("F", date(1992, 3, 9))


@pytest.mark.parametrize(("typed", "field"), [({"sex": "M"}, "sex"),
                                              ({"birth_date": date(1992, 3, 10)}, "birth_date")])
def test_a_sex_or_birth_date_the_nik_contradicts_is_refused_on_that_field(
        app, roster, typed, field):
    roster.coordinator()
    nik = make_nik("17.03.01", date(1992, 3, 9), "F", 12)
    with app.app_context(), pytest.raises(InvalidInput) as refused:
        _register(roster, nik=nik, **{"sex": "F", "birth_date": date(1992, 3, 9), **typed})
    assert refused.value.field == field
    assert _count(app) == 0


@pytest.mark.parametrize("nik", ["1703014904920", "9999014904920012", "1703013204920012"])
def test_an_invalid_nik_is_refused_on_the_nik(app, roster, nik):
    roster.coordinator()
    with app.app_context(), pytest.raises(InvalidInput) as refused:
        _register(roster, nik=nik, sex=None, birth_date=None)
    assert refused.value.field == "nik"


def test_the_same_person_twice_is_a_conflict_on_the_nik_and_nothing_is_written(app, roster):
    roster.coordinator()
    first = roster.volunteer_fields()
    roster.volunteer(**first)
    with app.app_context(), pytest.raises(errors.DuplicateNik) as refused:
        volunteers.register_volunteer(db.session, actor=roster.actor(), **{
            **first, "nia": "TGN-OTHER", "nik": first["nik"][:4] + " " + first["nik"][4:]})
    assert (refused.value.field, refused.value.params["name"]) == ("nik", first["name"])
    assert "nik" not in refused.value.params  # personal data stays out of errors and logs
    assert _count(app) == 1


def test_an_nia_held_by_another_is_a_conflict_on_the_nia_whatever_its_case(app, roster):
    holder = roster.volunteer(nia="TGN-1703-0001")
    with app.app_context(), pytest.raises(errors.DuplicateNia) as refused:
        _register(roster, nia=" tgn-1703-0001 ")
    assert refused.value.field == "nia"
    assert refused.value.params["nia"] == "TGN-1703-0001"
    with app.app_context():
        assert db.session.get(Volunteer, holder).nia == "TGN-1703-0001"
    assert _count(app) == 1


def test_a_retried_registration_with_its_key_registers_once(app, roster):
    roster.coordinator()
    fields = roster.volunteer_fields()
    with app.app_context():
        first = volunteers.register_volunteer(db.session, actor=roster.actor(),
                                              idempotency_key="form-1", **fields)
        db.session.commit()
        again = volunteers.register_volunteer(db.session, actor=roster.actor(),
                                              idempotency_key="form-1", **fields,
                                              today=local_today() + timedelta(days=1))
        assert again.id == first.id
    assert _count(app) == 1


@pytest.mark.parametrize(("fields", "field", "error"), [
    ({"kind": "sahabat_tagana", "nia": "TGN-9"}, "nia", errors.NiaOnlyForTagana),
    ({"kind": "tagana", "nia": None}, "nia", errors.NiaRequired),
    ({"kind": "sahabat_tagana", "nia": None, "is_legiun": True}, "is_legiun",
     errors.LegiunOnlyTagana),
])
def test_nia_and_legiun_belong_to_tagana_only(app, roster, fields, field, error):
    roster.coordinator()
    with app.app_context(), pytest.raises(InvalidInput) as refused:
        _register(roster, **fields)
    assert (refused.value.field, refused.value.message) == (field, error.message)


def test_a_home_point_must_lie_inside_the_home_desa(app, roster):
    roster.coordinator()
    with app.app_context():
        with pytest.raises(PointOutsideDesa) as refused:
            _register(roster, home_lon=102.15, home_lat=-3.45)  # in the neighbouring desa
        assert refused.value.field == "home_lat"
        with pytest.raises(InvalidInput) as refused:
            _register(roster, home_lon=102.05)
        assert refused.value.field == "home_lat"
        volunteer = _register(roster, home_lon=102.15, home_lat=-3.45,
                              home_desa_code=roster.OTHER_DESA)
        assert (volunteer.home_lon, volunteer.home_lat) == (102.15, -3.45)


@pytest.mark.parametrize("code", ["17.03.01", "17.03.01.9999", "x"])
def test_the_home_must_be_a_desa(app, roster, code):
    roster.coordinator()
    with app.app_context(), pytest.raises(RegionNotDesa) as refused:
        _register(roster, home_desa_code=code)
    assert refused.value.field == "home_desa_code"


def test_joining_in_the_future_or_before_birth_is_refused(app, roster):
    roster.coordinator()
    with app.app_context():
        for joined_on in (local_today() + timedelta(days=1), date(1989, 1, 1)):
            with pytest.raises(InvalidInput) as refused:
                _register(roster, joined_on=joined_on)
            assert refused.value.field == "joined_on"


@pytest.mark.parametrize(("kind", "born", "flagged"), [
    ("tagana", date(1970, 1, 1), True),  # 50+ on joining
    ("tagana", date(2010, 1, 1), True),  # under 18
    ("tagana", date(1990, 1, 1), False),
    ("sahabat_tagana", date(1970, 1, 1), False),  # the recruitment age is for Tagana
])
def test_a_new_tagana_outside_18_to_45_is_registered_and_flagged(app, roster, kind, born,
                                                                   flagged):
    roster.coordinator()
    with app.app_context():
        volunteer = _register(roster, kind=kind, birth_date=born, nia=None if kind != "tagana"
                              else "TGN-AGE", joined_on=date(2024, 6, 1))
        db.session.commit()
        assert (rules.AGE_OUTSIDE_RECRUITMENT in rules.flags_of(volunteer)) is flagged


def test_the_recruitment_age_counts_whole_years_on_the_day():
    born = date(1980, 6, 15)
    assert rules.age_on(born, date(2025, 6, 14)) == 44
    assert rules.age_on(born, date(2025, 6, 15)) == 45
    assert rules.age_on(born, date(2026, 6, 15)) == 46


@pytest.mark.parametrize("role", ["posko_staff", "leadership", "warehouse_keeper"])
def test_only_those_who_manage_the_roster_register(app, roster, make_user, role):
    username = make_user(role=role)
    with app.app_context(), pytest.raises(PermissionDenied):
        volunteers.register_volunteer(db.session, actor=roster.actor(username),
                                      **roster.volunteer_fields())


# --- corrections --------------------------------------------------------------------------

def test_a_new_nik_brings_its_sex_and_birth_date(app, roster):
    volunteer_id = roster.volunteer()
    nik = make_nik("17.03.09", date(1998, 11, 2), "F", 77)
    with app.app_context():
        volunteer = volunteers.change_volunteer(db.session, actor=roster.actor(),
                                                volunteer_id=volunteer_id, nik=nik[:8] + "-" +
                                                nik[8:], phone="+62 813 1111 2222")
        db.session.commit()
        assert (volunteer.nik, volunteer.sex, volunteer.birth_date, volunteer.phone) == (
            nik, "F", date(1998, 11, 2), "+6281311112222")


def test_a_sex_corrected_alone_must_agree_with_the_nik_on_record(app, roster):
    volunteer_id = roster.volunteer(sex="M")
    with app.app_context(), pytest.raises(InvalidInput) as refused:
        volunteers.change_volunteer(db.session, actor=roster.actor(), volunteer_id=volunteer_id,
                                    sex="F")
    assert (refused.value.field, refused.value.message) == ("sex", identity.SEX_MISMATCH)


def test_a_correction_cannot_take_another_volunteers_nik_or_nia(app, roster):
    first = roster.volunteer(nia="TGN-A")
    second = roster.volunteer(nia="TGN-B")
    with app.app_context():
        nik = db.session.get(Volunteer, first).nik
        for change, error in (({"nia": "tgn-a"}, errors.DuplicateNia),
                              ({"nik": nik}, errors.DuplicateNik)):
            with pytest.raises(error):
                volunteers.change_volunteer(db.session, actor=roster.actor(),
                                            volunteer_id=second, **change)
        # Its own NIA again is no clash.
        volunteers.change_volunteer(db.session, actor=roster.actor(), volunteer_id=second,
                                    nia="TGN-B", name="Siti Aminah")


def test_a_tagana_keeps_an_nia_and_a_sahabat_cannot_be_legiun(app, roster):
    tagana, sahabat = roster.volunteer(), roster.volunteer(kind="sahabat_tagana")
    with app.app_context():
        with pytest.raises(InvalidInput) as refused:
            volunteers.change_volunteer(db.session, actor=roster.actor(), volunteer_id=tagana,
                                        nia=None)
        assert (refused.value.field, refused.value.message) == ("nia",
                                                                errors.NiaRequired.message)
        with pytest.raises(InvalidInput) as refused:
            volunteers.change_volunteer(db.session, actor=roster.actor(), volunteer_id=sahabat,
                                        is_legiun=True)
        assert refused.value.field == "is_legiun"


def test_moving_house_to_another_desa_checks_the_point_against_the_new_desa(app, roster):
    volunteer_id = roster.volunteer(home_lon=102.05, home_lat=-3.45)
    with app.app_context():
        with pytest.raises(PointOutsideDesa):
            volunteers.change_volunteer(db.session, actor=roster.actor(),
                                        volunteer_id=volunteer_id,
                                        home_desa_code=roster.OTHER_DESA)
        volunteer = volunteers.change_volunteer(
            db.session, actor=roster.actor(), volunteer_id=volunteer_id,
            home_desa_code=roster.OTHER_DESA, home_lon=None, home_lat=None)
        assert (volunteer.home_lon, volunteer.home_lat) == (None, None)


def test_status_moves_between_active_inactive_and_suspended(app, roster):
    volunteer_id = roster.volunteer()
    with app.app_context():
        for new in ("suspended", "inactive", "active"):
            volunteer = volunteers.change_volunteer(db.session, actor=roster.actor(),
                                                    volunteer_id=volunteer_id, status=new)
            db.session.commit()
            assert db.session.get(Volunteer, volunteer_id).status == new == volunteer.status


# --- skills -------------------------------------------------------------------------------

def test_skills_are_set_as_a_whole_with_levels(app, roster):
    roster.seed_skills()
    volunteer_id = roster.volunteer()
    with app.app_context():
        volunteers.set_skills(db.session, actor=roster.actor(), volunteer_id=volunteer_id,
                              skills=[{"skill_code": "dapur_umum", "level": 3},
                                      {"skill_code": "ldp", "level": 1}])
        db.session.commit()
        volunteers.set_skills(db.session, actor=roster.actor(), volunteer_id=volunteer_id,
                              skills=[{"skill_code": "dapur_umum", "level": 2},
                                      {"skill_code": "evakuasi"}])
        db.session.commit()
        held = db.session.execute(select(VolunteerSkill.skill_code, VolunteerSkill.level)
                                  .where(VolunteerSkill.volunteer_id == volunteer_id)
                                  .order_by(VolunteerSkill.skill_code)).all()
        assert held == [("dapur_umum", 2), ("evakuasi", 1)]


@pytest.mark.parametrize(("skills", "field", "error"), [
    ([{"skill_code": "terbang"}], "skills.0.skill_code", errors.UnknownSkill),
    ([{"skill_code": "ldp"}, {"skill_code": "ldp", "level": 2}], "skills.1.skill_code",
     errors.SkillTwice),
    ([{"skill_code": "ldp", "level": 4}], "skills.0.level", InvalidInput),
])
def test_an_unknown_skill_a_skill_twice_or_a_wrong_level_is_refused_whole(
        app, roster, skills, field, error):
    roster.seed_skills()
    volunteer_id = roster.volunteer()
    with app.app_context():
        volunteers.set_skills(db.session, actor=roster.actor(), volunteer_id=volunteer_id,
                              skills=[{"skill_code": "logistik", "level": 2}])
        db.session.commit()
        with pytest.raises(error) as refused:
            volunteers.set_skills(db.session, actor=roster.actor(), volunteer_id=volunteer_id,
                                  skills=skills)
        assert refused.value.field == field
        db.session.rollback()
        assert [line.skill_code for line in db.session.get(Volunteer, volunteer_id).skills] == [
            "logistik"]


# --- two coordinators at once -------------------------------------------------------------

def test_two_coordinators_registering_one_person_at_once_register_them_once(app, roster):
    roster.coordinator()
    roster.coordinator("koordinator-2")
    for attempt in range(3):
        fields = roster.volunteer_fields(nia=f"TGN-RACE-{attempt}")

        def register(session, actor, nia, fields=fields):
            volunteers.register_volunteer(session, actor=actor, **{**fields, "nia": nia})

        outcomes = at_once(app, [
            (COORDINATOR, lambda s, a, f=fields: register(s, a, f["nia"])),
            ("koordinator-2", lambda s, a, f=fields: register(s, a, f["nia"] + "-B"))])
        assert sorted(outcomes) == ["DuplicateNik", "ok"]
    assert _count(app) == 3
    assert issubclass(errors.DuplicateNik, Conflict)


@pytest.mark.parametrize(("same", "error", "field"), [("nik", errors.DuplicateNik, "nik"),
                                                      ("nia", errors.DuplicateNia, "nia")])
def test_a_clash_the_check_missed_is_told_by_the_constraint_as_the_same_rule(
        app, roster, monkeypatch, same, error, field):
    """What a racing writer meets: the unique constraint, declared to mean the rule."""
    first = roster.volunteer_fields()
    roster.volunteer(**first)
    monkeypatch.setattr(volunteers, "_check_unique", lambda *args, **kwargs: None)
    second = roster.volunteer_fields()
    with app.app_context(), pytest.raises(error) as refused:
        volunteers.register_volunteer(db.session, actor=roster.actor(),
                                      **{**second, same: first[same]})
    assert refused.value.field == field
    assert refused.value.params["name"] == first["name"]
    assert _count(app) == 1


def test_the_roster_filters_by_kind_kecamatan_skill_and_who_is_free(app, roster,
                                                                    volunteers_few):
    few = volunteers_few
    roster.seed_skills()
    with app.app_context():
        volunteers.set_skills(db.session, actor=roster.actor(), volunteer_id=few["tagana_2"],
                              skills=[{"skill_code": "ldp", "level": 2}])
        availability.declare_unavailable(db.session, actor=roster.actor(),
                                         volunteer_id=few["tagana"], starts_on=date(2026, 7, 1),
                                         ends_on=date(2026, 7, 3))
        db.session.commit()

        def ids(**filters):
            return [row.id for row in queries.volunteer_rows(db.session, **filters)]

        assert ids(kind="sahabat_tagana") == [few["sahabat"], few["sahabat_far"]]
        assert ids(kecamatan_code=roster.OTHER_KECAMATAN) == [few["sahabat_far"]]
        assert ids(skill_code="ldp") == [few["tagana_2"]]
        assert ids(kind="tagana", status="active", free_on=date(2026, 7, 2)) == [
            few["tagana_2"]]
        first = queries.volunteer_rows(db.session, limit=2)
        assert len(first) == 3  # limit + 1: a next page exists
        assert ids(limit=50, after=first[1].id)[0] == first[2].id
