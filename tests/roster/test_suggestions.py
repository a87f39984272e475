"""Dispatch suggestions on both databases: who is ranked where and why, who is left out, and
the proposal that fills the need with each person once."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from shapely.geometry import Point

from app.extensions import db
from logistics.calendar import local_today
from logistics.emergency.models import Posko
from logistics.errors import PermissionDenied
from logistics.regions.models import Region
from logistics.roster import dispatch_errors, nearby, suggestions
from tests.roster.dispatch_factories import hours_from_now
from tests.roster.suggestion_factories import next_day_period


def ids(suggestion):
    return [candidate.volunteer_id for candidate in suggestion.candidates]


def reasons(candidate) -> dict[str, int]:
    return {reason.code: reason.points for reason in candidate.reasons}


def test_every_score_is_the_sum_of_its_reasons_and_the_same_input_gives_the_same_order(
        suggesting):
    for number in range(24):  # repeats: equal levels and distances, so ties happen
        suggesting.volunteer({"dapur_umum": 1 + number % 3, "logistik": 1 + number % 2},
                             km=float(number % 4) * 3)
    first = suggesting.suggest({"dapur_umum": 4, "logistik": 2})
    again = suggesting.suggest({"logistik": 2, "dapur_umum": 4})
    assert {s.skill_code: ids(s) for s in first.skills} == {
        s.skill_code: ids(s) for s in again.skills}
    for suggestion in first.skills:
        keys = [(-c.score, c.volunteer_id) for c in suggestion.candidates]
        assert keys == sorted(keys)  # best first, ties by id
        for candidate in suggestion.candidates:
            assert candidate.score == sum(reason.points for reason in candidate.reasons)
            assert {"skill_level", "distance", "certificate_none", "rest", "load"} == set(
                reasons(candidate))


def test_a_higher_level_ranks_higher_and_each_level_is_worth_30_points(suggesting):
    basic = suggesting.volunteer({"dapur_umum": 1})
    expert = suggesting.volunteer({"dapur_umum": 3})
    skilled = suggesting.volunteer({"dapur_umum": 2})
    other_skill = suggesting.volunteer({"ldp": 3})
    result = suggesting.suggest({"dapur_umum": 1})
    (kitchen,) = result.skills
    assert ids(kitchen) == [expert, skilled, basic]
    assert other_skill not in ids(kitchen)
    assert [reasons(c)["skill_level"] for c in kitchen.candidates] == [90, 60, 30]
    assert kitchen.proposed == [expert]


def test_distance_counts_in_real_kilometres_one_point_per_two(suggesting):
    near = suggesting.volunteer({"logistik": 2}, km=3.0)
    far = suggesting.volunteer({"logistik": 2}, km=61.0)
    very_far = suggesting.volunteer({"logistik": 3}, km=260.0)  # expert, but beyond 200 km
    no_home = suggesting.volunteer({"logistik": 2}, km=None, desa="17.03.01.2002")
    (listed,) = suggesting.suggest({"logistik": 1}).skills
    by_id = {c.volunteer_id: c for c in listed.candidates}
    assert by_id[near].distance_km == pytest.approx(3.0, abs=0.05)
    assert by_id[far].distance_km == pytest.approx(61.0, abs=0.2)
    assert reasons(by_id[near])["distance"] == -1
    assert reasons(by_id[far])["distance"] == -30
    assert reasons(by_id[very_far])["distance"] == -100  # capped
    # no home point: reckoned from the centre of the home desa, 0.1 degree east (about 11 km)
    assert reasons(by_id[no_home])["distance_from_desa"] == -5
    assert [r.params["desa"] for r in by_id[no_home].reasons
            if r.code == "distance_from_desa"] == ["Banjarsari"]
    assert ids(listed)[0] == near
    assert ids(listed).index(far) < ids(listed).index(very_far)


def test_unavailable_inactive_and_already_deployed_volunteers_are_not_suggested(
        suggesting, dispatching):
    free = suggesting.volunteer({"dapur_umum": 1}, km=20)
    inactive = suggesting.volunteer({"dapur_umum": 3}, status="inactive")
    suspended = suggesting.volunteer({"dapur_umum": 3}, status="suspended")
    away = suggesting.volunteer({"dapur_umum": 3})
    deployed = suggesting.volunteer({"dapur_umum": 3})
    deployed_before = suggesting.volunteer({"dapur_umum": 3})
    cancelled = suggesting.volunteer({"dapur_umum": 2})
    period = hours_from_now(24, 48)
    suggesting.away(away, period[0].date() + timedelta(days=1), period[0].date()
                    + timedelta(days=5))
    dispatching.send(period=hours_from_now(40, 10),
                     volunteers=[{"volunteer_id": deployed, "role": "dapur umum"}])
    # a deployment ending when the period starts does not clash (half-open periods)
    dispatching.send(period=(period[0] - timedelta(hours=6), period[0]),
                     volunteers=[{"volunteer_id": deployed_before, "role": "dapur umum"}])
    suggesting.served(cancelled, ended_days_ago=-2, hours=10, status="cancelled")
    (listed,) = suggesting.suggest({"dapur_umum": 3}, period=period).skills
    assert set(ids(listed)) == {free, deployed_before, cancelled}
    assert not {inactive, suspended, away, deployed} & set(ids(listed))
    assert listed.missing == 0


def test_an_expired_certificate_scores_lower_than_a_valid_one(suggesting):
    today = local_today()
    expired = suggesting.volunteer({"ldp": 2})
    valid = suggesting.volunteer({"ldp": 2})
    renewed = suggesting.volunteer({"ldp": 2})
    suggesting.certificate(expired, "ldp", today - timedelta(days=1), number="LDP-OLD")
    suggesting.certificate(valid, "ldp", today + timedelta(days=400))
    suggesting.certificate(renewed, "ldp", today - timedelta(days=300))
    suggesting.certificate(renewed, "ldp", None)  # no expiry: the later one counts
    (listed,) = suggesting.suggest({"ldp": 3}).skills
    by_id = {c.volunteer_id: c for c in listed.candidates}
    assert reasons(by_id[valid])["certificate_valid"] == 20
    assert reasons(by_id[renewed])["certificate_valid"] == 20
    assert reasons(by_id[expired])["certificate_expired"] == 0
    assert [r.params for r in by_id[expired].reasons if r.code == "certificate_expired"] == [
        {"number": "LDP-OLD", "expires": today - timedelta(days=1)}]
    assert by_id[expired].score == by_id[valid].score - 20
    assert ids(listed)[-1] == expired


def test_rest_and_load_lower_the_score_of_who_just_came_back(suggesting):
    rested = suggesting.volunteer({"logistik": 2})
    tired = suggesting.volunteer({"logistik": 2})
    busy = suggesting.volunteer({"logistik": 2})
    suggesting.served(tired, ended_days_ago=1, hours=12)
    for days_ago in (20, 30, 40, 60):
        suggesting.served(busy, ended_days_ago=days_ago, hours=30)
    suggesting.served(busy, ended_days_ago=120, hours=300)  # older than 90 days: not counted
    (listed,) = suggesting.suggest({"logistik": 1}).skills
    by_id = {c.volunteer_id: c for c in listed.candidates}
    assert reasons(by_id[rested]) | {"distance": 0} == reasons(by_id[rested]) | {
        "rest": 0, "load": 0, "distance": 0}
    rest = reasons(by_id[tired])["rest"]
    assert rest in (-15, -18)  # 1 or 2 whole days before the period, 7 wanted
    assert reasons(by_id[tired])["load"] == -1
    assert reasons(by_id[busy])["load"] == -12  # 120 hours in 90 days
    assert ids(listed) == [rested, busy, tired]  # -12 for load against -16 or -19


def test_the_proposal_uses_each_person_once_and_says_what_is_missing(suggesting):
    both = suggesting.volunteer({"dapur_umum": 3, "ldp": 3}, km=1)
    cooks = [suggesting.volunteer({"dapur_umum": 2}, km=2) for _ in range(3)]
    counsellor = suggesting.volunteer({"ldp": 1}, km=2)
    result = suggesting.suggest({"dapur_umum": 3, "ldp": 2, "logistik": 1})
    kitchen, ldp, logistics_ = result.skills
    # both is top of both lists but is proposed once: LDP, the scarcer list, takes them
    assert ids(kitchen)[0] == both
    assert ids(ldp)[0] == both
    assert ldp.proposed == [both, counsellor]
    assert kitchen.proposed == cooks
    assert (kitchen.missing, ldp.missing, logistics_.missing) == (0, 0, 1)
    sent = [line["volunteer_id"] for line in result.proposal["volunteers"]]
    assert len(sent) == len(set(sent)) == 5
    assert {line["skill_code"] for line in result.proposal["volunteers"]} == {
        "dapur_umum", "ldp"}


def test_equipment_free_and_ready_nearest_base_first_then_without_base_by_id(
        suggesting, dispatching, app):
    no_base = suggesting.boat()
    far_base = suggesting.boat(kecamatan_code="17.03.02")
    near_base = suggesting.boat(kecamatan_code="17.03.01")
    in_repair = suggesting.boat(status="maintenance", kecamatan_code="17.03.01")
    busy = suggesting.boat(kecamatan_code="17.03.01")
    no_base_2 = suggesting.boat()
    with app.app_context():  # kecamatan centres: at the posko, and about 65 km north-west
        db.session.get(Region, "17.03.01").centroid = Point(102.05, -3.45)
        db.session.get(Region, "17.03.02").centroid = Point(101.55, -3.15)
        db.session.commit()
    period = next_day_period()
    dispatching.send(period=period, equipment=[{"equipment_id": busy, "role": "evakuasi"}])
    result = suggesting.suggest(equipment={"perahu_karet": 2}, period=period)
    (boats,) = result.equipment
    assert [c.equipment_id for c in boats.candidates] == [near_base, far_base, no_base,
                                                            no_base_2]
    assert {in_repair, busy}.isdisjoint(c.equipment_id for c in boats.candidates)
    assert boats.candidates[1].distance_km == pytest.approx(64.5, abs=1.5)
    assert boats.proposed == [near_base, far_base]
    assert result.proposal["equipment"] == [
        {"equipment_id": near_base, "role": "perahu karet"},
        {"equipment_id": far_base, "role": "perahu karet"}]


def test_the_widening_search_finds_exactly_what_reading_everyone_finds(
        suggesting, monkeypatch):
    """Homes from 0 to 300 km, mixed levels, certificates and recent work: the box that
    starts at 10 km and widens gives the same lists as a full scan."""
    pick = random.Random(18)
    today = local_today()
    for _ in range(90):
        skills = {code: pick.randint(1, 3) for code in pick.sample(
            ["dapur_umum", "ldp", "logistik"], pick.randint(1, 2))}
        volunteer = suggesting.volunteer(skills, km=pick.choice(
            [pick.uniform(0, 15), pick.uniform(15, 80), pick.uniform(80, 300), None]))
        if pick.random() < 0.3:
            suggesting.certificate(volunteer, next(iter(skills)),
                                   today + timedelta(days=pick.randint(-200, 200)))
        if pick.random() < 0.2:
            suggesting.served(volunteer, ended_days_ago=pick.uniform(0.5, 30),
                              hours=pick.uniform(4, 60))
    need = {"dapur_umum": 3, "ldp": 2, "logistik": 1}
    widening = suggesting.suggest(need)
    monkeypatch.setattr(nearby, "START_KM", nearby.FULL_KM)
    everyone = suggesting.suggest(need)
    assert everyone.radius_km is None
    assert widening.radius_km is not None  # it stopped before reading everyone
    assert [[(c.volunteer_id, c.score) for c in s.candidates] for s in widening.skills] == [
        [(c.volunteer_id, c.score) for c in s.candidates] for s in everyone.skills]
    assert widening.proposal == everyone.proposal


def test_unknown_skills_a_bad_period_and_a_closed_posko_are_refused_on_their_field(
        suggesting, app):
    suggesting.posko()
    with pytest.raises(dispatch_errors.UnknownSkill) as raised:
        suggesting.suggest({"dapur_umum": 1, "masak": 2, "terbang": 1})
    assert [p.field for p in raised.value.problems] == ["need.skills.masak",
                                                          "need.skills.terbang"]
    start, end = next_day_period()
    with pytest.raises(dispatch_errors.PeriodBackwards):
        suggesting.suggest({"dapur_umum": 1}, period=(end, start))
    with pytest.raises(dispatch_errors.NothingToDispatch):
        suggesting.suggest({})
    closed = suggesting.posko(opened_on=local_today() - timedelta(days=2))
    with app.app_context():
        db.session.get(Posko, closed).closed_on = local_today()
        db.session.commit()
    with pytest.raises(suggestions.PoskoNotOpen) as raised:
        suggesting.suggest({"dapur_umum": 1}, posko_id=closed)
    assert raised.value.field == "posko_id"


def test_only_who_may_dispatch_gets_suggestions(suggesting, dispatching):
    staff = dispatching.coordinator("petugas-saran", role="posko_staff")
    with pytest.raises(PermissionDenied):
        suggesting.suggest({"dapur_umum": 1}, actor=staff)
