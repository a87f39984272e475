"""Event, status, posko and census pages: what a coordinator opens and posko staff count.

Forms are checked by the API's schemas and posted by the same operations; a one-time token is
the idempotency key, so a double tap or a resent page records once.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from marshmallow import ValidationError
from sqlalchemy import select
from wtforms import HiddenField

from app.emergency.blueprint import bp
from app.errors import field_messages, status_for
from app.extensions import db
from app.forms_support import reshows_on_expiry, typed
from app.i18n import translate_error
from app.security import require
from logistics.accounts import scopes
from logistics.accounts.roles import Permission
from logistics.calendar import field_timezone, local_today
from logistics.core import idempotency
from logistics.emergency import census, events
from logistics.emergency import event_schemas as s
from logistics.emergency.access import ensure_may_record_at
from logistics.emergency.deliveries import status_in_force
from logistics.emergency.lookups import event_area_codes, event_or_fail, posko_or_fail
from logistics.emergency.models import (
    HAZARD_LABELS,
    PHASE_LABELS,
    POSKO_KIND_LABELS,
    Census,
    EmergencyPhase,
    EmergencyStatus,
    Event,
    Hazard,
    Posko,
    PoskoKind,
)
from logistics.errors import DomainError
from logistics.regions.models import Level, Region

EVENT_FIELDS = ("hazard", "name", "started_on", "description")
STATUS_FIELDS = ("phase", "decree_number", "starts_on", "ends_on")
POSKO_FIELDS = ("kind", "name", "desa_code", "opened_on", "latitude", "longitude", "covered_m2",
                "contact_name", "contact_phone")
CENSUS_FIELDS = ("counted_at", "households", "male", "female", "under_five", "pregnant",
                 "breastfeeding", "elderly", "disabled")
COORDINATES = ("latitude", "longitude")
LIST_SIZE = 200
HISTORY_SIZE = 50


class TokenForm(FlaskForm):
    """CSRF plus the one-time token that makes a resent form record once."""

    form_token = HiddenField()


@bp.context_processor
def _event_labels():
    return {"hazard_label": _label(HAZARD_LABELS, Hazard),
            "phase_label": _label(PHASE_LABELS, EmergencyPhase),
            "posko_kind_label": _label(POSKO_KIND_LABELS, PoskoKind)}


def _label(labels, kind):
    def label(value):
        try:
            return gettext(labels[kind(value)])
        except (ValueError, KeyError):
            return value
    return label


def _fresh_form() -> TokenForm:
    form = TokenForm()
    if not form.form_token.data:
        form.form_token.data = uuid.uuid4().hex
    return form


def _typed(names, checker, *, decimals=()) -> dict:
    """What was typed into ``names`` (blanks left out), numbers read in the page's language;
    a decimal comma ("-3,45") is read as a point, as people write coordinates."""
    payload = {name: request.form.get(name, "").strip() for name in names}
    payload = {name: value for name, value in payload.items() if value}
    for name in decimals:
        if name in payload:
            payload[name] = payload[name].replace(",", ".")
    return typed(checker, payload)


def _load(checker, payload) -> tuple[dict, dict]:
    try:
        return checker.load(payload), {}
    except ValidationError as error:
        return error.valid_data or {}, field_messages(error.messages)


def _refusal(error: DomainError) -> dict:
    db.session.rollback()
    problems = getattr(error, "problems", None) or [error]
    found: dict[str, list[str]] = {}
    for problem in problems:
        found.setdefault(problem.field or "_", []).append(translate_error(problem))
    return found


# --- events --------------------------------------------------------------------------------

@bp.get("/events")
@require(Permission.VIEW_EMERGENCY)
def events_list():
    """Events still running first, newest first within each."""
    rows = list(db.session.scalars(select(Event).order_by(
        Event.ended_on.is_not(None), Event.started_on.desc(), Event.id.desc()).limit(LIST_SIZE)))
    today = local_today()
    in_force = {event.id: status_in_force(db.session, event.id, today) for event in rows}
    return render_template("emergency/events.html", events=rows, in_force=in_force, today=today)


def _area_choices() -> list[tuple[Region, list[Region]]]:
    """Each kecamatan of the kabupaten with its desa, by name."""
    regions = db.session.scalars(select(Region).where(
        Region.level.in_([Level.KECAMATAN, Level.DESA])).order_by(Region.name))
    kecamatan, desa = [], defaultdict(list)
    for region in regions:
        if region.level == Level.KECAMATAN:
            kecamatan.append(region)
        else:
            desa[region.parent_code].append(region)
    return [(k, desa[k.code]) for k in kecamatan]


@bp.route("/events/new", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.MANAGE_EVENTS)
def new_event():
    form, errors, status = _fresh_form(), {}, 200
    picked = set(request.form.getlist("region_codes"))
    if form.validate_on_submit():
        earlier = idempotency.made_with(db.session, current_user, form.form_token.data)
        if isinstance(earlier, Event):
            return redirect(url_for("emergency.event", event_id=earlier.id))
        checker = s.EventIn()
        payload = _typed(EVENT_FIELDS, checker)
        payload["region_codes"] = sorted(code.strip() for code in picked if code.strip())
        data, errors = _load(checker, payload)
        status = 422 if errors else 200
        if not errors:
            try:
                event = events.open_new_event(db.session, actor=current_user,
                                              idempotency_key=form.form_token.data, **data)
            except DomainError as error:
                errors, status = _refusal(error), status_for(error)
            else:
                db.session.commit()
                flash(gettext("Event %(number)s was opened.", number=event.number), "success")
                return redirect(url_for("emergency.event", event_id=event.id))
    elif request.method == "POST":
        status = 400
    return render_template("emergency/event_new.html", form=form, errors=errors,
                           values=request.form, picked=picked, areas=_area_choices(),
                           hazards=[(h.value, gettext(HAZARD_LABELS[h])) for h in Hazard],
                           today=local_today()), status


def _event_page(event: Event, *, form=None, errors=None, status=200):
    posko_list = list(db.session.scalars(select(Posko).where(Posko.event_id == event.id)
                                         .order_by(Posko.closed_on.is_not(None), Posko.code)))
    latest = census.latest_censuses(db.session, event_id=event.id)
    standard = census.covered_space(db.session)
    capacity = {p.id: census.capacity_of(p.covered_m2, standard) for p in posko_list}
    today = local_today()
    area = event_area_codes(db.session, event.id)
    return render_template(
        "emergency/event.html", event=event, posko_list=posko_list, latest=latest,
        capacity=capacity, today=today, population=census.event_population(
            db.session, event.id, today), in_force=status_in_force(db.session, event.id, today),
        regions=[r for r in event.regions if r.code in area],
        form=form or _fresh_form(), errors=errors or {},
        values=request.form if errors else {},
        phases=[(p.value, gettext(PHASE_LABELS[p])) for p in EmergencyPhase]), status


@bp.get("/events/<int:event_id>")
@require(Permission.VIEW_EMERGENCY)
def event(event_id: int):
    """The event: hazard, dates, area, status decrees and its posko with their latest count."""
    return _event_page(event_or_fail(db.session, event_id))


@bp.post("/events/<int:event_id>/statuses")
@reshows_on_expiry
@require(Permission.MANAGE_EVENTS)
def record_status(event_id: int):
    the_event = event_or_fail(db.session, event_id)
    form = TokenForm()
    if not form.validate_on_submit():
        return _event_page(the_event, form=_fresh_form(), errors={
            "_": [gettext("The form has expired; please try again.")]}, status=400)
    if isinstance(idempotency.made_with(db.session, current_user, form.form_token.data),
                  EmergencyStatus):
        return redirect(url_for("emergency.event", event_id=the_event.id))
    data, errors = _load(s.StatusIn(), _typed(STATUS_FIELDS, s.StatusIn()))
    if errors:
        return _event_page(the_event, form=form, errors=errors, status=422)
    try:
        status = events.record_status(db.session, actor=current_user, event_id=the_event.id,
                                      idempotency_key=form.form_token.data, **data)
    except DomainError as error:
        return _event_page(the_event, form=form, errors=_refusal(error),
                           status=status_for(error))
    db.session.commit()
    flash(gettext("Status %(decree)s was recorded.", decree=status.decree_number), "success")
    return redirect(url_for("emergency.event", event_id=the_event.id))


# --- posko ---------------------------------------------------------------------------------

def _event_desa(event: Event) -> list[Region]:
    """The desa of the event's area: those it names and every desa of a kecamatan it names."""
    area = event_area_codes(db.session, event.id)
    return list(db.session.scalars(select(Region).where(
        Region.level == Level.DESA,
        Region.code.in_(area) | Region.parent_code.in_(area)).order_by(Region.name)))


