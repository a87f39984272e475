"""The suggestion page, phone first: say what a posko needs, see who is ranked where and why,
keep or change the proposed people and equipment, and dispatch them in one step; then the
message for each person with its wa.me link.

The need travels in the query string (a suggestion only reads, so it can be bookmarked and
asked again). The dispatch form carries a one-time token that is the dispatch's idempotency
key: a double tap or a resend shows the dispatch made the first time instead of posting again.
The token is drawn when the need form is shown and travels with the need in the query string,
so the browser's back button (which asks for the same address again, answered with fresh
candidates: the first ones are now booked) still carries it: pressing "Dispatch chosen" there
shows the first dispatch instead of sending the next-best people as well. Asking anew from
the need form draws a new token, so a deliberate second dispatch stays possible.
Someone booked meanwhile comes back as the dispatch's refusal (409, naming the clashing
deployment) above a fresh list.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta

from flask import render_template, request
from flask_login import current_user
from marshmallow import ValidationError
from sqlalchemy import select

from app.errors import field_messages, status_for
from app.extensions import db
from app.i18n import translate_error
from app.roster.blueprint import bp
from app.roster.suggestion_support import present
from app.security import require
from logistics.accounts.roles import Permission
from logistics.calendar import local_time, local_today
from logistics.core import idempotency
from logistics.core.fields import parse_integer
from logistics.emergency.lookups import posko_or_fail
from logistics.errors import DomainError
from logistics.roster import dispatch, messages, skills, suggestions
from logistics.roster.deployment_models import Dispatch, EquipmentKind
from logistics.roster.models import Volunteer
from logistics.roster.suggestion_schemas import SuggestionIn

SKILL_FIELD, EQUIPMENT_FIELD = "skill-", "equipment-"
LOCAL_INPUT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends
TOKEN = re.compile(r"[0-9a-f]{32}")


def _new_token() -> str:
    return uuid.uuid4().hex


def _token_of(values) -> str:
    """The token the need form was shown with, else a fresh one."""
    token = values.get("token", "")
    return token if TOKEN.fullmatch(token) else _new_token()


def _need_from(values) -> dict:
    """The counts typed on the form, as `NeedIn` reads them: blank and 0 mean not needed, a
    number is read as people type it, anything else left for the schema to refuse."""
    need: dict = {"skills": {}, "equipment": {}}
    for name, value in values.items():
        for prefix, key in ((SKILL_FIELD, "skills"), (EQUIPMENT_FIELD, "equipment")):
            text = value.strip()
            if name.startswith(prefix) and text not in ("", "0"):
                count = parse_integer(text)
                need[key][name[len(prefix):]] = text if count is None else count
    return need


def _default_period() -> tuple[str, str]:
    """Tomorrow 08.00 for three days, in the kabupaten's time."""
    start = datetime.combine(local_today() + timedelta(days=1), datetime.min.time()).replace(
        hour=8)
    return start.strftime(LOCAL_INPUT), (start + timedelta(days=3)).strftime(LOCAL_INPUT)


def _asked(values, posko_id: int):
    """The request read from the form: (loaded data or None, field errors, what was typed)."""
    start, end = _default_period()
    typed = {"starts_at": values.get("starts_at") or start,
             "ends_at": values.get("ends_at") or end,
             "counts": {name: value for name, value in values.items()
                        if name.startswith((SKILL_FIELD, EQUIPMENT_FIELD))},
             "report_to": values.get("report_to", "")}
    if not typed["counts"]:
        return None, {}, typed
    payload = {"posko_id": posko_id, "starts_at": typed["starts_at"],
               "ends_at": typed["ends_at"],
               "need": _need_from(typed["counts"])}
    try:
        return SuggestionIn().load(payload), {}, typed
    except ValidationError as error:
        return None, field_messages(error.messages), typed


