"""What the suggestion API and page share: a suggestion told in the reader's language.

A reason is stored as a marked English label with parameters (`logistics.roster.ranking`);
here it is translated, and its numbers, kilometres and dates formatted the locale's way
("12,5 km", "1 Desember 2026")."""

from __future__ import annotations

from dataclasses import asdict

from flask_babel import gettext

from app.i18n import number, readable
from logistics.roster.ranking import Reason


def reason_text(reason: Reason) -> str:
    """The reason as a sentence in the current language."""
    text = gettext(reason.label)
    if not reason.params:
        return text
    return text % {name: number(value, decimals=1) if isinstance(value, float)
                   else readable(value) for name, value in reason.params.items()}


def _reasons(reasons) -> list[dict]:
    return [{"code": reason.code, "text": reason_text(reason), "points": reason.points}
            for reason in reasons]


def present(result) -> dict:
    """The suggestion as plain data, reasons translated: what `SuggestionsOut` dumps and the
    page shows."""
    return {
        "posko_id": result.posko_id, "posko_name": result.posko_name,
        "starts_at": result.starts_at, "ends_at": result.ends_at,
        "radius_km": result.radius_km, "proposal": result.proposal,
        "skills": [{
            "skill_code": skill.skill_code, "skill_name": skill.skill_name,
            "wanted": skill.wanted, "missing": skill.missing, "proposed": skill.proposed,
            "candidates": [asdict(candidate) | {"reasons": _reasons(candidate.reasons)}
                           for candidate in skill.candidates]}
            for skill in result.skills],
        "equipment": [{
            "kind": kit.kind, "wanted": kit.wanted, "missing": kit.missing,
            "proposed": kit.proposed,
            "candidates": [asdict(candidate) | {"reasons": _reasons(candidate.reasons)}
                           for candidate in kit.candidates]}
            for kit in result.equipment],
    }
