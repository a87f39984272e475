"""The SLRT demo a Puskesos meets after `make run`: a Puskesos in every desa, the demo staff
working for three desa of Ketahun, the flood's heavy losses in their queues, and walk-in
families at every step, numbers valid in form and the history in the past."""

from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import func, select

from logistics.accounts import scopes
from logistics.accounts.models import User
from logistics.accounts.roles import Scope
from logistics.calendar import local_today
from logistics.core.identity import parse_kk, parse_nik
from logistics.referrals.case_models import Case, CaseStatus, Referral, ReferralStatus, Source
from logistics.referrals.models import Household, Puskesos
from logistics.regions.models import Level, Region


def test_seed_demo_fills_every_slrt_step_from_walk_ins_and_the_flood(runner, session):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    desa = session.scalar(select(func.count()).select_from(Region)
                          .where(Region.level == Level.DESA))
    assert session.scalar(select(func.count()).select_from(Puskesos)) == desa == 220
    cases = list(session.scalars(select(Case)))
    assert f"SLRT: {len(cases)} cases" in result.output
    assert set(Counter(case.status for case in cases)) == set(CaseStatus)
    assert {r.status for r in session.scalars(select(Referral))} >= {
        ReferralStatus.PROPOSED, ReferralStatus.SENT, ReferralStatus.ACCEPTED,
        ReferralStatus.SERVED, ReferralStatus.REJECTED}
    disaster = [case for case in cases if case.source == Source.DISASTER]
    assert len(disaster) >= 10
    assert all(case.event_id is not None and case.needs for case in disaster)
    assert all(need.household_assessment_id for case in disaster for need in case.needs)
    today = local_today()
    for household in session.scalars(select(Household)):
        parse_kk(household.kk_number)
        for member in household.members:
            if member.person.nik:
                parse_nik(member.person.nik, today=today)
    now = datetime.now(UTC)
    assert all(case.registered_at <= case.status_since <= now for case in cases)
    assert max((now - case.status_since).days for case in cases) > 7  # some are overdue


def test_demo_puskesos_staff_work_for_the_desa_whose_cases_they_see(runner, session):
    runner.invoke(args=["seed-demo"])
    staff = session.scalar(select(User).where(User.username == "puskesos.bo"))
    served = scopes.assigned(session, staff, Scope.PUSKESOS)
    assert len(served) == 3
    theirs = session.scalar(select(func.count()).select_from(Case)
                            .where(Case.puskesos_id.in_(served)))
    assert theirs >= 12  # every walk-in, and the flood's families of those desa
