"""Needs pages: an event's and a posko's needs against the standards, and the standards form.

Phone first: each standard is a card with needed / delivered / available / missing in its
measure and in the main item's units, and days of cover, red under three days.
"""

from __future__ import annotations

from babel.numbers import NumberFormatError, format_decimal, parse_decimal
from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from marshmallow import ValidationError

from app.emergency.blueprint import bp
from app.errors import field_messages
from app.extensions import db
from app.i18n import translate_error
from app.security import require
from logistics.accounts.roles import Permission
from logistics.calendar import local_today
from logistics.emergency import overview, standard_edits
from logistics.emergency.models import POSKO_KIND_LABELS
from logistics.emergency.needs import Group, Per
from logistics.emergency.overview_schemas import NeedsQuery, StandardsIn
from logistics.emergency.standard_labels import (
    GROUP_LABELS,
    MEASURE_LABELS,
    PER_LABELS,
    STANDARD_LABELS,
)
from logistics.errors import DomainError
from logistics.stock import queries as stock_queries

SPARE_SUPPLY_ROWS = 2  # empty item rows under each standard, to add an item


@bp.app_context_processor
def _needs_helpers():
    return {"standard_label": _label(STANDARD_LABELS), "measure_label": _label(MEASURE_LABELS),
            "group_label": _label(GROUP_LABELS), "per_label": _label(PER_LABELS),
            "posko_kind_label": _label(POSKO_KIND_LABELS),
            "low_cover_days": overview.LOW_COVER_DAYS, "decimal_text": decimal_text}


def _label(table):
    def label(code):
        found = table.get(code)
        return gettext(found) if found else code
    return label


def _days() -> int:
    """The horizon asked for in ``?days=`` (1 to 365), else the default week."""
    typed = request.args.get("days", "").strip()
    try:
        return NeedsQuery().load({"days": int(typed)} if typed.isdigit() else {})["days"]
    except (ValidationError, ValueError):
        return overview.DEFAULT_DAYS


@bp.get("/events/<int:event_id>/needs")
@require(Permission.VIEW_EMERGENCY)
def event_needs(event_id: int):
    """The event's needs, affected totals and each open posko's cover."""
    needs = overview.event_needs(db.session, event_id, today=local_today(), days=_days())
    return render_template("emergency/event_needs.html", needs=needs,
                           language=str(get_locale()))


@bp.get("/posko/<int:posko_id>/needs")
@require(Permission.VIEW_EMERGENCY)
def posko_needs(posko_id: int):
    today, days = local_today(), _days()
    posko, event = overview.posko_needs(db.session, posko_id, today=today, days=days)
    return render_template("emergency/posko_needs.html", posko=posko, event=event, days=days,
                           today=today, language=str(get_locale()))


def decimal_text(value) -> str:
    """An amount as the reader types it back: "3,5" or "2.100" in Indonesian."""
    return format_decimal(value, "#,##0.###", locale=get_locale())


def _typed_amount(text: str):
    """Typed text in the page's language ("3,5", "2.100") as the schema's decimal string;
    what is no number there becomes one the schema refuses with its own message."""
    try:
        return format(parse_decimal(text.strip(), locale=get_locale(), strict=True), "f")
    except (NumberFormatError, ValueError):
        return "?"  # "1.5" is no number in Indonesian: refused, never read as 1,5 or 15


def _typed_id(text: str):
    text = text.strip()
    return int(text) if text.isdigit() and len(text) < 11 else text


def _typed_rows(code: str) -> list[tuple[str, str]]:
    """The item rows of one standard as typed: (item, content), blank rows included."""
    return list(zip(request.form.getlist(f"item-{code}"),
                    request.form.getlist(f"content-{code}"), strict=False))


def _posted_standards(rows: list[dict]) -> tuple[list[dict], dict[str, list[int]]]:
    """What the form sent, shaped as the API's body (StandardsIn), blank item rows dropped;
    and for each standard the form row each sent supply came from."""
    payload, origin = [], {}
    for row in rows:
        code = row["code"]
        kept = [(index, item, content) for index, (item, content)
                in enumerate(_typed_rows(code)) if item.strip() or content.strip()]
        origin[code] = [index for index, _, _ in kept]
        payload.append({"code": code, "amount": _typed_amount(request.form.get(
            f"amount-{code}", "")), "group": request.form.get(f"group-{code}", ""),
            "per": request.form.get(f"per-{code}", ""), "supplies": [
                {"item_id": _typed_id(item), "content": _typed_amount(content)}
                for _, item, content in kept]})
    return payload, origin


def _problems(messages: dict, rows: list[dict], origin) -> dict[str, list[str]]:
    """Schema or domain messages keyed by the form's input names (``amount-water``,
    ``item-blanket-1``); anything else under ``_form``."""
    found: dict[str, list[str]] = {}
    for path, texts in messages.items():
        parts = path.split(".")
        name = "_form"
        if len(parts) >= 3 and parts[0] == "standards" and parts[1].isdigit() \
                and int(parts[1]) < len(rows):
            code = rows[int(parts[1])]["code"]
            name = f"{parts[2]}-{code}"
            if parts[2] == "supplies" and len(parts) == 5 and parts[3].isdigit():
                row = origin[code][int(parts[3])] if int(parts[3]) < len(origin[code]) else 0
                name = f"{'item' if parts[4] == 'item_id' else 'content'}-{code}-{row}"
        found.setdefault(name, []).extend(texts)
    return found


@bp.route("/standards", methods=["GET", "POST"])
@require(Permission.MANAGE_STANDARDS)
def standards():
    """The needs standards and the items meeting them; the first save writes Sphere's table."""
    form, status, problems = FlaskForm(), 200, {}
    rows = standard_edits.standards_table(db.session)
    items = stock_queries.list_items(db.session, limit=1000)
    if form.validate_on_submit():
        posted, origin = _posted_standards(rows)
        try:
            data = StandardsIn().load({"standards": posted})
        except ValidationError as error:
            problems = _problems(field_messages(error.messages), rows, origin)
        else:
            try:
                standard_edits.set_standards(db.session, actor=current_user,
                                             standards=data["standards"])
            except DomainError as error:
                db.session.rollback()
                problems = _problems({error.field or "_form": [translate_error(error)]}, rows,
                                     origin)
            else:
                db.session.commit()
                flash(gettext("The needs standards were saved."), "success")
                return redirect(url_for("emergency.standards"))
        status = 422
        rows = _as_typed(rows)
        for name, texts in problems.items():
            if name == "_form":
                for text in texts:
                    flash(text, "danger")
        if any(name != "_form" for name in problems):
            flash(gettext("Nothing was saved: correct the fields marked below."), "danger")
    for row in rows:  # a refused form comes back with its own rows, blank ones included
        row["slots"] = [*row["supplies"], *[None] * (0 if row.get("typed") else
                                                     SPARE_SUPPLY_ROWS)]
    return render_template("emergency/standards.html", form=form, rows=rows, items=items,
                           groups=list(Group), pers=list(Per), problems=problems,
                           language=str(get_locale())), status


def _as_typed(rows: list[dict]) -> list[dict]:
    """The table as it was typed, so a refused form comes back with what was written."""
    return [{**row, "typed": True, "amount": request.form.get(f"amount-{row['code']}", ""),
             "group": request.form.get(f"group-{row['code']}", ""),
             "per": request.form.get(f"per-{row['code']}", ""),
             "supplies": [{"item_id": item, "content": content}
                          for item, content in _typed_rows(row["code"])]}
            for row in rows]