@bp.route("/events/<int:event_id>/posko/new", methods=["GET", "POST"])
@reshows_on_expiry
@require(Permission.MANAGE_EVENTS)
def new_posko(event_id: int):
    the_event = event_or_fail(db.session, event_id)
    form, errors, status = _fresh_form(), {}, 200
    if form.validate_on_submit():
        earlier = idempotency.made_with(db.session, current_user, form.form_token.data)
        if isinstance(earlier, Posko):
            return redirect(url_for("emergency.posko", posko_id=earlier.id))
        checker = s.PoskoIn()
        data, errors = _load(checker, _typed(POSKO_FIELDS, checker, decimals=COORDINATES))
        status = 422 if errors else 200
        if not errors:
            try:
                posko = events.open_posko(db.session, actor=current_user,
                                          event_id=the_event.id,
                                          idempotency_key=form.form_token.data, **data)
            except DomainError as error:
                errors, status = _refusal(error), status_for(error)
            else:
                db.session.commit()
                flash(gettext("Posko %(code)s was opened.", code=posko.code), "success")
                return redirect(url_for("emergency.posko", posko_id=posko.id))
    elif request.method == "POST":
        status = 400
    return render_template("emergency/posko_new.html", form=form, errors=errors,
                           values=request.form, event=the_event, today=local_today(),
                           desa_options=[(d.code, d.name) for d in _event_desa(the_event)],
                           kinds=[(k.value, gettext(POSKO_KIND_LABELS[k])) for k in PoskoKind]
                           ), status


