"""Cases, referrals and their step history written as rows, for the queue, monitoring and
export tests: the case operations have their own tests, these only need a history to read.

``history`` is a list of ``(from_status, to_status, at)`` moves of the case; the case's status
and ``status_since`` follow its last move (or its registration when there is none).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

from sqlalchemy import select

from app.extensions import db
from logistics.referrals.case_models import Case, Programme, Referral, Step

_serials = count(1)
NOW = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)


def days_ago(days: float, now: datetime = NOW) -> datetime:
    return now - timedelta(days=days)


def add_case(app, slrt, household_id: int, *, registered_at: datetime, history=(),
             desa: str | None = None, source: str = "datang_langsung",
             event_id: int | None = None, referrals=(), first_step: bool = True) -> int:
    """A case of the household with its moves; ``referrals`` as (programme code, status,
    since). ``first_step`` writes the registration as a step (None -> pendaftaran) too."""
    desa = desa or slrt.DESA
    puskesos_id = slrt.puskesos_id(desa)
    clerk = slrt.staff("puskesos_front", desa, username="factory-fo")
    with app.app_context():
        actor_id = slrt.actor(clerk).id
        status, since = "pendaftaran", registered_at
        if history:
            status, since = history[-1][1], history[-1][2]
        case = Case(number=f"SLRT-T-{next(_serials):05d}", household_id=household_id,
                    puskesos_id=puskesos_id, source=source, event_id=event_id, status=status,
                    status_since=since, registered_by_id=actor_id, registered_at=registered_at)
        db.session.add(case)
        db.session.flush()
        moves = ([(None, "pendaftaran", registered_at)] if first_step else []) + list(history)
        db.session.add_all(Step(case_id=case.id, from_status=old, to_status=new, at=at,
                                actor_id=actor_id) for old, new, at in moves)
        for code, referral_status, referral_since in referrals:
            programme_id = db.session.scalar(select(Programme.id).where(Programme.code == code))
            referral = Referral(case_id=case.id, programme_id=programme_id,
                                status=referral_status, status_since=referral_since,
                                recommended_by_id=actor_id)
            db.session.add(referral)
            db.session.flush()
            db.session.add(Step(case_id=case.id, referral_id=referral.id, from_status=None,
                                to_status=referral_status, at=referral_since,
                                actor_id=actor_id))
        db.session.commit()
        return case.id


def programme_codes(app, how_many: int = 3) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Programme.code).order_by(Programme.code)
                                       .limit(how_many)))
