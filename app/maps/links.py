"""Where a map's popups lead: the `links(kind, id)` the builders of `maps/` call for every
row, answered with the app's own pages, or None (no link) when the viewer may not open it.

Kinds: "posko" (the posko page), "warehouse" (the warehouse page), "transfer" (the transfer's
stock document), "desa"/"kelurahan" (the event's assessments filtered to that desa; only on
an event's map) and "kecamatan" (the roster filtered to the volunteers available there).

The builders ask once per row, so each kind's URL is built once with `url_for` around a
marker and the row's id put in its place: 5,000 posko cost 5,000 string joins, not 5,000
route lookups.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from flask import url_for
from flask_login import current_user

from logistics.accounts.roles import Permission

# Stands for the row's id while the URL is built: a number for <int:...> routes, a word in a
# query string; neither can occur in a route's own text.
ID = 9_007_199_254_740_991
CODE = "MAPROWCODE"

# kind -> (permission to open the page, endpoint, its arguments with ID or CODE for the row's)
PAGES: dict[str, tuple[Permission, str, dict[str, Any]]] = {
    "posko": (Permission.VIEW_EMERGENCY, "emergency.posko", {"posko_id": ID}),
    "warehouse": (Permission.VIEW_STOCK, "stock.warehouse", {"warehouse_id": ID}),
    "transfer": (Permission.VIEW_STOCK, "stock.document", {"document_id": ID}),
    "kecamatan": (Permission.VIEW_ROSTER, "roster.volunteers",
                  {"kecamatan_code": CODE, "available_now": "1"}),
}
EVENT_PAGES = {
    "desa": (Permission.VIEW_EMERGENCY, "emergency.assessments_index", {"desa_code": CODE}),
}
EVENT_PAGES["kelurahan"] = EVENT_PAGES["desa"]

Links = Callable[[str, Any], "str | None"]


def _template(permission: Permission, endpoint: str, args: dict) -> tuple[str, str] | None:
    """The page's URL split around the row's id, or None when the viewer may not open it."""
    if not current_user.can(permission):
        return None
    mark = str(ID) if ID in args.values() else CODE
    head, _mark, tail = url_for(endpoint, **args).partition(mark)
    return head, tail


def page_links(event_id: int | None = None) -> Links:
    """The links of one map; with ``event_id`` its desa lead to that event's pages."""
    pages = dict(PAGES)
    if event_id is not None:
        pages.update({kind: (permission, endpoint, {"event_id": event_id, **args})
                      for kind, (permission, endpoint, args) in EVENT_PAGES.items()})
    templates: dict[str, tuple[str, str] | None] = {}

    def links(kind: str, ident: Any) -> str | None:
        if kind not in templates:
            templates[kind] = _template(*pages[kind]) if kind in pages else None
        found = templates[kind]
        if found is None or ident is None:
            return None
        return f"{found[0]}{quote(str(ident), safe='')}{found[1]}"

    return links
