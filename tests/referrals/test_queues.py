"""Each role's queue: its steps in its Puskesos, oldest first, paged, overdue by the limit."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from app.extensions import db
from logistics.referrals import queues
from logistics.referrals.case_models import StepLimit
from tests.referrals.case_rows import NOW, add_case, days_ago

P, H, D, R = "pendaftaran", "penanganan", "penetapan", "rujukan"


@pytest.fixture
def pipeline(app, slrt):
    """Cases in every step at the home desa, one at the neighbour's, a sent referral."""
    made = {}

    def case(name, start, moves, desa=None, **kwargs):
        desa = desa or slrt.DESA
        made[name] = add_case(app, slrt, slrt.household(desa), desa=desa,
                              registered_at=days_ago(start),
                              history=[(old, new, days_ago(ago)) for old, new, ago in moves],
                              **kwargs)

    case("new_old", 5, [])
    case("new_fresh", 1, [])
    case("handling", 9, [(P, H, 8)])
    case("deciding", 9, [(P, H, 8), (H, D, 2)])
    case("referred", 40, [(P, H, 38), (H, D, 35), (D, R, 33)],
         referrals=[("PKH", "dikirim", days_ago(33)), ("BPNT", "dilayani", days_ago(20))])
    case("elsewhere", 7, [], desa=slrt.OTHER_DESA)
    case("closed", 50, [(P, H, 45), (H, "selesai", 40)])
    return made


def _page(app, slrt, username, **kwargs):
    with app.app_context():
        return queues.queue_page(db.session, slrt.actor(username), now=NOW, **kwargs)


def _names(page, made):
    by_id = {case_id: name for name, case_id in made.items()}
    return [(item.kind, by_id[item.case_id]) for item in page["items"]]


def test_front_office_gets_registrations_of_its_puskesos_oldest_first(app, slrt, pipeline):
    front = slrt.staff("puskesos_front", username="q-front")
    page = _page(app, slrt, front)
    assert _names(page, pipeline) == [("case", "new_old"), ("case", "new_fresh")]
    old, fresh = page["items"]
    assert (old.days, old.limit_days, old.is_overdue) == (5, 3, True)
    assert (fresh.days, fresh.is_overdue) == (1, False)
    assert old.kk_number
    assert old.head_name == "Warga " + old.head_name.split()[1]
    assert old.desa == "Kahyapu"


def test_back_office_gets_new_cases_handling_and_referrals_awaiting_an_answer(
        app, slrt, pipeline):
    back = slrt.staff("puskesos_back", username="q-back")
    page = _page(app, slrt, back)
    assert _names(page, pipeline) == [("referral", "referred"), ("case", "handling"),
                                      ("case", "new_old"), ("case", "new_fresh")]
    referral = page["items"][0]
    assert referral.programme.startswith("Program Keluarga Harapan")
    assert (referral.status, referral.days, referral.limit_days) == ("dikirim", 33, 14)
    assert referral.is_overdue


def test_manager_gets_decisions_and_referred_cases_to_follow(app, slrt, pipeline):
    manager = slrt.staff("puskesos_manager", username="q-manager")
    page = _page(app, slrt, manager)
    assert _names(page, pipeline) == [("case", "referred"), ("case", "deciding")]
    assert [item.is_overdue for item in page["items"]] == [True, False]  # 33 > 30, 2 < 5


def test_admin_and_leadership_read_every_open_case(app, slrt, pipeline):
    for role in ("admin", "leadership"):
        user = slrt.staff(role, username=f"q-{role}")
        names = [name for _, name in _names(_page(app, slrt, user), pipeline)]
        assert names == ["referred", "handling", "elsewhere", "new_old", "deciding",
                         "new_fresh"]


def test_other_roles_have_no_queue(app, slrt, pipeline):
    coordinator = slrt.staff("coordinator", username="q-coordinator")
    assert _page(app, slrt, coordinator) == {"items": [], "next": None}


def test_pages_follow_each_other_without_gap_or_repeat(app, slrt, pipeline):
    admin = slrt.staff("admin", username="q-admin")
    seen, after = [], None
    while True:
        page = _page(app, slrt, admin, limit=2, after=after)
        seen += [item.case_id for item in page["items"]]
        if page["next"] is None:
            break
        after = page["next"]
    assert seen == [item.case_id for item in _page(app, slrt, admin)["items"]]
    assert len(seen) == 6


def test_overdue_only_and_counts_use_the_configured_limit(app, slrt, pipeline):
    admin = slrt.staff("admin", username="q-admin")
    overdue = _page(app, slrt, admin, overdue_only=True)
    assert {name for _, name in _names(overdue, pipeline)} == {"new_old", "handling",
                                                                "referred", "elsewhere"}
    with app.app_context():
        db.session.execute(update(StepLimit).where(StepLimit.status == P).values(days=10))
        db.session.commit()
        assert queues.counts(db.session, slrt.actor(admin), now=NOW) == {"waiting": 6,
                                                                          "overdue": 2}
    assert {name for _, name in _names(_page(app, slrt, admin, overdue_only=True),
                                       pipeline)} == {"handling", "referred"}


def test_a_cursor_not_made_by_the_queue_is_refused_on_its_field(app, slrt, pipeline):
    admin = slrt.staff("admin", username="q-admin")
    for bad in ("x", "2026-01-01T00:00:00~case~1", "2026-01-01T00:00:00+00:00~other~1"):
        with pytest.raises(queues.BadCursor) as refused:
            _page(app, slrt, admin, after=bad)
        assert refused.value.field == "after"
