"""Promotion of a Sahabat Tagana to Tagana is recorded as history, happens once (also when two
coordinators press at once) and never reuses an NIA; the pipeline shows, per kecamatan, who
still lacks the diklat dasar."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from logistics.calendar import local_today
from logistics.errors import Conflict, InvalidInput
from logistics.roster import errors, promotions, rules, trainings
from logistics.roster.models import Promotion, Volunteer
from logistics.roster.schemas import PromotionIn
from tests.app.test_input_bounds import _unbounded
from tests.concurrency import at_once
from tests.roster.factories import COORDINATOR


def _promote(roster, volunteer_id, **fields):
    values = {"nia": "TGN-1703-0500", **fields}
    return promotions.promote(db.session, actor=roster.actor(), volunteer_id=volunteer_id,
                              **values)


def test_a_promotion_makes_a_tagana_with_the_nia_and_keeps_the_history(app, roster):
    sahabat = roster.volunteer(kind="sahabat_tagana")
    day = local_today() - timedelta(days=1)
    with app.app_context():
        promotion = _promote(roster, sahabat, nia=" tgn-1703-0500 ", promoted_on=day,
                             decree_ref="SK Kadinsos  460/12/2026")
        db.session.commit()
        volunteer = db.session.get(Volunteer, sahabat)
        assert (volunteer.kind, volunteer.nia) == ("tagana", "TGN-1703-0500")
        assert (promotion.promoted_on, promotion.nia, promotion.decree_ref) == (
            day, "TGN-1703-0500", "SK Kadinsos 460/12/2026")
        assert [row.id for row in promotions.promotions_between(db.session, day, day)] == [
            promotion.id]
        assert rules.became_tagana_on(volunteer) == day


def test_an_older_sahabat_promoted_is_flagged_by_the_age_on_promotion(app, roster):
    sahabat = roster.volunteer(kind="sahabat_tagana", birth_date=date(1975, 1, 1),
                               joined_on=date(2015, 1, 1))  # 40 on joining
    with app.app_context():
        volunteer = db.session.get(Volunteer, sahabat)
        assert rules.flags_of(volunteer) == []
        _promote(roster, sahabat, promoted_on=local_today())  # 50 or more now
        db.session.commit()
        assert rules.flags_of(db.session.get(Volunteer, sahabat)) == [
            rules.AGE_OUTSIDE_RECRUITMENT]


def test_a_tagana_is_not_promoted_again_and_an_nia_is_never_given_twice(app, roster):
    tagana = roster.volunteer(nia="TGN-1703-0001")
    sahabat = roster.volunteer(kind="sahabat_tagana")
    with app.app_context():
        with pytest.raises(errors.AlreadyTagana):
            _promote(roster, tagana)
        with pytest.raises(errors.DuplicateNia) as refused:
            _promote(roster, sahabat, nia="tgn-1703-0001")
        assert refused.value.field == "nia"
        db.session.rollback()
        assert db.session.get(Volunteer, sahabat).kind == "sahabat_tagana"
        assert db.session.scalar(select(func.count()).select_from(Promotion)) == 0


@pytest.mark.parametrize(("fields", "field"), [
    ({"promoted_on": local_today() + timedelta(days=1)}, "promoted_on"),
    ({"promoted_on": date(2000, 1, 1)}, "promoted_on"),  # before joining
    ({"nia": "   "}, "nia"),
])
def test_a_promotion_on_a_wrong_day_or_without_an_nia_is_refused(app, roster, fields, field):
    sahabat = roster.volunteer(kind="sahabat_tagana")
    with app.app_context(), pytest.raises(InvalidInput) as refused:
        _promote(roster, sahabat, **fields)
    assert refused.value.field == field


def test_a_suspended_sahabat_is_not_promoted(app, roster):
    sahabat = roster.volunteer(kind="sahabat_tagana", status="suspended")
    with app.app_context(), pytest.raises(errors.NotActive):
        _promote(roster, sahabat)


def test_a_retried_promotion_with_its_key_is_one_promotion(app, roster):
    sahabat = roster.volunteer(kind="sahabat_tagana")
    with app.app_context():
        first = _promote(roster, sahabat, idempotency_key="promo-1")
        db.session.commit()
        again = _promote(roster, sahabat, idempotency_key="promo-1")
        assert again.id == first.id


def test_two_coordinators_promoting_one_sahabat_at_once_make_one_tagana(app, roster):
    roster.coordinator("koordinator-2")
    for attempt in range(3):
        sahabat = roster.volunteer(kind="sahabat_tagana")

        def promote(nia, sahabat=sahabat):
            return lambda session, actor: promotions.promote(session, actor=actor,
                                                             volunteer_id=sahabat, nia=nia)

        outcomes = at_once(app, [(COORDINATOR, promote(f"TGN-A{attempt}")),
                                  ("koordinator-2", promote(f"TGN-B{attempt}"))])
        assert outcomes.count("ok") == 1
        loser = next(outcome for outcome in outcomes if outcome != "ok")
        assert loser in {"AlreadyTagana", "InvalidTransition"}
        assert issubclass(getattr(errors, loser, Conflict), Conflict)
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(Promotion).where(
                Promotion.volunteer_id == sahabat)) == 1


def test_two_sahabat_given_one_nia_at_once_one_is_refused_on_the_nia(app, roster):
    roster.coordinator("koordinator-2")
    first, second = (roster.volunteer(kind="sahabat_tagana") for _ in range(2))

    def promote(volunteer_id):
        return lambda session, actor: promotions.promote(session, actor=actor,
                                                         volunteer_id=volunteer_id,
                                                         nia="TGN-SAME")

    outcomes = at_once(app, [(COORDINATOR, promote(first)), ("koordinator-2", promote(second))])
    assert sorted(outcomes) == ["DuplicateNia", "ok"]


def test_the_pipeline_lists_sahabat_per_kecamatan_with_what_they_lack(app, roster):
    roster.volunteer()  # a Tagana: not in the pipeline
    trained = roster.volunteer(kind="sahabat_tagana", name="Ani")
    untrained = roster.volunteer(kind="sahabat_tagana", name="Budi")
    expired = roster.volunteer(kind="sahabat_tagana", name="Cici")
    far = roster.volunteer(kind="sahabat_tagana", name="Dedi", home_desa_code=roster.FAR_DESA)
    roster.volunteer(kind="sahabat_tagana", status="inactive")
    today = local_today()
    with app.app_context():
        for volunteer_id, number, expires_on in ((trained, "D-1", None),
                                                 (expired, "D-2", today - timedelta(days=1))):
            trainings.record_training(db.session, actor=roster.actor(),
                                      volunteer_id=volunteer_id, kind="dasar",
                                      certificate_no=number, started_on=date(2020, 1, 1),
                                      ended_on=date(2020, 1, 5), expires_on=expires_on)
        db.session.commit()
        found = promotions.pipeline(db.session, today=today)
    assert [(group.kecamatan_code, group.ready, group.lacking) for group in found] == [
        ("17.03.01", 1, 2), ("17.03.02", 0, 1)]
    assert [(person.volunteer_id, person.held, person.lacking)
            for person in found[0].volunteers] == [
        (trained, ("dasar",), ()), (untrained, (), ("dasar",)), (expired, (), ("dasar",))]
    assert found[1].volunteers[0].volunteer_id == far
    assert found[1].kecamatan_name == "Ketahun"


def test_the_promotion_schema_is_bounded_and_wants_an_nia():
    assert _unbounded(PromotionIn) == []
    assert PromotionIn().load({"nia": "TGN-1", "decree_ref": ""}) == {
        "nia": "TGN-1", "promoted_on": None, "decree_ref": None}
