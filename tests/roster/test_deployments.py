"""Check-in, check-out, ending early and cancelling a deployment; hours served. Both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from app.extensions import db
from logistics.accounts import queries as account_queries
from logistics.emergency.errors import ReasonRequired
from logistics.errors import InvalidTransition, PermissionDenied
from logistics.roster import deployments
from logistics.roster import dispatch_errors as errors
from logistics.roster.deployment_models import Deployment
from tests.roster.dispatch_factories import hours_from_now


def act(dispatching, operation, *, actor=None, **arguments) -> Deployment:
    """Run a deployment operation as the coordinator and commit; returns a detached copy."""
    actor = actor or dispatching.coordinator()
    with dispatching.app.app_context():
        user = account_queries.get_user_by_username(db.session, actor)
        deployment = operation(db.session, actor=user, **arguments)
        db.session.commit()
        db.session.refresh(deployment)
        db.session.expunge(deployment)
        return deployment


def refused(dispatching, error, operation, deployment_id, field=None, **arguments):
    before = dispatching.deployment(deployment_id)
    with pytest.raises(error) as raised:
        act(dispatching, operation, deployment_id=deployment_id, **arguments)
    assert raised.value.field == field
    after = dispatching.deployment(deployment_id)
    assert (after.status, after.checked_in_at, after.checked_out_at, after.ends_at) == (
        before.status, before.checked_in_at, before.checked_out_at, before.ends_at)
    return raised.value


def one(dispatching, period, volunteer=None) -> tuple[int, int]:
    """Dispatch one volunteer for ``period``; returns (volunteer id, deployment id)."""
    volunteer = volunteer or dispatching.volunteer()
    record = dispatching.send(period=period,
                              volunteers=[{"volunteer_id": volunteer, "role": "logistik"}])
    return volunteer, dispatching.deployment_ids(record)[0]


def test_check_in_opens_twelve_hours_before_the_start_and_happens_once(dispatching):
    _, soon = one(dispatching, hours_from_now(2, 24))
    checked = act(dispatching, deployments.check_in, deployment_id=soon)
    assert checked.status == "checked_in"
    assert abs(checked.checked_in_at - datetime.now(UTC)) < timedelta(minutes=1)
    refused(dispatching, InvalidTransition, deployments.check_in, soon)
    _, later = one(dispatching, hours_from_now(20, 24))
    error = refused(dispatching, errors.CheckInTooEarly, deployments.check_in, later, "at")
    assert error.params["earliest"] == dispatching.deployment(later).starts_at - timedelta(
        hours=12)
    refused(dispatching, errors.InFuture, deployments.check_in, later, "at",
            at=datetime.now(UTC) + timedelta(hours=9))


def test_check_in_after_the_deployment_ended_is_refused(app, dispatching):
    _, deployment_id = one(dispatching, hours_from_now(-6, 8))
    with app.app_context():
        db.session.execute(update(Deployment).where(Deployment.id == deployment_id).values(
            ends_at=datetime.now(UTC) - timedelta(hours=1)))
        db.session.commit()
    refused(dispatching, errors.CheckInAfterEnd, deployments.check_in, deployment_id, "at")


def test_check_out_before_check_in_is_refused_on_the_field(dispatching):
    _, deployment_id = one(dispatching, hours_from_now(-6, 24))
    arrived = datetime.now(UTC) - timedelta(hours=2)
    act(dispatching, deployments.check_in, deployment_id=deployment_id, at=arrived)
    error = refused(dispatching, errors.LeftBeforeCheckIn, deployments.check_out,
                    deployment_id, "at", at=arrived - timedelta(minutes=1))
    assert error.params["checked_in"] == arrived


def test_checking_out_early_frees_the_rest_of_the_period(dispatching):
    period = hours_from_now(-6, 24)
    volunteer, deployment_id = one(dispatching, period)
    refused(dispatching, InvalidTransition, deployments.check_out, deployment_id)
    act(dispatching, deployments.check_in, deployment_id=deployment_id,
        at=period[0] - timedelta(minutes=30))
    left = datetime.now(UTC) - timedelta(minutes=10)
    out = act(dispatching, deployments.check_out, deployment_id=deployment_id, at=left)
    assert (out.status, out.checked_out_at, out.ends_at) == ("ended", left, left)
    one(dispatching, hours_from_now(0, 6), volunteer)  # free again from the moment they left
    with pytest.raises(errors.VolunteerAlreadyDeployed):
        one(dispatching, (left - timedelta(minutes=5), left + timedelta(hours=1)), volunteer)


def test_ending_early_needs_a_reason_and_frees_the_volunteer(dispatching):
    period = hours_from_now(-3, 48)
    volunteer, deployment_id = one(dispatching, period)
    refused(dispatching, InvalidTransition, deployments.end_early, deployment_id,
            reason="Posko ditutup")  # not checked in: cancel instead
    act(dispatching, deployments.check_in, deployment_id=deployment_id, at=period[0])
    refused(dispatching, ReasonRequired, deployments.end_early, deployment_id, "reason",
            reason="  ")
    ended = act(dispatching, deployments.end_early, deployment_id=deployment_id,
                reason="Sakit demam")
    assert (ended.status, ended.ended_reason) == ("ended", "Sakit demam")
    assert ended.ends_at == ended.checked_out_at < period[1]
    one(dispatching, hours_from_now(1, 24), volunteer)


def test_cancelling_before_check_in_frees_the_whole_period(dispatching):
    period = hours_from_now(4, 24)
    volunteer, deployment_id = one(dispatching, period)
    refused(dispatching, ReasonRequired, deployments.cancel, deployment_id, "reason",
            reason="")
    cancelled = act(dispatching, deployments.cancel, deployment_id=deployment_id,
                    reason="Dipindah ke posko lain")
    assert cancelled.status == "cancelled"
    refused(dispatching, InvalidTransition, deployments.check_in, deployment_id)
    _, again = one(dispatching, period, volunteer)  # the same period, now free
    act(dispatching, deployments.check_in, deployment_id=again)  # early, within the slack
    refused(dispatching, InvalidTransition, deployments.cancel, again, reason="Terlambat")


def test_only_who_may_dispatch_checks_in_or_out(dispatching):
    _, deployment_id = one(dispatching, hours_from_now(0, 24))
    staff = dispatching.coordinator("petugas", role="posko_staff")
    for operation in (deployments.check_in, deployments.check_out, deployments.cancel):
        refused(dispatching, PermissionDenied, operation, deployment_id, actor=staff,
                **({"reason": "x"} if operation is deployments.cancel else {}))
    with pytest.raises(errors.UnknownDeployment):
        act(dispatching, deployments.check_in, deployment_id=999_999)


def test_hours_served_per_person_and_per_event(app, dispatching):
    now = datetime.now(UTC)
    budi, siti, andi = (dispatching.volunteer("Budi"), dispatching.volunteer("Siti"),
                        dispatching.volunteer("Andi"))
    period = hours_from_now(-12, 24)
    _, served = one(dispatching, period, budi)
    act(dispatching, deployments.check_in, deployment_id=served, at=period[0])
    act(dispatching, deployments.check_out, deployment_id=served,
        at=period[0] + timedelta(hours=5, minutes=30))
    _, staying = one(dispatching, period, siti)
    act(dispatching, deployments.check_in, deployment_id=staying, at=period[0])
    one(dispatching, period, andi)  # never checked in: no hours
    other_posko = dispatching.posko(name="Dapur Umum Lapangan", kind="dapur_umum")
    later = dispatching.send(posko_id=other_posko, period=hours_from_now(-1, 10), volunteers=[
        {"volunteer_id": budi, "role": "dapur umum"}])
    act(dispatching, deployments.check_in, deployment_id=dispatching.deployment_ids(later)[0],
        at=now - timedelta(hours=1))
    with app.app_context():
        first_event = db.session.get(Deployment, served).event_id
        people = deployments.hours_per_person(db.session, event_id=first_event, now=now)
        everywhere = deployments.hours_per_person(db.session, now=now)
        per_event = deployments.hours_per_event(db.session, now=now)
        budi_events = deployments.hours_per_event(db.session, volunteer_id=budi, now=now)
    siti_hours = round((now - period[0]).total_seconds() / 3600, 2)
    assert [(row.name, row.deployments, row.hours) for row in people] == sorted(
        [("Budi", 1, 5.5), ("Siti", 1, siti_hours)], key=lambda row: -row[2])
    assert {(row.name, row.deployments, row.hours) for row in everywhere} == {
        ("Budi", 2, 6.5), ("Siti", 1, siti_hours)}
    assert [(row.volunteers, row.hours) for row in per_event] == [
        (1, 1.0), (2, round(5.5 + siti_hours, 2))]
    assert [row.hours for row in budi_events] == [1.0, 5.5]
