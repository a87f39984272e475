"""Kaji cepat and household assessments: the rules an assessor meets in the field."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from marshmallow import ValidationError
from sqlalchemy import func, select

from app.extensions import db
from logistics.accounts import queries as account_queries
from logistics.calendar import local_today
from logistics.core import identity
from logistics.core.identity import make_nik
from logistics.emergency import assessments, errors
from logistics.emergency.assessment_models import HouseholdMember, RapidAssessment
from logistics.emergency.assessment_schemas import HouseholdIn
from logistics.errors import PermissionDenied

KETAHUN = "17.03.12"
NIK_HEAD = make_nik(KETAHUN, date(1972, 7, 27), "M", 6875)
NIK_WIFE = make_nik(KETAHUN, date(1974, 5, 28), "F", 8219)  # day 68 = 28 + 40
# A No. KK has a NIK's layout with the card's issue date where the birth date would be.
KK = make_nik(KETAHUN, date(2011, 2, 2), "M", 2254)


def _actor(name="emergency-admin"):
    return account_queries.get_user_by_username(db.session, name)


def _household(emergency, **changes):
    data = {"desa_code": emergency.DESA, "assessed_on": local_today(),
            "head_name": "Ahmad Fauzi", "house_damage": "rusak_berat",
            "kk_number": KK, "head_nik": NIK_HEAD,
            "members": [{"name": "Siti Aminah", "sex": "P", "nik": NIK_WIFE, "age": 44},
                        {"name": "Ahmad Fauzi", "sex": "L", "nik": NIK_HEAD, "age": 50}]}
    return {**data, **changes}


def test_a_desa_outside_the_event_and_a_future_day_are_refused_together(app, emergency):
    event_id = emergency.event()
    with app.app_context():
        with pytest.raises(assessments.AssessmentInvalid) as refused:
            assessments.record_rapid_assessment(
                db.session, actor=_actor(), event_id=event_id, desa_code=emergency.OUTSIDE_DESA,
                assessed_on=local_today() + timedelta(days=1), displaced=10)
        fields = {problem.field for problem in refused.value.problems}
        assert fields == {"desa_code", "assessed_on"}
        assert isinstance(refused.value.problems[0], errors.DesaOutsideEvent)
        assert db.session.scalar(select(func.count()).select_from(RapidAssessment)) == 0


def test_the_latest_visit_of_each_desa_is_what_the_event_shows(app, emergency):
    event_id = emergency.event()
    today = local_today()
    with app.app_context():
        for desa, day, displaced in ((emergency.DESA, today - timedelta(days=2), 100),
                                     (emergency.DESA, today, 40),
                                     (emergency.OTHER_DESA, today - timedelta(days=1), 7)):
            assessments.record_rapid_assessment(db.session, actor=_actor(), event_id=event_id,
                                                desa_code=desa, assessed_on=day,
                                                displaced=displaced, access_cut=displaced == 7)
        db.session.commit()
        latest = assessments.latest_rapid_assessments(db.session, event_id)
        assert [(a.desa_code, a.displaced) for a in latest] == [
            (emergency.DESA, 40), (emergency.OTHER_DESA, 7)]
        assert assessments.rapid_totals(latest)["displaced"] == 47
        assert assessments.rapid_totals(latest)["access_cut"] == 1


def test_a_retry_with_the_same_key_records_one_assessment(app, emergency):
    event_id = emergency.event()
    with app.app_context():
        first = assessments.record_household_assessment(
            db.session, actor=_actor(), event_id=event_id, idempotency_key="k1",
            **_household(emergency))
        again = assessments.record_household_assessment(
            db.session, actor=_actor(), event_id=event_id, idempotency_key="k1",
            **_household(emergency))
        db.session.commit()
        assert first.id == again.id
        assert len(assessments.list_households(db.session, event_id)) == 1


def test_the_head_comes_first_and_a_correction_replaces_the_household_whole(app, emergency):
    event_id = emergency.event()
    with app.app_context():
        household = assessments.record_household_assessment(
            db.session, actor=_actor(), event_id=event_id, **_household(emergency))
        db.session.commit()
        assert [m.name for m in household.members] == ["Ahmad Fauzi", "Siti Aminah"]
        assessments.correct_household_assessment(
            db.session, actor=_actor(), household_id=household.id,
            **_household(emergency, kk_number=None, house_damage="rusak_sedang",
                         members=[{"name": "Ahmad Fauzi", "sex": "L"}]))
        db.session.commit()
        db.session.expire_all()
        household = assessments.household_or_fail(db.session, household.id)
        assert household.kk_number is None
        assert household.house_damage == "rusak_sedang"
        assert [m.name for m in household.members] == ["Ahmad Fauzi"]
        assert db.session.scalar(select(func.count()).select_from(HouseholdMember)) == 1


def test_posko_staff_assess_only_in_the_events_of_their_posko(app, emergency, make_user):
    staffed_event, other_event = emergency.event(), emergency.event(name="Longsor")
    make_user(role="posko_staff", username="petugas")
    emergency.posko(staffed_event, staff=["petugas"])
    with app.app_context():
        assessments.record_household_assessment(
            db.session, actor=_actor("petugas"), event_id=staffed_event, **_household(emergency))
        with pytest.raises(errors.NotYourEvent):
            assessments.record_household_assessment(
                db.session, actor=_actor("petugas"), event_id=other_event,
                **_household(emergency))
    make_user(role="warehouse_keeper", username="penjaga")
    with app.app_context(), pytest.raises(PermissionDenied):
        assessments.record_rapid_assessment(db.session, actor=_actor("penjaga"),
                                            event_id=staffed_event, desa_code=emergency.DESA,
                                            assessed_on=local_today())


def test_the_households_list_pages_by_key_and_filters_by_desa(app, emergency):
    event_id = emergency.event()
    with app.app_context():
        for index in range(5):
            assessments.record_household_assessment(
                db.session, actor=_actor(), event_id=event_id, **_household(
                    emergency, head_name=f"KK {index}", members=[],
                    desa_code=emergency.DESA if index % 2 else emergency.OTHER_DESA))
        db.session.commit()
        first = assessments.list_households(db.session, event_id, limit=2)
        second = assessments.list_households(db.session, event_id, limit=2, after=first[1].id)
        assert [h.head_name for h in first[:2] + second[:2]] == ["KK 4", "KK 3", "KK 2", "KK 1"]
        only = assessments.list_households(db.session, event_id, desa_code=emergency.DESA)
        assert [h.head_name for h in only] == ["KK 3", "KK 1"]


def _grouped(number: str, separator: str) -> str:
    return separator.join(number[i:i + 4] for i in range(0, 16, 4))


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("kk_number", KK[:14], identity.NOT_SIXTEEN_DIGITS_KK),
    ("kk_number", "999999" + KK[6:], identity.UNKNOWN_REGION),
    ("kk_number", KK[:12] + "0000", identity.ZERO_SERIAL),
    ("head_nik", NIK_HEAD[:6] + "99" + NIK_HEAD[8:], identity.NOT_A_BIRTH_DATE),
    ("head_nik", NIK_HEAD[:6] + "300290" + NIK_HEAD[12:], identity.NOT_A_BIRTH_DATE),
    # Bengkulu Utara has no kecamatan 99, and no province is numbered 00.
    ("head_nik", "170399" + NIK_HEAD[6:], identity.UNKNOWN_REGION),
    ("head_nik", "000000" + NIK_HEAD[6:], identity.UNKNOWN_REGION),
    ("head_nik", NIK_HEAD[:12] + "0000", identity.ZERO_SERIAL),
    ("head_nik", NIK_HEAD + "0", "Too long."),
])
def test_kk_and_nik_are_refused_by_the_shared_rule_with_its_message(field, value, expected):
    payload = {"desa_code": "17.03.12.2001", "assessed_on": "2026-11-25", "head_name": "A",
               "house_damage": "rusak_berat", field: value}
    with pytest.raises(ValidationError) as refused:
        HouseholdIn().load(payload)
    assert refused.value.messages[field][0] == expected
    assert list(refused.value.messages) == [field]


def test_a_member_nik_is_held_to_the_same_rule_on_its_own_line():
    members = [{"name": "A", "sex": "L", "nik": NIK_HEAD},
               {"name": "B", "sex": "P", "nik": "999999" + NIK_WIFE[6:]},
               {"name": "C", "sex": "P", "nik": NIK_WIFE[:6] + "720190" + NIK_WIFE[12:]}]
    with pytest.raises(ValidationError) as refused:
        HouseholdIn().load({"desa_code": "17.03.12.2001", "assessed_on": "2026-11-25",
                            "head_name": "A", "house_damage": "rusak_berat",
                            "members": members})
    assert refused.value.messages == {"members": {
        1: {"nik": [identity.UNKNOWN_REGION]}, 2: {"nik": [identity.NOT_A_BIRTH_DATE]}}}


def test_numbers_written_in_groups_are_read_as_their_digits():
    loaded = HouseholdIn().load({
        "desa_code": "17.03.12.2001", "assessed_on": "2026-11-25", "head_name": "A",
        "house_damage": "rusak_berat", "head_nik": _grouped(NIK_HEAD, " "),
        "kk_number": _grouped(KK, "."),
        "members": [{"name": "A", "sex": "L", "nik": _grouped(NIK_HEAD, "-")}]})
    assert loaded["head_nik"] == loaded["members"][0]["nik"] == NIK_HEAD
    assert loaded["kk_number"] == KK
