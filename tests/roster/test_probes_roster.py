"""Attack probes on the roster (issue 18): what a coordinator relies on, tried the way a user
would get it wrong. NIK and record rules, duplicate NIA variants, phones, home points,
double booking, check-in/out order, hours served, two coordinators at once. Both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from logistics.accounts import queries as account_queries
from logistics.calendar import local_today
from logistics.core.identity import make_nik
from logistics.errors import Conflict, DomainError, InvalidInput, InvalidTransition
from logistics.roster import deployments, promotions, rules, teams, volunteers
from logistics.roster import dispatch_errors as errors
from logistics.roster.models import Volunteer
from tests.concurrency import at_once
from tests.roster.dispatch_factories import hours_from_now, local_days

TODAY = local_today()


def run(roster, operation, **arguments):
    """The operation as the coordinator, committed; the result's id (or the result)."""
    roster.coordinator()
    with roster.app.app_context():
        result = operation(db.session, actor=roster.actor(), **arguments)
        db.session.commit()
        return getattr(result, "id", result)


def refused(roster, error, operation, **arguments) -> DomainError:
    before = volunteer_count(roster)
    with pytest.raises(error) as raised:
        run(roster, operation, **arguments)
    with roster.app.app_context():
        db.session.rollback()
    assert volunteer_count(roster) == before
    return raised.value


def volunteer_count(roster) -> int:
    with roster.app.app_context():
        return db.session.scalar(select(func.count(Volunteer.id)))


def loaded(roster, volunteer_id) -> Volunteer:
    with roster.app.app_context():
        volunteer = db.session.get(Volunteer, volunteer_id)
        db.session.expunge(volunteer)
        return volunteer


# --- NIK and the record --------------------------------------------------------------------

@pytest.mark.parametrize(("nik", "why"), [
    ("170301120490001", "15 digits"),
    ("17030112049000123", "17 digits"),
    ("1799011204900012", "17.99.01 is no kecamatan"),
    ("1703001204900012", "a kabupaten code, not a kecamatan"),
    ("1703013204900012", "day 32 (a man) is no date"),
    ("1703017204900012", "day 72 (a woman, 32) is no date"),
    ("1703011213900012", "month 13"),
    ("1703011204900000", "serial 0000"),
    ("17030112O4900012", "a letter O typed for a zero"),
])
def test_a_bad_nik_is_refused_on_the_nik_field_and_nothing_written(roster, nik, why):
    fields = roster.volunteer_fields(nik=nik, sex=None, birth_date=None)
    error = refused(roster, InvalidInput, volunteers.register_volunteer, **fields)
    assert error.field == "nik", why


def test_a_woman_nik_gives_day_plus_40_and_a_man_sex_contradicts_it(roster):
    born = date(1992, 3, 9)
    nik = make_nik(roster.KECAMATAN, born, "F", 77)
    assert nik[6:8] == "49"
    woman = run(roster, volunteers.register_volunteer,
                **roster.volunteer_fields(nik=nik, sex=None, birth_date=None))
    assert (loaded(roster, woman).sex, loaded(roster, woman).birth_date) == ("F", born)
    other = make_nik(roster.KECAMATAN, born, "F", 78)
    error = refused(roster, InvalidInput, volunteers.register_volunteer,
                    **roster.volunteer_fields(nik=other, sex="M", birth_date=None))
    assert error.field == "sex"
    error = refused(roster, InvalidInput, volunteers.register_volunteer,
                    **roster.volunteer_fields(nik=other, sex="F", birth_date=date(1992, 3, 10)))
    assert error.field == "birth_date"


def test_correcting_the_birth_date_alone_is_checked_against_the_nik(roster):
    person = roster.volunteer()
    with pytest.raises(InvalidInput) as raised:
        run(roster, volunteers.change_volunteer, volunteer_id=person,
            birth_date=date(1990, 4, 13))
    assert raised.value.field == "birth_date"
    assert loaded(roster, person).birth_date == date(1990, 4, 12)


@pytest.mark.parametrize(("years", "flagged"), [(17, True), (18, False), (45, False),
                                                (46, True)])
def test_a_new_tagana_outside_18_to_45_is_stored_and_flagged(roster, years, flagged):
    born = TODAY.replace(year=TODAY.year - years, day=1) - timedelta(days=1)
    person = run(roster, volunteers.register_volunteer, **roster.volunteer_fields(
        birth_date=born, joined_on=TODAY))
    with roster.app.app_context():
        volunteer = db.session.get(Volunteer, person)
        assert rules.age_on(volunteer.birth_date, TODAY) == years
        assert (rules.AGE_OUTSIDE_RECRUITMENT in rules.flags_of(volunteer)) is flagged


