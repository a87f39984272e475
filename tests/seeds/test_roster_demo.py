"""The roster demo a coordinator meets after `make run`: Tagana and Sahabat Tagana in every
kecamatan, Enggano's own on the island, real homes, valid NIKs, certificates about to run out,
and people and boats at the flood's posko, never booked twice."""

from collections import Counter
from datetime import UTC, datetime

from shapely.geometry import Point
from sqlalchemy import func, select

from logistics.calendar import local_today
from logistics.core.identity import parse_nik
from logistics.emergency.models import Posko
from logistics.regions.models import Level, Region
from logistics.roster import availability, deployments, promotions, trainings
from logistics.roster.deployment_models import (
    Deployment,
    DeploymentStatus,
    Equipment,
    EquipmentKind,
    OutgoingMessage,
)
from logistics.roster.models import (
    Promotion,
    Team,
    TeamMember,
    Volunteer,
    VolunteerKind,
    VolunteerStatus,
)
from seeds import demo
from seeds.roster_demo import ENGGANO
from tests.accounts.factories import TEST_PASSWORD


def test_seed_demo_puts_volunteers_in_every_kecamatan_at_home_with_valid_papers(
        runner, session):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "Roster: 60 Tagana (8 Legiun) and 300 Sahabat Tagana in 19 kecamatan" in result.output
    today = local_today()
    people = list(session.scalars(select(Volunteer)))
    kinds = Counter(v.kind for v in people)
    assert kinds == {VolunteerKind.TAGANA: 60, VolunteerKind.SAHABAT: 300}
    assert sum(v.is_legiun for v in people) == 8
    assert all(v.nia for v in people if v.kind == VolunteerKind.TAGANA)
    assert len({v.nia for v in people if v.nia}) == 60
    # Every kecamatan of the kabupaten has Tagana and Sahabat Tagana of its own.
    kecamatan = set(session.scalars(select(Region.code).where(
        Region.level == Level.KECAMATAN, Region.parent_code == "17.03")))
    assert len(kecamatan) == 19
    desa = {r.code: r for r in session.scalars(select(Region).where(Region.level == Level.DESA))}
    by_kecamatan = {code: Counter() for code in kecamatan}
    for volunteer in people:
        home = desa[volunteer.home_desa_code]
        by_kecamatan[home.parent_code][volunteer.kind] += 1
        assert home.boundary.covers(Point(volunteer.home_lon, volunteer.home_lat)), volunteer.id
        nik = parse_nik(volunteer.nik, today=today)
        assert nik.kecamatan_code == home.parent_code
        assert (nik.sex, nik.birth_date) == (volunteer.sex, volunteer.birth_date)
        assert volunteer.phone is None or volunteer.phone.startswith("+628")
        assert volunteer.birth_date <= volunteer.joined_on <= today
    assert all(counts[VolunteerKind.TAGANA] >= 2 and counts[VolunteerKind.SAHABAT] >= 6
               for counts in by_kecamatan.values()), by_kecamatan
    assert by_kecamatan[ENGGANO][VolunteerKind.TAGANA] >= 3
    assert len({v.nik for v in people}) == 360
    assert Counter(v.status for v in people)[VolunteerStatus.ACTIVE] > 330
    # Some go inactive or are suspended, as on any roster.
    assert {v.status for v in people} == set(VolunteerStatus)