def _page(posko, *, data, errors, typed, token, problems=(), status=None):
    result = None
    if data is not None and not errors:
        try:
            need = data["need"]
            result = present(suggestions.suggest(
                db.session, actor=current_user, posko_id=posko.id,
                starts_at=data["starts_at"], ends_at=data["ends_at"],
                skills=need["skills"], equipment=need["equipment"]))
        except DomainError as error:
            db.session.rollback()
            errors = {error.field or "_schema": [translate_error(error)]}
            status = status_for(error)
    return render_template(
        "roster/suggestions.html", posko=posko, result=result, errors=errors, typed=typed,
        problems=list(problems), catalogue=skills.catalogue(db.session),
        kinds=list(EquipmentKind), equipment_label=suggestions.equipment_label,
        form_token=token, need_token=_new_token()), status or (422 if errors else 200)


@bp.get("/posko/<int:posko_id>/suggestions")
@require(Permission.DISPATCH)
def suggestions_page(posko_id: int):
    """The need form and, once counts are given, the ranked candidates with their reasons."""
    posko = posko_or_fail(db.session, posko_id)
    data, errors, typed = _asked(request.args, posko.id)
    return _page(posko, data=data, errors=errors, typed=typed, token=_token_of(request.args))


@bp.post("/posko/<int:posko_id>/suggestions")
@require(Permission.DISPATCH)
def dispatch_suggested(posko_id: int):
    """Dispatch the people and equipment ticked, in one step, then show each message."""
    posko = posko_or_fail(db.session, posko_id)
    token = request.form.get("form_token", "")[:100] or None
    if token:
        earlier = idempotency.made_with(db.session, current_user, token)
        if isinstance(earlier, Dispatch):
            return _sent(earlier)
    data, errors, typed = _asked(request.form, posko.id)
    if data is None:
        return _page(posko, data=data, errors=errors, typed=typed, token=_new_token())
    names = {skill.code: skill.name for skill in skills.catalogue(db.session)}
    volunteers, kit = [], []
    for value in request.form.getlist("volunteer"):
        volunteer_id, _, code = value.partition(":")
        if volunteer_id.isdigit() and code in names:
            volunteers.append({"volunteer_id": int(volunteer_id), "skill_code": code,
                               "role": suggestions.role_for(names[code])})
    for value in request.form.getlist("equipment"):
        item_id, _, kind = value.partition(":")
        if item_id.isdigit():
            kit.append({"equipment_id": int(item_id), "role": suggestions.role_for(kind)})
    try:
        record = dispatch.dispatch(
            db.session, actor=current_user, posko_id=posko.id, starts_at=data["starts_at"],
            ends_at=data["ends_at"], volunteers=volunteers, equipment=kit,
            report_to=" ".join(typed["report_to"].split())[:120] or None,
            idempotency_key=token)
    except DomainError as error:
        db.session.rollback()
        problems = [translate_error(p) for p in getattr(error, "problems", [error])]
        return _page(posko, data=data, errors={}, typed=typed, token=_new_token(),
                     problems=problems, status=status_for(error))
    db.session.commit()
    return _sent(record)


def _sent(record: Dispatch):
    """The dispatch made, with each person's message and its wa.me link."""
    sent = messages.messages_of(db.session, record.id)
    people = [d.volunteer_id for d in record.deployments if d.volunteer_id]
    names = dict(db.session.execute(select(Volunteer.id, Volunteer.name)
                                    .where(Volunteer.id.in_(people))).all())
    by_deployment = {d.id: d for d in record.deployments}
    return render_template(
        "roster/suggestions_sent.html", record=record,
        posko=posko_or_fail(db.session, record.posko_id),
        lines=[(message, names.get(by_deployment[message.deployment_id].volunteer_id, ""))
               for message in sent],
        without_phone=[names[d.volunteer_id] for d in record.deployments
                       if d.volunteer_id and d.id not in {m.deployment_id for m in sent}],
        local_time=local_time)
