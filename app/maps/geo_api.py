"""The GeoJSON API (`/api/v1/geo/…`): map layers QGIS or a phone's map loads as they stand.

Each answer is a plain FeatureCollection served as ``application/geo+json``, built by
`maps.geojson` from the rows of `logistics.geo`, so it holds only the properties each layer
allows: no household, NIK, No. KK, name of a volunteer or home.
"""

from __future__ import annotations

import json

from flask import Response
from flask_babel import get_locale, gettext

from app.api_support import ApiBlueprint
from app.extensions import db
from app.maps import geo_schemas as s
from app.security import require
from logistics.accounts.roles import Permission
from logistics.calendar import local_today
from logistics.db import utcnow
from logistics.emergency.lookups import event_or_fail
from logistics.geo import roster_sites, situation, stock_sites
from maps import geojson

blp = ApiBlueprint("geo_api", __name__, url_prefix="/api/v1/geo",
                   description="Map layers as GeoJSON (RFC 7946, WGS84), loadable in QGIS")


def _geojson(collection: dict) -> Response:
    return Response(json.dumps(collection, ensure_ascii=False, separators=(",", ":")),
                    mimetype=s.GEO_JSON)


def _language() -> str:
    return str(get_locale() or "id")


@blp.get("/events/<int:event_id>/posko")
@require(Permission.VIEW_EMERGENCY)
@blp.response(200, s.POSKO, content_type=s.GEO_JSON)
def get_event_posko(event_id):
    """The event's posko with their popups' figures."""
    event, rows = situation.event_posko(db.session, event_id, today=local_today(),
                                        translate=gettext, language=_language())
    return _geojson(geojson.posko_collection(rows, name=f"posko {event.number}"))


@blp.get("/events/<int:event_id>/desa")
@require(Permission.VIEW_EMERGENCY)
@blp.response(200, s.DESA, content_type=s.GEO_JSON)
def get_event_desa(event_id):
    """The event's affected desa with their figures, on their boundaries."""
    event, rows = situation.event_areas(db.session, event_id, today=local_today())
    return _geojson(geojson.area_collection(rows, name=f"desa {event.number}",
                                            tolerance=s.DESA_TOLERANCE))


@blp.get("/events/<int:event_id>/deployments")
@require(Permission.VIEW_EMERGENCY)
@blp.response(200, s.DEPLOYMENTS, content_type=s.GEO_JSON)
def get_event_deployments(event_id):
    """Volunteers and equipment present at each of the event's posko, as counts."""
    event = event_or_fail(db.session, event_id)
    rows = roster_sites.deployment_rows(db.session, now=utcnow(), event_id=event.id,
                                        translate=gettext)
    return _geojson(geojson.deployment_collection(rows, name=f"deployments {event.number}"))


@blp.get("/deployments")
@require(Permission.VIEW_EMERGENCY)
@blp.response(200, s.DEPLOYMENTS, content_type=s.GEO_JSON)
def get_deployments():
    """Volunteers and equipment present at every posko, as counts."""
    rows = roster_sites.deployment_rows(db.session, now=utcnow(), translate=gettext)
    return _geojson(geojson.deployment_collection(rows, name="deployments"))


@blp.get("/warehouses")
@require(Permission.VIEW_STOCK)
@blp.response(200, s.WAREHOUSES, content_type=s.GEO_JSON)
def get_warehouses():
    """Active warehouses with their stock status."""
    rows = stock_sites.warehouse_rows(db.session, today=local_today(), translate=gettext)
    return _geojson(geojson.warehouse_collection(rows, name="warehouses"))


@blp.get("/transfers")
@require(Permission.VIEW_STOCK)
@blp.response(200, s.TRANSFERS, content_type=s.GEO_JSON)
def get_transfers():
    """Transfers in transit, as lines."""
    return _geojson(geojson.transfer_collection(stock_sites.transfer_rows(db.session),
                                                name="transfers in transit"))


@blp.get("/kecamatan/volunteers")
@require(Permission.VIEW_ROSTER)
@blp.response(200, s.KECAMATAN, content_type=s.GEO_JSON)
def get_kecamatan_volunteers():
    """Volunteers per kecamatan: active, available, deployed (counts only)."""
    rows = roster_sites.kecamatan_volunteers(db.session, today=local_today(), now=utcnow())
    return _geojson(geojson.area_collection(rows, name="volunteers per kecamatan",
                                            tolerance=s.DESA_TOLERANCE))