@pytest.mark.parametrize("variant", ["tgn-1703-0777", " TGN-1703-0777 ", "TGN-1703-0777\t",
                                     "tgn-1703-0777\u00a0"])
def test_a_duplicate_nia_in_another_case_or_spacing_is_refused(roster, variant):
    run(roster, volunteers.register_volunteer, **roster.volunteer_fields(nia="TGN-1703-0777"))
    error = refused(roster, Conflict, volunteers.register_volunteer,
                    **roster.volunteer_fields(nia=variant))
    assert error.field == "nia"
    other = roster.volunteer()
    with pytest.raises(Conflict):
        run(roster, volunteers.change_volunteer, volunteer_id=other, nia=variant)
    sahabat = roster.volunteer(kind="sahabat_tagana")
    with pytest.raises(Conflict):
        run(roster, promotions.promote, volunteer_id=sahabat, nia=variant)
    assert loaded(roster, sahabat).kind == "sahabat_tagana"


@pytest.mark.parametrize("typed", ["0812-3456-7890", "0812 3456 7890", "+62 812 3456 7890",
                                   "62 812-3456-7890", "+62 (0)812 3456 7890", "812 3456 7890",
                                   "(0812) 3456 7890", "0062 812 3456 7890"])
def test_a_phone_as_people_write_it_is_stored_plus_62(roster, typed):
    person = run(roster, volunteers.register_volunteer, **roster.volunteer_fields(phone=typed))
    assert loaded(roster, person).phone == "+6281234567890"


@pytest.mark.parametrize("typed", ["021-555-1234", "0812", "+1 812 3456 7890",
                                   "0812345678901234"])
def test_a_phone_that_is_no_indonesian_mobile_is_refused(roster, typed):
    error = refused(roster, InvalidInput, volunteers.register_volunteer,
                    **roster.volunteer_fields(phone=typed))
    assert error.field == "phone"


def test_a_home_point_outside_the_desa_is_refused_on_create_and_on_change(roster):
    fields = roster.volunteer_fields(home_lon=102.15, home_lat=-3.45)  # in OTHER_DESA
    error = refused(roster, InvalidInput, volunteers.register_volunteer, **fields)
    assert error.field == "home_lat"
    person = run(roster, volunteers.register_volunteer,
                 **roster.volunteer_fields(home_lon=102.05, home_lat=-3.45))
    with pytest.raises(InvalidInput):
        run(roster, volunteers.change_volunteer, volunteer_id=person,
            home_desa_code=roster.OTHER_DESA)
    assert loaded(roster, person).home_desa_code == roster.DESA


# --- double booking ------------------------------------------------------------------------

def line(volunteer_id, role="dapur umum"):
    return {"volunteer_id": volunteer_id, "role": role}


def test_touching_periods_pass_and_overlapping_ones_are_refused_naming_the_clash(dispatching):
    budi, boat = dispatching.volunteer("Budi"), dispatching.equipment("Perahu 1")
    first = dispatching.send(period=hours_from_now(0, 24), volunteers=[line(budi)],
                             equipment=[{"equipment_id": boat, "role": "evakuasi"}])
    dispatching.send(period=hours_from_now(24, 24), volunteers=[line(budi)],
                     equipment=[{"equipment_id": boat, "role": "evakuasi"}])
    before = dispatching.counts()
    with pytest.raises(errors.VolunteerAlreadyDeployed) as raised:
        dispatching.send(period=hours_from_now(23, 2), volunteers=[line(budi)])
    assert raised.value.params["number"] == dispatching.number(first)
    with pytest.raises(errors.EquipmentAlreadyDeployed):
        dispatching.send(period=hours_from_now(-0.5, 1),
                         equipment=[{"equipment_id": boat, "role": "evakuasi"}])
    assert dispatching.counts() == before


@pytest.mark.parametrize("how", ["twice by hand", "by hand and in the regu"])
def test_one_volunteer_twice_in_one_dispatch_is_refused(dispatching, how):
    budi, siti = dispatching.volunteer("Budi"), dispatching.volunteer("Siti")
    arguments = {"volunteers": [line(budi), line(siti), line(budi, "logistik")]}
    if how != "twice by hand":
        team = dispatching.team("Regu Mawar", [budi, siti], leader=siti)
        arguments = {"volunteers": [line(budi)], "team_id": team}
    with pytest.raises(InvalidInput):
        dispatching.send(**arguments)
    assert dispatching.counts() == (0, 0, 0)


