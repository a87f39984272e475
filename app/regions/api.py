"""Regions over the API: browse by parent, search by name or code, one region with geometry."""

from __future__ import annotations

from app.api_support import ApiBlueprint
from app.extensions import db
from app.pagination import keyset_page, page_schema
from app.security import require
from logistics.accounts.roles import Permission
from logistics.regions import queries
from logistics.regions.schemas import RegionDetailOut, RegionOut, RegionQuery

blp = ApiBlueprint("regions_api", __name__, url_prefix="/api/v1/regions",
                   description="Kemendagri regions: provinsi, kabupaten, kecamatan, desa/kelurahan")

RegionPage = page_schema(RegionOut, "RegionPage")


@blp.get("/")
@require(Permission.VIEW_REGIONS)
@blp.arguments(RegionQuery, location="query")
@blp.response(200, RegionPage)
def get_regions(args):
    """List regions ordered by code; without filters, the top-level units held."""
    limit = args["limit"]
    rows = queries.list_regions(
        db.session, parent_code=args.get("parent"), level=args.get("level"),
        search=args.get("q"), after=args.get("after"), limit=limit + 1,
    )
    return keyset_page(rows, limit=limit, key=lambda region: region.code)


@blp.get("/<code:code>")
@require(Permission.VIEW_REGIONS)
@blp.response(200, RegionDetailOut)
def get_region(code: str):
    """One region with its point, boundary and how many units of each kind lie directly under it."""
    region = queries.get_region(db.session, code)
    region.children_by_kind = queries.count_children_by_kind(db.session, code)
    return region
