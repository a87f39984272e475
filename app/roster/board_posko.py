"""A posko's own list of the people and equipment sent to it, for its staff: names, roles and
phones to call or message, who has checked in and who is still due. Never a NIK, a birth date
or where anyone lives: staff need to reach people, not to know about them. Posko staff see
only the posko they staff (403 elsewhere, as for their census and requests)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import render_template, url_for
from flask_login import current_user

from app.extensions import db
from app.roster.blueprint import bp
from app.security import require
from logistics.accounts.roles import Permission
from logistics.calendar import local_today
from logistics.roster import board
from logistics.roster.messages import wa_digits


@bp.get("/posko/<int:posko_id>/people")
@require(Permission.VIEW_POSKO_PEOPLE)
def posko_people(posko_id: int):
    """Who is at this posko now or due within the check-in window."""
    now = datetime.now(UTC)
    posko, lines = board.posko_people(db.session, actor=current_user, posko_id=posko_id,
                                      now=now)
    return render_template("roster/board_people.html", posko=posko, event=posko.event,
                           people=[line for line in lines if line.is_person],
                           equipment=[line for line in lines if not line.is_person],
                           now=now, wa_digits=wa_digits)


@bp.app_context_processor
def _roster_links():
    """Links other areas' pages show into the roster, each only to who may follow it."""

    def posko_people_url(posko) -> str | None:
        if not current_user.is_authenticated:
            return None
        if not board.may_see_posko_people(db.session, current_user, posko.id):
            return None
        return url_for("roster.posko_people", posko_id=posko.id)

    def board_url(event) -> str | None:
        if not current_user.is_authenticated or not current_user.can(Permission.VIEW_ROSTER):
            return None
        return url_for("roster.board_page", event_id=event.id)

    def suggestions_url(posko) -> str | None:
        """Only for who may dispatch, and only while the posko takes people."""
        if not current_user.is_authenticated or not current_user.can(Permission.DISPATCH):
            return None
        if not posko.is_open_on(local_today()):
            return None
        return url_for("roster.suggestions_page", posko_id=posko.id)

    return {"posko_people_url": posko_people_url, "board_url": board_url,
            "suggestions_url": suggestions_url}
