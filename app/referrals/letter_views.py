"""The printable surat rujukan of an approved referral: kop surat, number, the date in words,
the agency it is addressed to, the family (No. KK and the head's NIK in full: the agency must
identify them), the needs, the recommendation and the signer. Fits one A4 page.

Only roles that may see personal data open it, in their own Puskesos; each opening is an
export in the audit trail (`logistics.referrals.letters`)."""

from __future__ import annotations

from flask import render_template
from flask_babel import get_locale
from flask_login import current_user

from app.extensions import db
from app.referrals.blueprint import bp
from app.security import require
from logistics.accounts.roles import Permission
from logistics.core.words import date_in_words
from logistics.referrals.letters import letter_for


@bp.get("/referrals/<int:referral_id>/letter")
@require(Permission.VIEW_PERSONAL_DATA)
def referral_letter(referral_id: int):
    letter = letter_for(db.session, actor=current_user, referral_id=referral_id)
    db.session.commit()
    return render_template("referrals/letter.html", letter=letter,
                           dated_in_words=date_in_words(letter.dated, str(get_locale())))
