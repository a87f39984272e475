"""Regions browser: kabupaten -> kecamatan -> desa, with search by name or code."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from app.extensions import db
from app.security import require
from logistics.accounts.roles import Permission
from logistics.regions import queries

bp = Blueprint("regions", __name__, url_prefix="/regions", template_folder="templates")

PAGE_SIZE = 100


@bp.get("/")
@require(Permission.VIEW_REGIONS)
def index():
    search = (request.args.get("q") or "").strip()
    after = request.args.get("after") or None
    if search:
        rows = queries.list_regions(db.session, search=search, after=after, limit=PAGE_SIZE + 1)
    else:
        rows = queries.list_regions(db.session, after=after, limit=PAGE_SIZE + 1)
    return render_template("regions/index.html", regions=rows[:PAGE_SIZE], search=search,
                           next_after=rows[PAGE_SIZE - 1].code if len(rows) > PAGE_SIZE else None)


@bp.get("/<code>")
@require(Permission.VIEW_REGIONS)
def show(code: str):
    region = queries.get_region(db.session, code)
    after = request.args.get("after") or None
    rows = queries.list_regions(db.session, parent_code=code, after=after, limit=PAGE_SIZE + 1)
    return render_template(
        "regions/show.html", region=region, trail=queries.ancestors(db.session, region),
        children=rows[:PAGE_SIZE], counts=queries.count_descendants_by_kind(db.session, code),
        next_after=rows[PAGE_SIZE - 1].code if len(rows) > PAGE_SIZE else None,
    )
