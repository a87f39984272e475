"""A case driven through the real operations by a front office, back office and manager of
one Puskesos: the transition and rule tests start each check from a state reached this way."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from app.extensions import db
from logistics.referrals import case_flow, cases, referral_steps
from logistics.referrals.case_models import (
    Case,
    CaseStatus,
    Programme,
    Referral,
    ReferralStatus,
    Step,
)

C, R = CaseStatus, ReferralStatus
NEED = {"category": "kesehatan", "description": "Ibu hamil tanpa jaminan kesehatan."}


@dataclass
class Pipeline:
    app: object
    slrt: object

    def __post_init__(self):
        self.front = self.slrt.staff("puskesos_front", username="fo1")
        self.back = self.slrt.staff("puskesos_back", username="bo1")
        self.manager = self.slrt.staff("puskesos_manager", username="mgr1")

    def run(self, operation, username, **arguments):
        """Run one operation as ``username`` and commit; returns the row's id."""
        with self.app.app_context():
            result = operation(db.session, actor=self.slrt.actor(username), **arguments)
            db.session.commit()
            return result.id

    def programme(self, code: str) -> int:
        with self.app.app_context():
            return db.session.scalar(select(Programme.id).where(Programme.code == code))

    def open(self, household_id=None, **kwargs) -> int:
        household_id = household_id or self.slrt.household()
        return self.run(cases.open_case, self.front, household_id=household_id,
                        source="datang_langsung", needs=[NEED], **kwargs)

    def handle(self, case_id):
        self.run(case_flow.take_into_handling, self.back, case_id=case_id)

    def propose(self, case_id, code="PKH") -> int:
        return self.run(referral_steps.propose_referral, self.back, case_id=case_id,
                        programme_id=self.programme(code), recommendation="Layak PKH.")

    def to_decision(self, case_id):
        self.run(case_flow.send_to_decision, self.back, case_id=case_id)

    def approve(self, referral_id):
        self.run(referral_steps.decide_referral, self.manager, referral_id=referral_id,
                 approve=True, signer_name="Drs. Sutrisno", signer_position="Kepala Dinas")

    def refuse(self, referral_id):
        self.run(referral_steps.decide_referral, self.manager, referral_id=referral_id,
                 approve=False, reason="Sudah menerima bantuan lain.")

    def refer(self, case_id):
        self.run(case_flow.refer_case, self.manager, case_id=case_id)

    def outcome(self, referral_id, to, reason="Tidak memenuhi syarat."):
        self.run(referral_steps.record_outcome, self.back, referral_id=referral_id, to=to,
                 reason=reason)

    def case_at(self, status: str, *, then: str | None = None) -> tuple[int, int | None]:
        """A case brought to ``status`` (and ready to move to ``then``): (case, referral)."""
        case_id, referral_id = self.open(), None
        if status == C.REGISTERED:
            return case_id, None
        self.handle(case_id)
        referral_id = self.propose(case_id)
        if status == C.HANDLING:
            return case_id, referral_id
        self.to_decision(case_id)
        if status == C.DECIDING:
            if then == C.REFERRED:
                self.approve(referral_id)
            return case_id, referral_id
        self.approve(referral_id)
        self.refer(case_id)
        if status == C.REFERRED and then != C.CLOSED:
            return case_id, referral_id
        for to in (R.SENT, R.ACCEPTED, R.SERVED):
            self.outcome(referral_id, to)
        if status == C.CLOSED:
            self.run(case_flow.close_case, self.manager, case_id=case_id, outcome="tertangani")
        return case_id, referral_id

    def referral_at(self, status: str, *, then: str | None = None) -> tuple[int, int]:
        """A referral brought to ``status`` (case in the decision step while the referral is
        undecided or may be reconsidered, referred once it may go out)."""
        case_id, referral_id = self.case_at(C.DECIDING)
        if status == R.PROPOSED:
            return case_id, referral_id
        if status == R.NOT_APPROVED:
            self.refuse(referral_id)
            return case_id, referral_id
        self.approve(referral_id)
        if status == R.APPROVED and then != R.SENT:
            return case_id, referral_id
        self.refer(case_id)
        path = {R.APPROVED: [], R.SENT: [R.SENT], R.ACCEPTED: [R.SENT, R.ACCEPTED],
                R.SERVED: [R.SENT, R.ACCEPTED, R.SERVED], R.REJECTED: [R.SENT, R.REJECTED]}
        for to in path[status]:
            self.outcome(referral_id, to)
        return case_id, referral_id

    def state(self, case_id) -> tuple:
        """Everything a refused move must leave alone."""
        with self.app.app_context():
            return (db.session.scalar(select(Case.status).where(Case.id == case_id)),
                    tuple(db.session.scalars(select(Referral.status)
                                             .where(Referral.case_id == case_id)
                                             .order_by(Referral.id))),
                    db.session.scalar(select(func.count(Step.id))
                                      .where(Step.case_id == case_id)))

    def last_step(self, case_id, *, of_case: bool = False) -> Step:
        """The newest step (``of_case``: of the case itself, not of a referral)."""
        with self.app.app_context():
            query = select(Step).where(Step.case_id == case_id)
            if of_case:
                query = query.where(Step.referral_id.is_(None))
            step = db.session.scalar(query.order_by(Step.id.desc()).limit(1))
            db.session.expunge(step)
            return step


@pytest.fixture
def pipeline(app, slrt) -> Pipeline:
    return Pipeline(app, slrt)