def _may_record(posko: Posko) -> bool:
    return current_user.can(Permission.RECORD_POSKO) and scopes.is_within(
        db.session, current_user, Permission.RECORD_POSKO, posko.id)


def _posko_page(posko: Posko, *, form=None, errors=None, values=None, status=200):
    history = census.census_history(db.session, posko.id, limit=HISTORY_SIZE)
    capacity = census.capacity_of(posko.covered_m2, census.covered_space(db.session))
    now = datetime.now(field_timezone()).strftime("%Y-%m-%dT%H:%M")
    return render_template(
        "emergency/posko.html", posko=posko, event=posko.event, history=history,
        latest=history[0] if history else None, capacity=capacity, today=local_today(),
        may_record=_may_record(posko), form=form or _fresh_form(), errors=errors or {},
        values={"counted_at": now, **(values or {})}), status


@bp.get("/posko/<int:posko_id>")
@require(Permission.VIEW_EMERGENCY)
def posko(posko_id: int):
    """The posko: details, capacity against persons, census entry and history."""
    return _posko_page(posko_or_fail(db.session, posko_id))


@bp.post("/posko/<int:posko_id>/censuses")
@reshows_on_expiry
@require(Permission.RECORD_POSKO)
def record_census(posko_id: int):
    place = posko_or_fail(db.session, posko_id)
    ensure_may_record_at(db.session, current_user, place)  # 403 before the form is read
    form = TokenForm()
    if not form.validate_on_submit():
        return _posko_page(place, form=_fresh_form(), values=request.form, errors={
            "_": [gettext("The form has expired; please try again.")]}, status=400)
    if isinstance(idempotency.made_with(db.session, current_user, form.form_token.data), Census):
        return redirect(url_for("emergency.posko", posko_id=place.id))
    checker = s.CensusIn()
    data, errors = _load(checker, _typed(CENSUS_FIELDS, checker))
    if errors:  # the figures that loaded are checked too: one answer for every mistake
        for problem in census.coherence_problems(data):
            if problem.field not in errors:
                errors[problem.field] = [translate_error(problem)]
        return _posko_page(place, form=form, errors=errors, values=request.form, status=422)
    try:
        row = census.record_census(db.session, actor=current_user, posko_id=place.id,
                                   idempotency_key=form.form_token.data, **data)
    except DomainError as error:
        return _posko_page(place, form=form, errors=_refusal(error), values=request.form,
                           status=status_for(error))
    db.session.commit()
    flash(gettext("The census of %(persons)s persons was recorded.", persons=row.persons),
          "success")
    return redirect(url_for("emergency.posko", posko_id=place.id))


@bp.post("/posko/<int:posko_id>/close")
@require(Permission.MANAGE_EVENTS)
def close_posko(posko_id: int):
    """Close the posko on the day given (today if none)."""
    place = posko_or_fail(db.session, posko_id)
    form = TokenForm()
    if not form.validate_on_submit():
        return _posko_page(place, errors={
            "_": [gettext("The form has expired; please try again.")]}, status=400)
    checker = s.PoskoChangeIn()
    data, errors = _load(checker, _typed(("closed_on",), checker))
    typed_day = {"closed_on": request.form.get("closed_on", "").strip()}
    if not errors:
        try:
            events.change_posko(db.session, actor=current_user, posko_id=place.id,
                                closed_on=data.get("closed_on") or local_today())
        except DomainError as error:  # e.g. requests still open: named beside the day
            errors = _refusal(error)
            return _posko_page(place, errors=errors, values=typed_day,
                               status=status_for(error))
        db.session.commit()
        flash(gettext("Posko %(code)s was closed.", code=place.code), "success")
        return redirect(url_for("emergency.posko", posko_id=place.id))
    return _posko_page(place, errors=errors, values=typed_day, status=422)
