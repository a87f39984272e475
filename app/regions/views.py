"""Regions browser: kabupaten -> kecamatan -> desa, with search by name or code."""

from __future__ import annotations

from flask import Blueprint, render_template

from app.extensions import db
from app.forms_support import query_text
from app.pagination import keyset_page
from app.security import require
from logistics.accounts.roles import Permission
from logistics.regions import queries

bp = Blueprint("regions", __name__, url_prefix="/regions", template_folder="templates")

PAGE_SIZE = 100


@bp.get("/")
@require(Permission.VIEW_REGIONS)
def index():
    search = query_text("q", 60)
    rows = queries.list_regions(db.session, search=search, after=query_text("after", 13),
                                limit=PAGE_SIZE + 1)
    page = keyset_page(rows, limit=PAGE_SIZE, key=lambda region: region.code)
    return render_template("regions/index.html", regions=page["items"], search=search or "",
                           next_after=page["next"])


@bp.get("/<code:code>")
@require(Permission.VIEW_REGIONS)
def show(code: str):
    region = queries.get_region(db.session, code)
    rows = queries.list_regions(db.session, parent_code=code, after=query_text("after", 13),
                                limit=PAGE_SIZE + 1)
    page = keyset_page(rows, limit=PAGE_SIZE, key=lambda child: child.code)
    return render_template(
        "regions/show.html", region=region, trail=queries.ancestors(db.session, region),
        children=page["items"], counts=queries.count_descendants_by_kind(db.session, code),
        next_after=page["next"],
    )