@pytest.mark.parametrize("status", ["inactive", "suspended"])
def test_a_volunteer_not_active_or_away_is_not_dispatched(dispatching, status):
    idle, away = dispatching.volunteer(status=status), dispatching.volunteer()
    starts, ends = hours_from_now(0, 24)
    first_day, _ = local_days((starts, ends))
    dispatching.unavailable(away, first_day, first_day)
    for person in (idle, away):
        with pytest.raises(InvalidInput) as raised:
            dispatching.send(period=(starts, ends), volunteers=[line(person)])
        assert raised.value.field == "volunteers.0.volunteer_id"
    boat = dispatching.equipment(status="maintenance")
    with pytest.raises(errors.EquipmentNotReady):
        dispatching.send(equipment=[{"equipment_id": boat, "role": "evakuasi"}])
    assert dispatching.counts() == (0, 0, 0)


# --- check-in, check-out, end --------------------------------------------------------------

def act(dispatching, operation, **arguments):
    with dispatching.app.app_context():
        user = account_queries.get_user_by_username(db.session, dispatching.coordinator())
        deployment = operation(db.session, actor=user, **arguments)
        db.session.commit()
        return deployment.id


def sent(dispatching, period, volunteer):
    record = dispatching.send(period=period, volunteers=[line(volunteer)])
    return dispatching.deployment_ids(record)[0]


def test_out_before_in_twice_in_and_ending_an_ended_deployment_are_refused(dispatching):
    now = datetime.now(UTC)
    deployment = sent(dispatching, (now - timedelta(hours=3), now + timedelta(hours=20)),
                      dispatching.volunteer())
    with pytest.raises(errors.NotCheckedIn):
        act(dispatching, deployments.check_out, deployment_id=deployment)
    act(dispatching, deployments.check_in, deployment_id=deployment,
        at=now - timedelta(hours=2))
    with pytest.raises(InvalidTransition):
        act(dispatching, deployments.check_in, deployment_id=deployment)
    with pytest.raises(errors.LeftBeforeCheckIn):
        act(dispatching, deployments.check_out, deployment_id=deployment,
            at=now - timedelta(hours=2, minutes=1))
    act(dispatching, deployments.end_early, deployment_id=deployment, reason="sakit")
    for operation, extra in ((deployments.end_early, {"reason": "lagi"}),
                             (deployments.check_out, {}),
                             (deployments.cancel, {"reason": "batal"})):
        with pytest.raises(InvalidTransition):
            act(dispatching, operation, deployment_id=deployment, **extra)
    assert dispatching.deployment(deployment).ended_reason == "sakit"


def test_leaving_before_the_planned_start_frees_the_whole_period(dispatching):
    """Checked in the evening before (the slack allows it) and sent home before the start:
    the volunteer is not booked for the period they will not serve."""
    now = datetime.now(UTC)
    budi = dispatching.volunteer("Budi")
    deployment = sent(dispatching, (now + timedelta(hours=2), now + timedelta(hours=26)), budi)
    act(dispatching, deployments.check_in, deployment_id=deployment,
        at=now - timedelta(minutes=30))
    act(dispatching, deployments.check_out, deployment_id=deployment)
    dispatching.send(period=(now + timedelta(hours=3), now + timedelta(hours=10)),
                     volunteers=[line(budi)], posko_id=dispatching.posko(name="Posko Dua"))
    left = dispatching.deployment(deployment)
    assert left.starts_at == left.checked_in_at  # booked for the time really served
    assert left.ends_at == left.checked_out_at


def test_a_stay_before_the_start_cannot_overlap_a_no_show_still_booked(dispatching):
    """Booked at posko A until an hour from now but never came; checked in early at B and
    sent home: the short stay overlaps A's booking, so the coordinator is told to settle A
    first, and nothing changes."""
    now = datetime.now(UTC)
    budi = dispatching.volunteer("Budi")
    sent(dispatching, (now - timedelta(hours=2), now + timedelta(hours=1)), budi)
    later = dispatching.send(period=(now + timedelta(hours=2), now + timedelta(hours=26)),
                             volunteers=[line(budi)], posko_id=dispatching.posko(name="B"))
    later = dispatching.deployment_ids(later)[0]
    act(dispatching, deployments.check_in, deployment_id=later, at=now - timedelta(minutes=30))
    with pytest.raises(Conflict) as refused:
        act(dispatching, deployments.check_out, deployment_id=later)
    assert "DSP-" in str(refused.value.params.get("number", ""))
    assert dispatching.deployment(later).status == "checked_in"


