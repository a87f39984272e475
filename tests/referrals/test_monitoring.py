"""Monitoring figures: medians from step histories, overdue by the configured limit, the
viewer's scope, referrals per programme, sources, events, and an event's households."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from app.extensions import db
from logistics.emergency.assessment_models import HouseholdAssessment
from logistics.errors import PermissionDenied
from logistics.referrals import errors, monitoring
from logistics.referrals.case_models import Need, StepLimit
from tests.referrals.case_rows import NOW, add_case, days_ago

P, H, D, R, C = "pendaftaran", "penanganan", "penetapan", "rujukan", "selesai"


def _figures(app, slrt, username, **area):
    with app.app_context():
        return monitoring.monitoring(db.session, slrt.actor(username), now=NOW, **area)


def _add(app, slrt, start, moves, **kwargs):
    """A case registered ``start`` days ago, its moves as (from, to, days ago)."""
    desa = kwargs.pop("desa", slrt.DESA)
    return add_case(app, slrt, slrt.household(desa), desa=desa, registered_at=days_ago(start),
                    history=[(old, new, days_ago(ago)) for old, new, ago in moves], **kwargs)


def test_medians_count_completed_visits_of_each_step_and_every_visit_of_a_step(app, slrt):
    admin = slrt.staff("admin", username="mon-admin")
    _add(app, slrt, 20, [(P, H, 18), (H, D, 14)],
         referrals=[("PKH", "diusulkan", days_ago(16))])  # a referral's move is not a step
    _add(app, slrt, 20, [(P, H, 16), (H, D, 15), (D, H, 13), (H, D, 10)])
    _add(app, slrt, 20, [(P, H, 17)])  # still in penanganan: not a completed visit
    _add(app, slrt, 30, [(P, H, 25)], first_step=False)  # no registration step: registered_at
    medians = _figures(app, slrt, admin).medians
    assert medians[P] == {"median_days": 3.5, "visits": 4}  # 2, 3, 4, 5
    assert medians[H] == {"median_days": 3.0, "visits": 3}  # 1, 3, 4
    assert medians[D] == {"median_days": 2.0, "visits": 1}
    assert R not in medians


def test_median_keeps_fractions_of_a_day(app, slrt):
    admin = slrt.staff("admin", username="mon-admin")
    _add(app, slrt, 10, [(P, H, 9.5)])
    _add(app, slrt, 10, [(P, H, 8.75)])
    assert _figures(app, slrt, admin).medians[P]["median_days"] == pytest.approx(0.9, abs=0.05)


def test_overdue_follows_the_configured_limit_and_the_default_where_none_is_set(app, slrt):
    admin = slrt.staff("admin", username="mon-admin")
    _add(app, slrt, 4, [])  # 4 days in pendaftaran, limit 3: overdue
    _add(app, slrt, 2, [])  # 2 days: not yet
    _add(app, slrt, 30, [(P, H, 10)])  # 10 days in penanganan, default 14: not yet
    _add(app, slrt, 30, [(P, H, 15)])  # 15 days: overdue
    _add(app, slrt, 300, [(P, H, 290), (H, C, 280)])  # closed: never overdue
    with app.app_context():  # after the factories, which put missing defaults back
        db.session.get(StepLimit, P).days = 3
        db.session.execute(delete(StepLimit).where(StepLimit.status == H))
        db.session.commit()
    steps = {line["status"]: line for line in _figures(app, slrt, admin).steps}
    assert (steps[P]["cases"], steps[P]["overdue"]) == (2, 1)
    assert (steps[H]["cases"], steps[H]["overdue"]) == (2, 1)
    assert (steps[C]["cases"], steps[C]["overdue"]) == (1, 0)
    assert _figures(app, slrt, admin).totals == {"cases": 5, "open": 4, "overdue": 2}


def test_a_desa_manager_sees_only_their_desa_and_is_refused_another(app, slrt):
    manager = slrt.staff("puskesos_manager", slrt.DESA, username="mon-manager")
    _add(app, slrt, 5, [])
    _add(app, slrt, 5, [], desa=slrt.OTHER_DESA)
    _add(app, slrt, 5, [], desa=slrt.OTHER_DESA)
    everywhere = _figures(app, slrt, manager)
    assert everywhere.totals["cases"] == 1
    assert everywhere.area.is_partial
    kecamatan = _figures(app, slrt, manager, kecamatan=slrt.KECAMATAN)
    assert kecamatan.totals["cases"] == 1
    assert kecamatan.area.is_partial
    assert _figures(app, slrt, manager, desa=slrt.DESA).totals["cases"] == 1
    with pytest.raises(PermissionDenied):
        _figures(app, slrt, manager, desa=slrt.OTHER_DESA)
    admin = slrt.staff("admin", username="mon-admin")
    assert _figures(app, slrt, admin, desa=slrt.OTHER_DESA).totals["cases"] == 2
    assert _figures(app, slrt, admin, kecamatan=slrt.KECAMATAN).totals["cases"] == 3


def test_a_kecamatan_covers_its_desa_and_not_the_neighbouring_kecamatan(app, slrt):
    admin = slrt.staff("admin", username="mon-admin")
    _add(app, slrt, 5, [])
    _add(app, slrt, 5, [], desa=slrt.FAR_DESA)
    assert _figures(app, slrt, admin, kecamatan=slrt.KECAMATAN).totals["cases"] == 1
    assert _figures(app, slrt, admin).totals["cases"] == 2


def test_unknown_area_codes_are_refused_on_their_field(app, slrt):
    admin = slrt.staff("admin", username="mon-admin")
    with pytest.raises(errors.UnknownKecamatan):
        _figures(app, slrt, admin, kecamatan="17.99.99")
    with pytest.raises(errors.UnknownKecamatan):
        _figures(app, slrt, admin, kecamatan=slrt.DESA)  # a desa is not a kecamatan


def test_referrals_by_programme_and_status_sources_and_events(app, slrt, emergency):
    admin = slrt.staff("admin", username="mon-admin")
    event_id = emergency.event()
    _add(app, slrt, 20, [(P, H, 18), (H, D, 15), (D, R, 12)], source="kaji_bencana",
         event_id=event_id, referrals=[("PKH", "dilayani", days_ago(3)),
                                       ("BPNT", "dikirim", days_ago(12))])
    _add(app, slrt, 20, [(P, H, 18)], referrals=[("PKH", "diusulkan", days_ago(17))])
    figures = _figures(app, slrt, admin)
    by_code = {line["code"]: line for line in figures.programmes}
    assert by_code["PKH"]["by_status"] == {"dilayani": 1, "diusulkan": 1}
    assert by_code["PKH"]["total"] == 2
    assert by_code["BPNT"]["total"] == 1
    assert figures.programmes[0]["code"] == "PKH"  # most referrals first
    assert figures.sources == {"kaji_bencana": 1, "datang_langsung": 1}
    assert [(e["event_id"], e["cases"], e["open"]) for e in figures.events] == [(event_id, 1, 1)]


def test_an_event_counts_households_opened_from_it_or_given_a_need_from_its_assessments(
        app, slrt, emergency):
    event_id, other_event = emergency.event(), emergency.event(name="Longsor lain")
    _add(app, slrt, 9, [(P, H, 5)], source="kaji_bencana", event_id=event_id)
    walk_in = _add(app, slrt, 9, [])
    _add(app, slrt, 9, [], source="kaji_bencana", event_id=other_event)
    _add(app, slrt, 9, [])
    with app.app_context():
        actor_id = slrt.actor("factory-fo").id
        assessment = HouseholdAssessment(
            event_id=event_id, desa_code=slrt.DESA, assessed_on=days_ago(2).date(),
            head_name="Kepala", house_damage="rusak_berat", lost_livelihood=False, deaths=0,
            recorded_by_id=actor_id)
        db.session.add(assessment)
        db.session.flush()
        db.session.add(Need(case_id=walk_in, category="perumahan", description="Rumah rusak",
                            household_assessment_id=assessment.id, added_by_id=actor_id))
        db.session.commit()
        counts = monitoring.cases_for_event(db.session, event_id)
        assert counts["households"] == 2
        assert {line["status"]: line["households"] for line in counts["by_status"]} == {
            P: 1, H: 1, D: 0, R: 0, C: 0}
        assert monitoring.cases_for_event(db.session, 999_999)["households"] == 0
        assert db.session.scalar(select(Need.id)) is not None
