"""What the case pages and the case API share: a case as one readable record (needs,
referrals with their eligibility advice, the step history), and advice in the reader's words."""

from __future__ import annotations

from flask_babel import gettext
from flask_wtf import FlaskForm
from wtforms import HiddenField

from app.i18n import readable
from logistics.referrals import cases, programmes
from logistics.referrals.case_models import CATEGORY_LABELS, Category, Referral
from logistics.referrals.case_schemas import CaseOut, ReferralOut

CASE_FIELDS = [name for name in CaseOut._declared_fields if name not in ("referrals", "steps")]
REFERRAL_FIELDS = [name for name in ReferralOut._declared_fields
                   if name not in ("advice", "programme_code", "programme_name")]


class TokenForm(FlaskForm):
    """CSRF plus the one-time token that makes a create idempotent."""

    form_token = HiddenField()


def category_label(code: str) -> str:
    try:
        return gettext(CATEGORY_LABELS[Category(code)])
    except ValueError:
        return code


def advice_text(note: programmes.Advice) -> str:
    """One piece of advice translated, its needs named in the reader's language."""
    params = {name: ", ".join(category_label(c) for c in value) if name == "needs"
              else readable(value) for name, value in note.params.items()}
    return gettext(note.text) % params if params else gettext(note.text)


def advice_for(referral: Referral) -> list[dict]:
    notes = programmes.advice(referral.programme, referral.case.household,
                              [need.category for need in referral.case.needs])
    return [{"text": advice_text(note), "fits": note.fits} for note in notes]


def referral_record(referral: Referral) -> dict:
    return {**{name: getattr(referral, name) for name in REFERRAL_FIELDS},
            "programme": referral.programme, "advice": advice_for(referral)}


def case_record(session, case) -> dict:
    """The case as the API returns it: household summary, needs, referrals, steps."""
    return {**{name: getattr(case, name) for name in CASE_FIELDS},
            "referrals": [referral_record(r) for r in case.referrals],
            "steps": cases.steps_of(session, case.id)}
