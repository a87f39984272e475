"""Dispatch suggestions over the API: who and what to send to a posko for a need, ranked with
the reasons for each place, and a proposal ready to post as a dispatch. It only reads; the
dispatch that follows books under its own checks."""

from __future__ import annotations

from flask_login import current_user

from app.api_support import ApiBlueprint
from app.extensions import db
from app.roster.suggestion_support import present
from app.security import require
from logistics.accounts.roles import Permission
from logistics.roster import suggestion_schemas as s
from logistics.roster import suggestions

blp = ApiBlueprint("roster_suggestions_api", __name__, url_prefix="/api/v1/roster",
                   description="Dispatch suggestions: who is free, trained and near")


@blp.post("/suggestions")
@require(Permission.DISPATCH)
@blp.arguments(s.SuggestionIn)
@blp.response(200, s.SuggestionsOut)
def post_suggestions(data):
    """Rank free active volunteers per skill (level, km from home, certificate, rest, load;
    each score the sum of its reasons) and free equipment per kind, and propose who fills the
    need, each person once. An unknown skill, a bad period or a closed posko is a 422 on its
    field."""
    need = data["need"]
    result = suggestions.suggest(db.session, actor=current_user, posko_id=data["posko_id"],
                                 starts_at=data["starts_at"], ends_at=data["ends_at"],
                                 skills=need["skills"], equipment=need["equipment"])
    db.session.rollback()  # nothing was written; end the read at once
    return present(result)
