"""XLSX downloads of an area's cases and households: numbers in full (and audited) only for
who may export personal data, masked for everyone else (`logistics.referrals.exports`)."""

from __future__ import annotations

import io

from flask import send_file
from flask_babel import gettext
from flask_login import current_user

from app.extensions import db
from app.i18n import moment
from app.referrals.blueprint import bp
from app.referrals.monitoring_views import area_args, source_label, status_label
from app.security import require
from logistics.accounts.roles import Permission
from logistics.calendar import local_today
from logistics.db import utcnow
from logistics.referrals import exports

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _labels(title: str, header: list[str]) -> exports.Labels:
    return exports.Labels(title=title, header=header, status=status_label, source=source_label,
                          yes=gettext("yes"), no=gettext("no"),
                          cut=gettext("only the first %(count)s rows"))


@bp.get("/exports/cases.xlsx")
@require(Permission.VIEW_CASES)
def export_cases():
    now = utcnow()
    content = exports.export_cases(
        db.session, current_user, now=now, exported_at=moment(now), **area_args(),
        labels=_labels(gettext("SLRT cases"), [
            gettext("Case number"), gettext("Step"), gettext("In this step since"),
            gettext("Days in step"), gettext("Overdue"), gettext("Source"), gettext("Event"),
            gettext("Desa"), gettext("No. KK"), gettext("Head of household"), gettext("NIK"),
            gettext("Registered")]))
    db.session.commit()  # the audit rows of a full export
    return _download(content, f"slrt-kasus-{local_today()}.xlsx")


@bp.get("/exports/households.xlsx")
@require(Permission.VIEW_CASES)
def export_households():
    now = utcnow()
    content = exports.export_households(
        db.session, current_user, exported_at=moment(now), **area_args(),
        labels=_labels(gettext("SLRT households"), [
            gettext("No. KK"), gettext("Desa"), gettext("Address"), gettext("RT"),
            gettext("RW"), gettext("Register"), gettext("Welfare decile"),
            gettext("Register checked on"), gettext("Head of household"), gettext("NIK"),
            gettext("Members")]))
    db.session.commit()
    return _download(content, f"slrt-keluarga-{local_today()}.xlsx")


def _download(content: bytes, name: str):
    return send_file(io.BytesIO(content), mimetype=XLSX, as_attachment=True, download_name=name)
