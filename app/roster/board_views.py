"""The dispatch board of an event, phone first: per posko, who and what is deployed now or
due, in which role and period, checked in or not, and the hours served; and the simple
dispatch form that sends volunteers, a regu and equipment through the same `dispatch`
operation as the API.

The form's one-time token is the operation's idempotency key, so a double tap or a resent
page dispatches once; a clash comes back as the 409 that names the deployment it meets, beside
the field of the volunteer or item. The check-in and check-out buttons are in `board_actions`.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from marshmallow import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import aliased
from wtforms import HiddenField

from app.errors import field_messages, status_for
from app.extensions import db
from app.forms_support import id_from_text, reshows_on_expiry
from app.i18n import translate_error
from app.roster.blueprint import bp
from app.security import require
from logistics.accounts.roles import Permission
from logistics.calendar import field_timezone, local_today
from logistics.core import idempotency
from logistics.emergency.lookups import event_or_fail
from logistics.emergency.models import Event
from logistics.errors import DomainError
from logistics.regions.models import Region
from logistics.roster import board, dispatch, messages
from logistics.roster.deployment_models import Deployment, Dispatch, Equipment, EquipmentStatus
from logistics.roster.dispatch_schemas import DispatchIn
from logistics.roster.models import VOLUNTEER_KIND_LABELS, Team, Volunteer, VolunteerStatus

# Fields of the dispatch form, and where the schema's and the operation's keys land on it.
FORM_FIELDS = ("posko_id", "starts_at", "ends_at", "volunteer_ids", "role", "team_id",
               "team_role", "equipment_ids", "equipment_role", "report_to", "notes")
TEXTS = ("starts_at", "ends_at", "role", "team_role", "equipment_role", "report_to", "notes")


class TokenForm(FlaskForm):
    """CSRF, plus the one-time token that makes a resent dispatch post once."""

    form_token = HiddenField()


def fresh_token_form() -> TokenForm:
    form = TokenForm()
    if not form.form_token.data:
        form.form_token.data = uuid.uuid4().hex
    return form


def _local_input(moment: datetime) -> str:
    return moment.astimezone(field_timezone()).strftime("%Y-%m-%dT%H:%M")


def _default_period() -> dict:
    """From the next whole hour, for a day: what a coordinator most often sends."""
    start = (datetime.now(UTC) + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    return {"starts_at": _local_input(start), "ends_at": _local_input(start + timedelta(days=1))}


@bp.get("/boards")
@require(Permission.VIEW_ROSTER)
def boards():
    """The events, running ones first, each with how many are deployed now: the way in to
    their dispatch boards."""
    live = dict(db.session.execute(
        select(Deployment.event_id, func.count())
        .where(Deployment.status.in_(board.LIVE),
               Deployment.ends_at > datetime.now(UTC))
        .group_by(Deployment.event_id)).all())
    events = list(db.session.scalars(select(Event).order_by(
        Event.ended_on.is_not(None), Event.started_on.desc(), Event.id.desc()).limit(100)))
    return render_template("roster/boards.html", events=events, live=live,
                           today=local_today())


@bp.get("/events/<int:event_id>/board")
@require(Permission.VIEW_ROSTER)
def board_page(event_id: int):
    """Posko by posko: the people and equipment deployed now or due, checked in or not."""
    return render_board(event_or_fail(db.session, event_id))


def render_board(event: Event, *, values=None, errors=None, row_errors=None, form=None,
                 status: int = 200):
    """The board, with what a refused form or button needs to show beside its field or row."""
    now = datetime.now(UTC)
    posko_list = board.event_posko(db.session, event.id)
    lines = defaultdict(list)
    for line in board.board_lines(db.session, event_id=event.id, now=now):
        lines[line.deployment.posko_id].append(line)
    may_dispatch = current_user.can(Permission.DISPATCH)
    sent = request.args.get("dispatch", type=id_from_text)
    context = {}
    if may_dispatch:
        context = _form_choices(posko_list, now)
        context["just_sent"] = _just_sent(sent, event.id)
    return render_template(
        "roster/board.html", event=event, posko_list=posko_list, lines=lines, now=now,
        hours=board.event_hours(db.session, event, now=now), may_dispatch=may_dispatch,
        form=form or fresh_token_form(),
        values={**_default_period(), **(values or {})}, errors=errors or {},
        row_errors=row_errors or {}, **context), status


def _form_choices(posko_list, now) -> dict:
    """What the dispatch form offers: open posko, active volunteers not deployed right now
    (by kecamatan), regu and ready equipment."""
    today = local_today()
    busy = select(Deployment.volunteer_id).where(
        Deployment.volunteer_id.is_not(None), Deployment.status.in_(board.LIVE),
        Deployment.starts_at <= now, Deployment.ends_at > now)
    desa, kecamatan = aliased(Region), aliased(Region)
    people = db.session.execute(
        select(Volunteer.id, Volunteer.name, Volunteer.kind, kecamatan.name)
        .outerjoin(desa, desa.code == Volunteer.home_desa_code)
        .outerjoin(kecamatan, kecamatan.code == desa.parent_code)
        .where(Volunteer.status == VolunteerStatus.ACTIVE, Volunteer.id.not_in(busy))
        .order_by(kecamatan.name, Volunteer.name, Volunteer.id)).all()
    by_kecamatan = defaultdict(list)
    for volunteer_id, name, kind, kecamatan in people:
        by_kecamatan[kecamatan or "–"].append(
            (volunteer_id, f"{name} · {gettext(VOLUNTEER_KIND_LABELS[kind])}"))
    busy_kit = select(Deployment.equipment_id).where(
        Deployment.equipment_id.is_not(None), Deployment.status.in_(board.LIVE),
        Deployment.starts_at <= now, Deployment.ends_at > now)
    kit = db.session.scalars(select(Equipment).where(
        Equipment.status == EquipmentStatus.READY, Equipment.id.not_in(busy_kit))
        .order_by(Equipment.kind, Equipment.name))
    return {
        "posko_choices": [(p.id, f"{p.code} {p.name}") for p in posko_list
                          if p.closed_on is None or p.closed_on >= today],
        "volunteer_groups": sorted(by_kecamatan.items()),
        "team_choices": [(t.id, t.name) for t in db.session.scalars(
            select(Team).order_by(Team.name))],
        "equipment_choices": [(item.id, f"{item.name} ({item.code})") for item in kit],
    }


def _just_sent(dispatch_id, event_id) -> dict | None:
    """The dispatch just made, with its messages ready to send (wa.me links)."""
    record = db.session.get(Dispatch, dispatch_id) if dispatch_id else None
    if record is None or record.event_id != event_id:
        return None
    return {"dispatch": record, "messages": messages.messages_of(db.session, record.id)}


def _form_key(key: str) -> str:
    """The form field a schema or operation key belongs to (``volunteers.3.role`` -> role)."""
    parts = key.split(".")
    if parts[0] == "volunteers":
        return "role" if parts[-1] == "role" else "volunteer_ids"
    if parts[0] == "equipment":
        return "equipment_role" if parts[-1] == "role" else "equipment_ids"
    return key if key in FORM_FIELDS else "_"


def _add(errors: dict, key: str, messages_: list[str]) -> None:
    shown = errors.setdefault(_form_key(key), [])
    shown.extend(message for message in messages_ if message not in shown)


def _ids(name: str, errors: dict) -> list[int]:
    ids = []
    for text in request.form.getlist(name):
        try:
            ids.append(id_from_text(text))
        except ValueError:
            _add(errors, name, [gettext("Not a valid id.")])
    return ids


def _payload(errors: dict) -> dict:
    """The form as `DispatchIn` reads a request body: one role for the volunteers picked,
    one for the equipment."""
    typed = {name: (request.form.get(name) or "").strip() for name in TEXTS}
    payload = {name: value for name, value in typed.items()
               if value and name not in ("role", "equipment_role")}
    payload["volunteers"] = [{"volunteer_id": volunteer_id, "role": typed["role"]}
                             for volunteer_id in _ids("volunteer_ids", errors)]
    payload["equipment"] = [{"equipment_id": item_id, "role": typed["equipment_role"]}
                            for item_id in _ids("equipment_ids", errors)]
    for name in ("posko_id", "team_id"):
        if request.form.get(name):
            ids = _ids(name, errors)
            if ids:
                payload[name] = ids[0]
    return payload


@bp.post("/events/<int:event_id>/dispatches")
@reshows_on_expiry
@require(Permission.DISPATCH)
def board_dispatch(event_id: int):
    """Dispatch from the board; a resent form (same token) shows the first dispatch."""
    event = event_or_fail(db.session, event_id)
    form = TokenForm()
    values = request.form.to_dict(flat=False)
    values = {key: value if key.endswith("_ids") else value[0] for key, value in values.items()}
    if not form.validate_on_submit() or not form.form_token.data:
        return render_board(event, values=values, form=fresh_token_form(), errors={
            "_": [gettext("The form has expired; please try again.")]}, status=400)
    token = form.form_token.data
    earlier = idempotency.made_with(db.session, current_user, token)
    if isinstance(earlier, Dispatch):
        return redirect(url_for("roster.board_page", event_id=event.id, dispatch=earlier.id))
    errors: dict = {}
    payload = _payload(errors)
    try:
        data = DispatchIn().load(payload)
    except ValidationError as error:
        for key, messages_ in field_messages(error.messages).items():
            _add(errors, key, messages_)
    if errors:
        return render_board(event, values=values, errors=errors, form=form, status=422)
    try:
        record = dispatch.dispatch(db.session, actor=current_user, idempotency_key=token,
                                   **_within(event, data))
    except DomainError as error:
        db.session.rollback()
        for problem in getattr(error, "problems", None) or [error]:
            _add(errors, problem.field or "_", [translate_error(problem)])
        return render_board(event, values=values, errors=errors, form=form,
                            status=status_for(error))
    db.session.commit()
    flash(gettext("Dispatch %(number)s sent: %(count)s deployments.", number=record.number,
                  count=len(record.deployments)), "success")
    return redirect(url_for("roster.board_page", event_id=event.id, dispatch=record.id))


def _within(event: Event, data: dict) -> dict:
    """A posko of another event is refused on the form's posko field."""
    board.posko_of_event(db.session, event, data["posko_id"], field="posko_id")
    return data