def test_a_volunteer_is_not_checked_in_at_a_second_posko_while_still_at_the_first(dispatching):
    """Moved from posko A to posko B: checking in at B while A's stay is open would count
    the same hours twice in hours served."""
    now = datetime.now(UTC)
    budi = dispatching.volunteer("Budi")
    here = sent(dispatching, (now - timedelta(hours=20), now + timedelta(hours=1)), budi)
    there = dispatching.send(period=(now + timedelta(hours=1), now + timedelta(hours=20)),
                             volunteers=[line(budi)], posko_id=dispatching.posko(name="Dua"))
    there = dispatching.deployment_ids(there)[0]
    act(dispatching, deployments.check_in, deployment_id=here, at=now - timedelta(hours=20))
    with pytest.raises(Conflict):
        act(dispatching, deployments.check_in, deployment_id=there)
    with dispatching.app.app_context():
        hours = deployments.hours_per_person(db.session, now=now + timedelta(hours=1))
    assert [row.hours for row in hours] == [21.0]


# --- two coordinators at once --------------------------------------------------------------

def test_two_coordinators_check_in_and_promote_at_once_do_it_once(app, roster, dispatching):
    first, second = roster.coordinator("koor-a"), roster.coordinator("koor-b")
    now = datetime.now(UTC)
    deployment = sent(dispatching, (now - timedelta(hours=1), now + timedelta(hours=5)),
                      dispatching.volunteer())
    results = at_once(app, [(user, lambda s, actor: deployments.check_in(
        s, actor=actor, deployment_id=deployment)) for user in (first, second)])
    assert sorted(results) == ["InvalidTransition", "ok"]
    sahabat = roster.volunteer(kind="sahabat_tagana")
    results = at_once(app, [(user, lambda s, actor, nia=nia: promotions.promote(
        s, actor=actor, volunteer_id=sahabat, nia=nia))
        for user, nia in ((first, "TGN-9-0001"), (second, "TGN-9-0002"))])
    assert sorted(results) in (["AlreadyTagana", "ok"], ["InvalidTransition", "ok"])
    with app.app_context():
        volunteer = db.session.get(Volunteer, sahabat)
        assert len(volunteer.promotions) == 1
        assert volunteer.nia == volunteer.promotions[0].nia


def test_two_coordinators_give_one_nia_to_two_people_at_once_one_wins(app, roster):
    first, second = roster.coordinator("koor-a"), roster.coordinator("koor-b")
    people = [roster.volunteer(kind="sahabat_tagana") for _ in range(2)]
    results = at_once(app, [(user, lambda s, actor, who=who: promotions.promote(
        s, actor=actor, volunteer_id=who, nia=" tgn 9 0003 "))
        for user, who in ((first, people[0]), (second, people[1]))])
    assert sorted(results) == ["DuplicateNia", "ok"]


def test_two_coordinators_put_one_volunteer_in_two_regu_at_once_one_wins(app, roster):
    first, second = roster.coordinator("koor-a"), roster.coordinator("koor-b")
    leaders = [roster.volunteer() for _ in range(2)]
    budi = roster.volunteer()
    team_ids = [run(roster, teams.create_team, name=f"Regu {n}", leader_id=leader)
                for n, leader in enumerate(leaders)]
    results = at_once(app, [(user, lambda s, actor, team=team: teams.add_member(
        s, actor=actor, team_id=team, volunteer_id=budi))
        for user, team in zip((first, second), team_ids, strict=True)])
    assert sorted(results) == ["AlreadyInTeam", "ok"]


def test_two_regu_named_alike_but_for_case_at_once_make_one(app, roster, db_backend):
    # On SQLite writers take turns (BEGIN IMMEDIATE), so there the operation's own check
    # refuses the second; on PostgreSQL the folded unique index referees the race.
    first, second = roster.coordinator("koor-a"), roster.coordinator("koor-b")
    leaders = [roster.volunteer() for _ in range(2)]
    results = at_once(app, [(user, lambda s, actor, name=name, leader=leader: teams.create_team(
        s, actor=actor, name=name, leader_id=leader))
        for user, name, leader in zip((first, second), ("Regu Melati", "regu melati"),
                                      leaders, strict=True)])
    assert sorted(results) == ["DuplicateTeamName", "ok"]
