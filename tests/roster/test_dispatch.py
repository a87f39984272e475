"""Dispatching volunteers, a regu and equipment to a posko: every rule, on both databases.

Each refusal names its field and leaves nothing behind (no dispatch, deployment, message or
number taken), also when the line at fault is the 17th of 30.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from logistics.accounts import queries as account_queries
from logistics.calendar import local_today
from logistics.emergency import errors as emergency_errors
from logistics.emergency import events
from logistics.emergency.models import Posko
from logistics.errors import IdempotencyKeyReused, PermissionDenied
from logistics.roster import dispatch_errors as errors
from logistics.roster.deployment_models import Deployment, Dispatch
from logistics.roster.dispatch import LEADER_ROLE, MEMBER_ROLE
from tests.roster.dispatch_factories import hours_from_now, local_days


def line(volunteer_id, role="dapur umum", **extra):
    return {"volunteer_id": volunteer_id, "role": role, **extra}


def boat(equipment_id, role="evakuasi"):
    return {"equipment_id": equipment_id, "role": role}


def refused(dispatching, error, field, **arguments):
    """Dispatch, expect ``error`` on ``field``, and check that nothing was written."""
    before = dispatching.counts()
    with pytest.raises(error) as raised:
        dispatching.send(**arguments)
    assert raised.value.field == field
    assert dispatching.counts() == before
    return raised.value


def test_a_dispatch_is_numbered_and_deploys_each_person_and_item_to_the_posko(
        app, dispatching):
    posko_id = dispatching.posko()
    budi, siti = dispatching.volunteer("Budi"), dispatching.volunteer("Siti")
    perahu = dispatching.equipment("Perahu karet 1")
    period = hours_from_now(2, 48)
    first = dispatching.send(period=period, volunteers=[line(budi), line(siti, "psikososial")],
                             equipment=[boat(perahu)], report_to="Pak Rahmat")
    second = dispatching.send(volunteers=[line(dispatching.volunteer())],
                              period=hours_from_now(0, 4))
    year = local_today().year
    assert dispatching.number(first) == f"DSP-{year}-00001"
    assert dispatching.number(second) == f"DSP-{year}-00002"
    with app.app_context():
        record = db.session.get(Dispatch, first)
        assert (record.posko_id, record.report_to) == (posko_id, "Pak Rahmat")
        assert [(d.volunteer_id, d.equipment_id, d.role, d.status, d.starts_at, d.ends_at,
                 d.posko_id, d.event_id) for d in record.deployments] == [
            (budi, None, "dapur umum", "dispatched", *period, posko_id, record.event_id),
            (siti, None, "psikososial", "dispatched", *period, posko_id, record.event_id),
            (None, perahu, "evakuasi", "dispatched", *period, posko_id, record.event_id)]
    assert dispatching.counts() == (2, 4, 3)  # a message per volunteer, none for the boat


def test_only_who_may_dispatch_can(dispatching):
    staff = dispatching.coordinator("petugas-posko", role="posko_staff")
    refused(dispatching, PermissionDenied, None, actor=staff,
            volunteers=[line(dispatching.volunteer())])


def test_a_posko_closed_before_the_period_or_an_ended_event_is_refused(app, dispatching):
    today = local_today()
    event_id = dispatching.emergency.event(status="tanggap_darurat")
    posko_id = dispatching.emergency.posko(event_id, opened_on=today - timedelta(days=2))
    volunteer = dispatching.volunteer()
    with app.app_context():
        actor = account_queries.get_user_by_username(db.session, "emergency-admin")
        events.change_posko(db.session, actor=actor, posko_id=posko_id,
                            closed_on=today - timedelta(days=1))
        db.session.commit()
    refused(dispatching, emergency_errors.PoskoClosed, "posko_id", posko_id=posko_id,
            volunteers=[line(volunteer)])
    other = dispatching.posko(name="Posko Lapangan")
    with app.app_context():
        actor = account_queries.get_user_by_username(db.session, "emergency-admin")
        events.change_event(db.session, actor=actor,
                            event_id=db.session.get(Posko, other).event_id,
                            ended_on=today - timedelta(days=1))
        db.session.commit()
    refused(dispatching, emergency_errors.EventEnded, "posko_id", posko_id=other,
            volunteers=[line(volunteer)])
    refused(dispatching, emergency_errors.UnknownPosko, "posko_id", posko_id=999_999,
            volunteers=[line(volunteer)])


@pytest.mark.parametrize("status", ["inactive", "suspended"])
def test_an_inactive_or_suspended_volunteer_is_refused_on_their_line(dispatching, status):
    ready, away = dispatching.volunteer(), dispatching.volunteer("Andi", status=status)
    error = refused(dispatching, errors.VolunteerNotActive, "volunteers.1.volunteer_id",
                    volunteers=[line(ready), line(away)])
    assert error.params["name"] == "Andi"


def test_a_volunteer_unavailable_on_a_day_of_the_period_is_refused(dispatching):
    starts_at, ends_at = hours_from_now(24, 48)
    first_day, last_day = local_days((starts_at, ends_at))
    sick, busy_before, free = (dispatching.volunteer("Sakit"), dispatching.volunteer(),
                               dispatching.volunteer())
    dispatching.unavailable(sick, last_day, last_day + timedelta(days=3))
    dispatching.unavailable(busy_before, first_day - timedelta(days=5),
                            first_day - timedelta(days=1))  # ends the day before: free
    error = refused(dispatching, errors.VolunteerUnavailable, "volunteers.2.volunteer_id",
                    period=(starts_at, ends_at),
                    volunteers=[line(free), line(busy_before), line(sick)])
    assert (error.params["starts_on"], error.params["ends_on"]) == (
        last_day, last_day + timedelta(days=3))
    dispatching.send(period=(starts_at, ends_at), volunteers=[line(free), line(busy_before)])


def test_equipment_that_is_not_ready_is_refused(dispatching):
    ready, broken = dispatching.equipment(), dispatching.equipment("Genset", kind="genset",
                                                                    status="maintenance")
    refused(dispatching, errors.EquipmentNotReady, "equipment.1.equipment_id",
            equipment=[boat(ready), boat(broken, "listrik")])


def test_the_same_volunteer_or_item_twice_in_one_dispatch_is_refused_on_the_later_line(
        dispatching):
    budi, siti, perahu = dispatching.volunteer("Budi"), dispatching.volunteer(), \
        dispatching.equipment()
    error = refused(dispatching, errors.VolunteerNamedTwice, "volunteers.2.volunteer_id",
                    volunteers=[line(budi), line(siti), line(budi, "logistik")])
    assert error.params["position"] == 1
    refused(dispatching, errors.EquipmentNamedTwice, "equipment.1.equipment_id",
            equipment=[boat(perahu), boat(perahu)])


def test_unknown_volunteer_item_or_skill_and_an_empty_dispatch_are_refused(dispatching):
    volunteer = dispatching.volunteer()
    refused(dispatching, errors.UnknownVolunteer, "volunteers.1.volunteer_id",
            volunteers=[line(volunteer), line(999_999)])
    refused(dispatching, errors.UnknownEquipment, "equipment.0.equipment_id",
            equipment=[boat(999_999)])
    refused(dispatching, errors.UnknownSkill, "volunteers.0.skill_code",
            volunteers=[line(volunteer, skill_code="menyelam")])
    refused(dispatching, errors.NothingToDispatch, "volunteers")
    dispatching.send(volunteers=[line(volunteer, skill_code=dispatching.skill())])


def test_a_period_backwards_already_over_or_too_long_is_refused(dispatching):
    volunteer = [line(dispatching.volunteer())]
    starts_at, ends_at = hours_from_now(0, 24)
    refused(dispatching, errors.PeriodBackwards, "ends_at", period=(ends_at, starts_at),
            volunteers=volunteer)
    refused(dispatching, errors.PeriodOver, "ends_at", period=hours_from_now(-30, 20),
            volunteers=volunteer)
    refused(dispatching, errors.PeriodTooLong, "ends_at", period=hours_from_now(0, 61 * 24),
            volunteers=volunteer)


def test_overlapping_a_live_deployment_is_a_409_naming_it(dispatching):
    budi, perahu = dispatching.volunteer("Budi"), dispatching.equipment("Perahu karet 7")
    first_period = hours_from_now(0, 24)
    first = dispatching.send(period=first_period, volunteers=[line(budi)],
                             equipment=[boat(perahu)])
    clash = refused(dispatching, errors.VolunteerAlreadyDeployed, "volunteers.1.volunteer_id",
                    period=hours_from_now(20, 24),
                    volunteers=[line(dispatching.volunteer()), line(budi)])
    assert clash.params == {
        "name": "Budi", "posko": "Balai Desa", "number": dispatching.number(first),
        "starts": first_period[0], "ends": first_period[1],
        "deployment_id": dispatching.deployment_ids(first)[0]}
    clash = refused(dispatching, errors.EquipmentAlreadyDeployed, "equipment.0.equipment_id",
                    period=hours_from_now(-1, 3), equipment=[boat(perahu)])
    assert (clash.params["item"], clash.params["number"]) == (
        "Perahu karet 7", dispatching.number(first))


def test_a_period_touching_another_end_to_start_does_not_clash(dispatching):
    budi = dispatching.volunteer()
    dispatching.send(period=hours_from_now(0, 12), volunteers=[line(budi)])
    dispatching.send(period=hours_from_now(12, 12), volunteers=[line(budi)])
    dispatching.send(period=hours_from_now(-1, 1), volunteers=[line(budi)])
    assert dispatching.counts()[1] == 3


def test_thirty_volunteers_of_which_the_seventeenth_clashes_write_nothing(dispatching):
    crew = dispatching.volunteers(30)
    dispatching.send(period=hours_from_now(0, 24), volunteers=[line(crew[16])])
    before = dispatching.counts()
    refused(dispatching, errors.VolunteerAlreadyDeployed, "volunteers.16.volunteer_id",
            period=hours_from_now(6, 24), volunteers=[line(member) for member in crew])
    assert dispatching.counts() == before
    # The number it would have taken is still free: the next dispatch gets it.
    later = dispatching.send(period=hours_from_now(30, 24),
                             volunteers=[line(member) for member in crew])
    assert dispatching.number(later).endswith("-00002")
    assert dispatching.counts()[1:] == (31, 31)


def test_a_retry_with_the_same_key_returns_the_same_dispatch(dispatching):
    crew = [line(member) for member in dispatching.volunteers(3)]
    period = hours_from_now(0, 24)
    first = dispatching.send(period=period, volunteers=crew, idempotency_key="dsp-1")
    again = dispatching.send(period=period, volunteers=crew, idempotency_key="dsp-1")
    assert again == first
    assert dispatching.counts() == (1, 3, 3)
    refused(dispatching, IdempotencyKeyReused, None, period=hours_from_now(1, 24),
            volunteers=crew, idempotency_key="dsp-1")


def test_a_regu_is_sent_as_its_members_leader_first(app, dispatching):
    leader, member, other = dispatching.volunteers(3)
    team = dispatching.team("Regu Air Napal", [other, leader, member], leader=leader)
    solo = dispatching.volunteer()
    record = dispatching.send(volunteers=[line(solo)], team_id=team)
    with app.app_context():
        rows = db.session.execute(select(Deployment.volunteer_id, Deployment.team_id,
                                         Deployment.role)
                                  .where(Deployment.dispatch_id == record)
                                  .order_by(Deployment.id)).all()
    assert rows == [(solo, None, "dapur umum"), (leader, team, LEADER_ROLE),
                    (member, team, MEMBER_ROLE), (other, team, MEMBER_ROLE)]
    refused(dispatching, errors.VolunteerAlreadyDeployed, "team_id", team_id=team,
            team_role="evakuasi")


def test_a_regu_member_named_by_hand_too_or_unable_to_go_refuses_the_regu(dispatching):
    leader, member = dispatching.volunteers(2)
    team = dispatching.team("Regu Lais", [leader, member], leader=leader)
    error = refused(dispatching, errors.VolunteerInTeam, "volunteers.0.volunteer_id",
                    volunteers=[line(member)], team_id=team)
    assert error.params["team"] == "Regu Lais"
    suspended = dispatching.volunteer("Dedi", status="suspended")
    team = dispatching.team("Regu Ketahun", [suspended])
    error = refused(dispatching, errors.VolunteerNotActive, "team_id", team_id=team)
    assert error.params["name"] == "Dedi"
    refused(dispatching, errors.TeamEmpty, "team_id", team_id=dispatching.team("Regu Kosong",
                                                                               []))
    refused(dispatching, errors.UnknownTeam, "team_id", team_id=999_999)


def test_every_problem_is_carried_and_the_first_one_raised(dispatching):
    inactive = dispatching.volunteer(status="inactive")
    broken = dispatching.equipment(status="retired")
    error = refused(dispatching, errors.VolunteerNotActive, "volunteers.0.volunteer_id",
                    volunteers=[line(inactive), line(999_999)], equipment=[boat(broken)])
    assert [problem.field for problem in error.problems] == [
        "volunteers.0.volunteer_id", "volunteers.1.volunteer_id", "equipment.0.equipment_id"]


def test_the_clash_reads_in_indonesian_with_wib_times(app, dispatching):
    from app.i18n import translate_error

    budi = dispatching.volunteer("Budi")
    first = dispatching.send(period=hours_from_now(0, 24), volunteers=[line(budi)])
    with pytest.raises(errors.VolunteerAlreadyDeployed) as raised:
        dispatching.send(period=hours_from_now(1, 2), volunteers=[line(budi)])
    with app.test_request_context("/"):
        text = translate_error(raised.value)
    assert text.startswith(f"Budi sudah ditugaskan ke Balai Desa dengan "
                           f"{dispatching.number(first)}, dari ")
    assert text.count("WIB") == 2

