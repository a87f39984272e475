"""The skills catalogue seeds once and keeps local changes; trainings keep their ladder and
dates in order; alerts name the certificates about to run out, and stop once renewed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from marshmallow import ValidationError
from sqlalchemy import func, select

from app.extensions import db
from logistics.errors import InvalidInput, PermissionDenied
from logistics.roster import errors, skills, trainings
from logistics.roster.models import Skill, Training
from logistics.roster.schemas import ExpiringQuery, SkillIn, TrainingIn
from tests.app.test_input_bounds import _unbounded

TODAY = date(2026, 5, 20)


def test_seeding_the_catalogue_twice_adds_it_once_and_keeps_a_renamed_skill(app, roster):
    roster.coordinator()
    with app.app_context():
        assert skills.seed_defaults(db.session) == len(skills.DEFAULT_SKILLS)
        db.session.get(Skill, "ldp").name = "LDP (psikososial)"
        db.session.commit()
        assert skills.seed_defaults(db.session) == 0
        db.session.commit()
        assert db.session.get(Skill, "ldp").name == "LDP (psikososial)"
        codes = [skill.code for skill in skills.catalogue(db.session)]
        assert codes[:3] == ["dapur_umum", "shelter", "water_rescue"]
        for wanted in ("dapur_umum", "shelter", "water_rescue", "ldp", "logistik", "kaji_cepat",
                       "evakuasi", "pertolongan_pertama", "komunikasi_radio", "pengemudi"):
            assert wanted in codes


def test_a_local_skill_is_added_once_and_a_clash_is_refused(app, roster):
    roster.seed_skills()
    roster.coordinator()
    with app.app_context():
        first = skills.add_skill(db.session, actor=roster.actor(), code=" SAR_Gunung ",
                                 name="SAR  gunung")
        again = skills.add_skill(db.session, actor=roster.actor(), code="sar_gunung",
                                 name="SAR gunung")  # a retry
        assert (first.code, again.code, first.name) == ("sar_gunung", "sar_gunung",
                                                         "SAR gunung")
        with pytest.raises(errors.DuplicateSkill) as refused:
            skills.add_skill(db.session, actor=roster.actor(), code="dapur",
                             name="dapur umum (PUBLIC KITCHEN)")
        assert refused.value.field == "name"
        with pytest.raises(errors.DuplicateSkill):
            skills.add_skill(db.session, actor=roster.actor(), code="sar_gunung", name="Lain")
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Skill)) == len(
            skills.DEFAULT_SKILLS) + 1


def _record(roster, volunteer_id, **fields):
    values = {"kind": "dasar", "certificate_no": "DIKDAS/2024/001",
              "started_on": date(2024, 3, 1), "ended_on": date(2024, 3, 7),
              "expires_on": None, "today": TODAY, **fields}
    return trainings.record_training(db.session, actor=roster.actor(),
                                     volunteer_id=volunteer_id, **values)


@pytest.mark.parametrize(("fields", "field", "error"), [
    ({"kind": "spesialisasi"}, "skill_code", errors.SpecialistNeedsSkill),
    ({"kind": "dasar", "skill_code": "ldp"}, "skill_code", errors.SkillOnlyForSpecialist),
    ({"kind": "spesialisasi", "skill_code": "terbang"}, "skill_code", errors.UnknownSkill),
    ({"ended_on": date(2024, 2, 28)}, "ended_on", InvalidInput),
    ({"ended_on": TODAY + timedelta(days=1)}, "ended_on", InvalidInput),
    ({"expires_on": date(2024, 3, 6)}, "expires_on", InvalidInput),
])
def test_a_training_that_cannot_be_right_is_refused_on_its_field(app, roster, fields, field,
                                                                 error):
    roster.seed_skills()
    volunteer_id = roster.volunteer()
    with app.app_context(), pytest.raises(error) as refused:
        _record(roster, volunteer_id, **fields)
    assert refused.value.field == field


def test_a_certificate_is_recorded_once_per_volunteer_also_with_other_spacing(app, roster):
    volunteer_id, other = roster.volunteer(), roster.volunteer()
    with app.app_context():
        _record(roster, volunteer_id)
        _record(roster, other)  # another person's certificate may carry the number
        with pytest.raises(errors.DuplicateCertificate) as refused:
            _record(roster, volunteer_id, certificate_no=" DIKDAS/2024/001 ")
        assert refused.value.field == "certificate_no"
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Training)) == 2


def test_a_specialist_training_names_its_skill(app, roster):
    roster.seed_skills()
    volunteer_id = roster.volunteer()
    with app.app_context():
        training = _record(roster, volunteer_id, kind="spesialisasi", skill_code="water_rescue",
                           certificate_no="WR-1", expires_on=date(2027, 3, 7))
        assert (training.kind, training.skill_code) == ("spesialisasi", "water_rescue")


def test_expiring_certificates_are_the_latest_of_each_kind_of_active_volunteers(app, roster):
    roster.seed_skills()
    soon, renewed, later = roster.volunteer(), roster.volunteer(), roster.volunteer()
    suspended = roster.volunteer(status="suspended")
    with app.app_context():
        _record(roster, soon, kind="spesialisasi", skill_code="ldp", certificate_no="L-1",
                expires_on=TODAY + timedelta(days=10))
        _record(roster, soon, kind="spesialisasi", skill_code="water_rescue",
                certificate_no="W-0", expires_on=TODAY - timedelta(days=3))  # expired
        _record(roster, renewed, kind="spesialisasi", skill_code="ldp", certificate_no="L-2",
                expires_on=TODAY + timedelta(days=5))
        _record(roster, renewed, kind="spesialisasi", skill_code="ldp", certificate_no="L-3",
                started_on=date(2026, 5, 1), ended_on=date(2026, 5, 3),
                expires_on=date(2029, 5, 3))  # the renewal
        _record(roster, later, kind="lanjutan", certificate_no="LJ-1",
                expires_on=TODAY + timedelta(days=61))
        _record(roster, suspended, certificate_no="S-1", expires_on=TODAY + timedelta(days=1))
        db.session.commit()
        found = trainings.expiring_certificates(db.session, within_days=60, today=TODAY)
        assert [(row.volunteer.id, row.training.certificate_no, row.days_left)
                for row in found] == [(soon, "L-1", 10)]
        with_expired = trainings.expiring_certificates(db.session, within_days=61, today=TODAY,
                                                       include_expired=True)
        assert [(row.training.certificate_no, row.days_left) for row in with_expired] == [
            ("W-0", -3), ("L-1", 10), ("LJ-1", 61)]
        assert not trainings.is_valid(with_expired[0].training, TODAY)


def test_only_those_who_manage_the_roster_record_trainings(app, roster, make_user):
    volunteer_id = roster.volunteer()
    boss = make_user(role="leadership")
    with app.app_context(), pytest.raises(PermissionDenied):
        trainings.record_training(db.session, actor=roster.actor(boss),
                                  volunteer_id=volunteer_id, kind="dasar", certificate_no="X",
                                  started_on=TODAY, ended_on=TODAY)


def test_training_dates_out_of_order_are_named_in_the_form_round():
    with pytest.raises(ValidationError) as refused:
        TrainingIn().load({"kind": "lanjutan", "certificate_no": "X", "started_on": "2024-03-07",
                           "ended_on": "2024-03-01", "expires_on": "2024-02-01",
                           "skill_code": ""})
    assert refused.value.messages == {"ended_on": [errors.ENDS_BEFORE_START],
                                      "expires_on": [errors.EXPIRES_BEFORE_END]}
    assert ExpiringQuery().load({}) == {"within_days": 60, "include_expired": False}


@pytest.mark.parametrize("schema", [SkillIn, TrainingIn, ExpiringQuery])
def test_these_input_schemas_are_built_from_the_bounded_fields(schema):
    assert _unbounded(schema) == []