def test_demo_roster_has_trainings_promotions_regu_and_equipment(session):
    demo.load_demo(session, region_code="17.03", password=TEST_PASSWORD)
    session.commit()
    today = local_today()
    expiring = trainings.expiring_certificates(session, within_days=30, today=today)
    assert len(expiring) >= 8
    assert all(0 <= line.days_left <= 30 for line in expiring)
    expired = trainings.expiring_certificates(session, within_days=0, today=today,
                                              include_expired=True)
    assert any(line.days_left < 0 for line in expired)
    # Promotions are history: eight brought up, each with its NIA and decree.
    promoted = list(session.scalars(select(Promotion)))
    assert len(promoted) == 8
    for promotion in promoted:
        volunteer = session.get(Volunteer, promotion.volunteer_id)
        assert volunteer.kind == VolunteerKind.TAGANA
        assert volunteer.nia == promotion.nia
        assert volunteer.joined_on < promotion.promoted_on <= today
        assert promotion.decree_ref
    pipeline = promotions.pipeline(session, today=today)
    ready = sum(group.ready for group in pipeline)
    assert 0 < ready < sum(len(group.volunteers) for group in pipeline)
    # Five regu, each led by an active Tagana who is one of its members, all from its kecamatan.
    teams = list(session.scalars(select(Team)))
    assert len(teams) == 5
    for team in teams:
        members = list(session.scalars(select(Volunteer).join(TeamMember).where(
            TeamMember.team_id == team.id)))
        leader = session.get(Volunteer, team.leader_id)
        assert leader in members
        assert leader.kind == VolunteerKind.TAGANA
        assert 5 <= len(members) <= 7
        assert {session.get(Region, m.home_desa_code).parent_code for m in members} == {
            team.kecamatan_code}
    assert ENGGANO in {team.kecamatan_code for team in teams}
    away_now = availability.unavailable_volunteer_ids(session, today, today)
    assert away_now
    items = list(session.scalars(select(Equipment)))
    assert len(items) == 25
    assert {item.kind for item in items} == set(EquipmentKind) - {EquipmentKind.OTHER}


def test_demo_deployments_staff_the_flood_s_posko_without_booking_anyone_twice(session):
    demo.load_demo(session, region_code="17.03", password=TEST_PASSWORD)
    session.commit()
    rows = list(session.scalars(select(Deployment).order_by(Deployment.id)))
    posko = set(session.scalars(select(Posko.id)))
    assert {row.posko_id for row in rows} == posko  # every posko of the flood is staffed
    live = [row for row in rows if row.status != DeploymentStatus.CANCELLED]
    for column in ("volunteer_id", "equipment_id"):
        by_subject = {}
        for row in live:
            if getattr(row, column) is not None:
                by_subject.setdefault(getattr(row, column), []).append(row)
        for subject, booked in by_subject.items():
            for index, one in enumerate(booked):
                for other in booked[index + 1:]:
                    assert one.ends_at <= other.starts_at or other.ends_at <= one.starts_at, (
                        column, subject)
    statuses = Counter((row.volunteer_id is not None, row.status) for row in rows)
    assert statuses[(True, DeploymentStatus.CHECKED_IN)] >= 15
    assert statuses[(True, DeploymentStatus.DISPATCHED)] >= 3
    assert statuses[(True, DeploymentStatus.ENDED)] >= 1  # a shift already gone home
    assert statuses[(False, DeploymentStatus.CHECKED_IN)] >= 3  # boats and kit on site
    now = datetime.now(UTC)
    for row in live:
        assert row.ends_at > now or row.status == DeploymentStatus.ENDED
        if row.volunteer_id is not None:
            volunteer = session.get(Volunteer, row.volunteer_id)
            assert volunteer.status == VolunteerStatus.ACTIVE
            assert availability.is_available(session, volunteer.id, row.starts_at, row.ends_at)
    # A whole regu holds the main posko, and each dispatched person with a phone has a message.
    assert any(row.team_id is not None for row in rows)
    messages = session.scalar(select(func.count()).select_from(OutgoingMessage))
    assert messages == session.scalar(
        select(func.count()).select_from(Deployment).join(Volunteer).where(
            Volunteer.phone.is_not(None)))
    # Enggano's volunteers stay on the island: none is sent to the mainland flood.
    deployed_homes = set(session.scalars(select(Volunteer.home_desa_code).join(
        Deployment, Deployment.volunteer_id == Volunteer.id)))
    assert deployed_homes
    assert not any(code.startswith(ENGGANO + ".") for code in deployed_homes)
    served = deployments.hours_per_person(session)
    assert served
    assert served[0].hours > 24
