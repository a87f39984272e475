"""Registering households and keeping their members: one household per No. KK, one household
per person at a time (also when two clerks race), moves, deaths and the register status."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from logistics.calendar import local_today
from logistics.core.identity import make_nik
from logistics.errors import DomainError, InvalidInput, PermissionDenied
from logistics.referrals import errors, household_queries, households
from logistics.referrals.models import Household, Membership, Person, PersonalDataAccess
from tests.concurrency import at_once
from tests.referrals.factories import make_kk

KEC = "17.03.01"


def nik(serial, sex="M", born=date(1980, 4, 12)):
    return make_nik(KEC, born, sex, serial)


def member(serial, relation="anak", sex="L", born=date(2010, 1, 15), **extra):
    return {"nik": nik(serial, "F" if sex == "P" else "M", born), "name": f"Warga {serial}",
            "sex": sex, "birth_date": born, "relation": relation, **extra}


def family(first=1):
    return [member(first, "kepala", born=date(1980, 4, 12)),
            member(first + 1, "istri_suami", "P", date(1984, 9, 3)),
            member(first + 2)]


def register(slrt, clerk, kk_serial=1, members=None, desa=None, **extra):
    actor = slrt.actor(clerk)
    return households.register_household(
        db.session, actor=actor, kk_number=make_kk(KEC, kk_serial), desa_code=desa or slrt.DESA,
        address="Jl. Kenanga 3", members=family() if members is None else members,
        **extra)


def counts():
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Household, Person, Membership))


@pytest.fixture
def clerk(slrt):
    return slrt.staff("puskesos_front", username="fo-home")


def test_registering_keeps_everyone_on_the_card_and_notes_the_change(app, slrt, clerk):
    with app.app_context():
        kk = make_kk(KEC, 1)
        household = register(
            slrt, clerk, members=[member(1, "kepala", born=date(1980, 4, 12), nik=None),
                                  member(2, "anak", "P", date(2012, 3, 4))],
            register="dtsen", welfare_decile=2)
        db.session.commit()
        assert household.kk_number == kk
        assert household.register == "dtsen"
        assert household.register_checked_on == local_today()
        assert [m.person.name for m in household.members] == ["Warga 1", "Warga 2"]
        assert household.members[1].person.birth_date == date(2012, 3, 4)
        assert household.members[0].person.nik is None
        trail = db.session.scalars(select(PersonalDataAccess)).all()
        assert [(row.action, row.what) for row in trail] == [("change", "household registered")]


def test_kk_typed_with_separators_is_stored_as_digits(app, slrt, clerk):
    with app.app_context():
        kk = make_kk(KEC, 7)
        actor = slrt.actor(clerk)
        household = households.register_household(
            db.session, actor=actor, kk_number=f"{kk[:4]} {kk[4:8]}-{kk[8:12]}.{kk[12:]}",
            desa_code=slrt.DESA, address="Jl. A", members=family())
        assert household.kk_number == kk


@pytest.mark.parametrize(("change", "error", "field"), [
    ({"kk_number": "1234"}, InvalidInput, "kk_number"),
    ({"kk_number": "9999010101010001"}, InvalidInput, "kk_number"),
    ({"members": [member(1, "anak"), member(2)]}, errors.OneHeadOnly, "members"),
    ({"members": [member(1, "kepala"), member(1, "kepala")]}, errors.OneHeadOnly, "members"),
    ({"members": [member(1, "kepala"), {**member(1), "relation": "anak"}]},
     errors.SameNikTwice, "members"),
    ({"members": [{**member(1, "kepala"), "sex": "P"}]}, InvalidInput, "members.0.sex"),
    ({"members": [member(1, "kepala", birth_date=date(1981, 4, 12))]}, InvalidInput,
     "members.0.birth_date"),
    ({"welfare_decile": 3}, InvalidInput, "welfare_decile"),
    ({"desa_code": "17.03.99.9999"}, errors.UnknownPuskesos, "desa_code"),
])
def test_bad_input_is_refused_on_its_field_and_writes_nothing(app, slrt, clerk, change, error,
                                                              field):
    with app.app_context():
        before = counts()
        actor = slrt.actor(clerk)
        arguments = {"kk_number": make_kk(KEC, 1), "desa_code": slrt.DESA, "address": "Jl. A",
                     "members": family(), **change}
        with pytest.raises(error) as refused:
            households.register_household(db.session, actor=actor, **arguments)
        assert refused.value.field == field
        db.session.rollback()
        assert counts() == before


def test_a_kk_registered_once_is_a_conflict_without_the_number_in_full(app, slrt, clerk):
    with app.app_context():
        register(slrt, clerk)
        db.session.commit()
        with pytest.raises(errors.KkTaken) as refused:
            register(slrt, clerk, members=family(10))
        assert make_kk(KEC, 1) not in str(refused.value)
        assert "Kahyapu" in str(refused.value)


def test_a_person_living_in_a_household_cannot_be_registered_in_another(app, slrt, clerk):
    with app.app_context():
        register(slrt, clerk)
        db.session.commit()
        before = counts()
        with pytest.raises(errors.PersonInAnotherHousehold) as refused:
            register(slrt, clerk, kk_serial=2, members=[member(20, "kepala"), member(3)])
        assert refused.value.field == "members.1.nik"
        assert nik(3) not in str(refused.value)
        db.session.rollback()
        assert counts() == before


def test_a_clerk_of_another_puskesos_is_refused_before_anything_is_written(app, slrt):
    other = slrt.staff("puskesos_front", slrt.OTHER_DESA, username="fo-other")
    back = slrt.staff("puskesos_back", username="bo-home")
    with app.app_context():
        before = counts()
        with pytest.raises(errors.NotYourPuskesos):
            register(slrt, other)
        with pytest.raises(PermissionDenied):
            register(slrt, back)  # the back office verifies, the front office registers
        db.session.rollback()
        assert counts() == before


def test_two_clerks_registering_one_nik_in_two_households_at_once_one_wins(app, slrt):
    first = slrt.staff("puskesos_front", username="fo-a")
    second = slrt.staff("puskesos_front", slrt.OTHER_DESA, slrt.DESA, username="fo-b")
    shared = member(50, "kepala", born=date(1980, 4, 12))

    def work(kk_serial, desa):
        def run(session, actor):
            households.register_household(
                session, actor=actor, kk_number=make_kk(KEC, kk_serial), desa_code=desa,
                address="Jl. B", members=[shared, member(kk_serial * 100)])
        return run

    results = at_once(app, [(first, work(1, slrt.DESA)), (second, work(2, slrt.OTHER_DESA))])
    assert sorted(results) == ["PersonInAnotherHousehold", "ok"]
    with app.app_context():
        assert counts() == (1, 2, 2)  # the loser's household and its second member are gone


def test_two_clerks_registering_one_kk_at_once_one_wins(app, slrt):
    first = slrt.staff("puskesos_front", username="fo-a")
    second = slrt.staff("puskesos_front", username="fo-b")

    def work(start):
        def run(session, actor):
            households.register_household(session, actor=actor, kk_number=make_kk(KEC, 1),
                                          desa_code=slrt.DESA, address="Jl. C",
                                          members=family(start))
        return run

    assert sorted(at_once(app, [(first, work(1)), (second, work(10))])) == ["KkTaken", "ok"]
    with app.app_context():
        assert counts() == (1, 3, 3)


def test_the_same_idempotency_key_registers_once(app, slrt, clerk):
    with app.app_context():
        one = register(slrt, clerk, idempotency_key="k1")
        two = register(slrt, clerk, idempotency_key="k1")
        db.session.commit()
        assert one.id == two.id
        assert counts() == (1, 3, 3)


def _ids(household):
    return [m.person_id for m in household.members]


def test_a_move_ends_one_membership_and_starts_the_next_across_puskesos(app, slrt):
    both = slrt.staff("puskesos_front", slrt.DESA, slrt.OTHER_DESA, username="fo-both")
    home_only = slrt.staff("puskesos_front", username="fo-home")
    with app.app_context():
        here = register(slrt, both)
        there = register(slrt, both, kk_serial=2, members=[member(30, "kepala")],
                         desa=slrt.OTHER_DESA)
        child = _ids(here)[2]
        with pytest.raises(errors.NotYourPuskesos):
            households.move_member(db.session, actor=slrt.actor(home_only),
                                   household_id=here.id, person_id=child,
                                   to_household_id=there.id, reason="menikah")
        moved = households.move_member(db.session, actor=slrt.actor(both),
                                       household_id=here.id, person_id=child,
                                       to_household_id=there.id, reason="menikah",
                                       relation="menantu")
        db.session.commit()
        assert moved.household_id == there.id
        assert child not in _ids(here)
        old = db.session.scalar(select(Membership).where(Membership.person_id == child,
                                                         Membership.ended_on.is_not(None)))
        assert old.end_reason == "menikah"
        assert old.household_id == here.id
        rows = db.session.scalars(select(PersonalDataAccess.household_id)
                                  .where(PersonalDataAccess.what == "member moved")).all()
        assert sorted(rows) == sorted([here.id, there.id])


def test_the_head_leaving_names_the_new_head(app, slrt, clerk):
    with app.app_context():
        household = register(slrt, clerk)
        head, wife, _ = _ids(household)
        actor = slrt.actor(clerk)
        with pytest.raises(InvalidInput) as refused:
            households.end_membership(db.session, actor=actor, household_id=household.id,
                                      person_id=head, reason="meninggal")
        assert refused.value.field == "new_head_id"
        households.end_membership(db.session, actor=actor, household_id=household.id,
                                  person_id=head, reason="meninggal", new_head_id=wife)
        db.session.commit()
        db.session.expire_all()
        household = db.session.get(Household, household.id)
        assert household.head.id == wife
        assert len(household.members) == 2


def test_ending_before_joining_or_in_the_future_is_refused(app, slrt, clerk):
    with app.app_context():
        household = register(slrt, clerk)
        child = _ids(household)[2]
        for day in (local_today() - timedelta(days=1), local_today() + timedelta(days=1)):
            with pytest.raises(InvalidInput):
                households.end_membership(db.session, actor=slrt.actor(clerk),
                                          household_id=household.id, person_id=child,
                                          reason="pindah", on=day)


def test_adding_and_correcting_members(app, slrt, clerk):
    with app.app_context():
        household = register(slrt, clerk)
        actor = slrt.actor(clerk)
        with pytest.raises(errors.OneHeadOnly):
            households.add_member(db.session, actor=actor, household_id=household.id,
                                  **member(40, "kepala"))
        baby = households.add_member(db.session, actor=actor, household_id=household.id,
                                     **{**member(41, born=local_today() - timedelta(days=30)),
                                        "is_disabled": True, "disability": "tuna rungu"})
        fixed_nik = nik(42, "M", date(2010, 1, 16))
        households.edit_member(db.session, actor=actor, household_id=household.id,
                               person_id=baby.person_id, nik=fixed_nik, name="Bayi")
        db.session.commit()
        person = db.session.get(Person, baby.person_id)
        assert (person.nik, person.name, person.birth_date) == (fixed_nik, "Bayi",
                                                                date(2010, 1, 16))
        with pytest.raises(InvalidInput):
            households.edit_member(db.session, actor=actor, household_id=household.id,
                                   person_id=baby.person_id, sex="P")
        with pytest.raises(errors.PersonInAnotherHousehold):
            households.edit_member(db.session, actor=actor, household_id=household.id,
                                   person_id=baby.person_id, nik=nik(1))


def test_register_status_by_back_office_or_front_office_not_leadership(app, slrt, clerk,
                                                                      make_user):
    back = slrt.staff("puskesos_back", username="bo-home")
    make_user(role="leadership", username="kadis")
    with app.app_context():
        household = register(slrt, clerk)
        db.session.commit()
        for who in (back, clerk):
            households.update_register_status(
                db.session, actor=slrt.actor(who), household_id=household.id,
                register="dtsen", welfare_decile=4, checked_on=local_today())
        with pytest.raises(PermissionDenied):
            households.update_register_status(
                db.session, actor=slrt.actor("kadis"), household_id=household.id,
                register=None, checked_on=local_today())
        households.update_register_status(db.session, actor=slrt.actor(back),
                                          household_id=household.id, register=None,
                                          checked_on=local_today())
        assert (household.register, household.welfare_decile) == (None, None)
        with pytest.raises(InvalidInput):
            households.update_register_status(
                db.session, actor=slrt.actor(back), household_id=household.id,
                register="dtks", checked_on=local_today() + timedelta(days=1))


def test_search_by_kk_nik_or_head_name_within_the_actors_puskesos(app, slrt, clerk):
    other = slrt.staff("puskesos_front", slrt.OTHER_DESA, username="fo-other")
    with app.app_context():
        mine = register(slrt, clerk)
        register(slrt, other, kk_serial=2, members=family(10), desa=slrt.OTHER_DESA)
        db.session.commit()
        actor = slrt.actor(clerk)
        kk = make_kk(KEC, 1)

        def found(q):
            return [h.id for h in household_queries.visible_households(db.session, actor, q=q)]

        assert found(None) == [mine.id]
        assert found(f"{kk[:4]} {kk[4:8]} {kk[8:12]} {kk[12:]}") == [mine.id]
        assert found(nik(2, "F", date(1984, 9, 3))) == [mine.id]
        assert found("warga 1") == [mine.id]
        assert found("Warga 10") == []  # lives in the other Puskesos
        assert found("100%") == []


def test_unknown_household_is_not_found(app, slrt, clerk):
    with app.app_context(), pytest.raises(DomainError) as refused:
        household_queries.household_for(db.session, slrt.actor(clerk), 999_999)
    assert isinstance(refused.value, errors.UnknownHousehold)
