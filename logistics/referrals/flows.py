"""The SLRT flows as data: which moves a case and a referral may make, and how each reads.

A case goes forward one step at a time and may go back one step with a reason; it may be
closed from the back office's step on (counselling alone can settle a complaint) or once its
referrals are answered. A referral is proposed by the back office, decided by the manager, then
followed until the receiving agency serves or refuses it.
"""

from __future__ import annotations

from logistics.core.status import Flow
from logistics.i18n import N_
from logistics.referrals.case_models import CaseStatus as C
from logistics.referrals.case_models import ReferralStatus as R

FORWARD = {C.REGISTERED: C.HANDLING, C.HANDLING: C.DECIDING, C.DECIDING: C.REFERRED}
BACK = {later: earlier for earlier, later in FORWARD.items()}

CASE_FLOW = Flow(
    name="slrt_case",
    moves={
        C.REGISTERED: frozenset({C.HANDLING}),
        C.HANDLING: frozenset({C.DECIDING, C.REGISTERED, C.CLOSED}),
        C.DECIDING: frozenset({C.REFERRED, C.HANDLING, C.CLOSED}),
        C.REFERRED: frozenset({C.DECIDING, C.CLOSED}),
        C.CLOSED: frozenset(),
    },
    labels={
        C.REGISTERED: N_("Registration (pendaftaran)"),
        C.HANDLING: N_("Handling and recommendation (penanganan)"),
        C.DECIDING: N_("Service decision (penetapan layanan)"),
        C.REFERRED: N_("Referred (rujukan)"),
        C.CLOSED: N_("Closed (selesai)"),
    },
)

REFERRAL_FLOW = Flow(
    name="slrt_referral",
    moves={
        R.PROPOSED: frozenset({R.APPROVED, R.NOT_APPROVED}),
        R.APPROVED: frozenset({R.SENT, R.PROPOSED}),
        R.NOT_APPROVED: frozenset({R.PROPOSED}),
        R.SENT: frozenset({R.ACCEPTED, R.REJECTED}),
        R.ACCEPTED: frozenset({R.SERVED, R.REJECTED}),
        R.SERVED: frozenset(),
        R.REJECTED: frozenset(),
    },
    labels={
        R.PROPOSED: N_("Proposed (diusulkan)"),
        R.APPROVED: N_("Approved, letter ready (ditetapkan)"),
        R.NOT_APPROVED: N_("Not approved (tidak ditetapkan)"),
        R.SENT: N_("Sent (dikirim)"),
        R.ACCEPTED: N_("Accepted (diterima)"),
        R.SERVED: N_("Served (dilayani)"),
        R.REJECTED: N_("Rejected (ditolak)"),
    },
)

# A referral in one of these needs nothing more from the Puskesos.
ANSWERED = frozenset({R.NOT_APPROVED, R.SERVED, R.REJECTED})
OPEN_CASE = frozenset(set(C) - {C.CLOSED})
