"""The SLRT monitoring page: a desa's, a kecamatan's or the kabupaten's pipeline as the
viewer may see it; and the SLRT card other areas' pages show (the emergency event page asks
here, so the emergency package never imports the referrals one)."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext
from flask_login import current_user

from app.extensions import db
from app.referrals.blueprint import bp
from app.security import require
from logistics.accounts.roles import Permission
from logistics.db import utcnow
from logistics.referrals import monitoring
from logistics.referrals.case_models import SOURCE_LABELS, Source
from logistics.referrals.flows import CASE_FLOW, REFERRAL_FLOW
from logistics.referrals.monitoring_schemas import monitoring_out


def status_label(status: str) -> str:
    """A case's or a referral's status in the reader's words."""
    flow = CASE_FLOW if status in CASE_FLOW.labels else REFERRAL_FLOW
    return gettext(flow.label(status))


def source_label(source: str) -> str:
    try:
        return gettext(SOURCE_LABELS[Source(source)])
    except ValueError:
        return source


def area_args() -> dict:
    """The area filter of the query string; blanks are the whole kabupaten."""
    return {name: request.args.get(name, "").strip()[:20] or None
            for name in ("kecamatan", "desa")}


@bp.app_context_processor
def _slrt_labels():
    return {"slrt_status_label": status_label, "slrt_source_label": source_label,
            "slrt_event_card": _event_card}


def _event_card(event) -> dict | None:
    """An event's SLRT numbers for its page: households referred and where they stand. Only
    numbers, for whoever may see cases or the event; None for anyone else."""
    if not current_user.is_authenticated or not (
            current_user.can(Permission.VIEW_CASES) or current_user.can(Permission.VIEW_EMERGENCY)):
        return None
    return monitoring.cases_for_event(db.session, event.id)


@bp.get("/monitoring")
@require(Permission.VIEW_CASES)
def monitoring_page():
    """Cases per step with medians and overdue, referrals per programme, sources, events."""
    area = area_args()
    figures = monitoring.monitoring(db.session, current_user, now=utcnow(), **area)
    data = monitoring_out(figures)
    widest = max([line["cases"] for line in data["steps"]] + [1])
    widest_programme = max([line["total"] for line in data["programmes"]] + [1])
    statuses = sorted({status for line in data["programmes"] for status in line["by_status"]},
                      key=list(REFERRAL_FLOW.labels).index)
    return render_template(
        "referrals/monitoring.html", figures=figures, data=data, area=area, widest=widest,
        widest_programme=widest_programme, referral_statuses=statuses,
        choices=monitoring.kecamatan_choices(db.session, current_user),
        export_args={name: value for name, value in area.items() if value})
