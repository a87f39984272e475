"""The layers the maps share, each turning plain rows (maps/rows.py) into one DataLayer or
ClusterLayer: compact rows for lumbung-maps.js plus the translated words it shows.

Row layouts (the JavaScript reads them by position; keep both sides in step):
  area:       [geometry (maps.geometry.encode), name, parent, shade | null, figures[], link]
  posko:      {"at": lat/lon as one polyline, "rows": [[kind * 2 + closed, name, desa,
               link, persons, volunteers, equipment, groups[], needs[], cover], ...]}
               with desa, groups and needs indexes into tables of the context, and the
               fields at their default left off the end (maps.codec.POSKO)
  warehouse:  [lat, lon, status, name, kind label, items low, lots expiring, lots expired, link]
  transfer:   [from lat, from lon, to lat, to lon, number, from, to, sent on, lines, link]
  deployment: [lat, lon, radius, name, volunteers, equipment, skills[], link]
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from maps.base import ClusterLayer, DataLayer, LinkCodec, Links, base_context, class_token
from maps.base import coordinate as c
from maps.classes import breaks_for, class_of
from maps.codec import POSKO, link_steps, polyline, short_number, steps
from maps.geometry import display_encoded
from maps.i18n import N_, _
from maps.legend import shade_of
from maps.rows import AreaRow, DeploymentRow, PoskoRow, TransferRow, WarehouseRow

# Figures an area row may carry, in the order popups list them.
FIGURE_LABELS = {
    "displaced": N_("Displaced people"),
    "dead": N_("Dead"),
    "missing": N_("Missing persons"),
    "injured": N_("Injured"),
    "houses_heavy": N_("Houses heavily damaged"),
    "houses_moderate": N_("Houses moderately damaged"),
    "houses_light": N_("Houses lightly damaged"),
    "facilities_damaged": N_("Public facilities damaged"),
    "volunteers_available": N_("Volunteers available"),
    "volunteers_deployed": N_("Volunteers deployed"),
}
STATUS_LABELS = {
    "ok": N_("Stock sufficient"),
    "low": N_("Stock low"),
    "empty": N_("Out of stock"),
    "expiring": N_("Lots expiring"),
}
COVER_ALERT_DAYS = 3  # fewer days of cover than this shows in red


def figure_label(key: str) -> str:
    return _(FIGURE_LABELS[key]) if key in FIGURE_LABELS else key


def area_layer(areas: Sequence[AreaRow], measure: str, *, links: Links, name: str,
               label_figure: str | None = None) -> tuple[DataLayer, list[int]]:
    """Areas shaded by ``measure`` in classes; returns the layer and the class bounds."""
    drawn = [area for area in areas if area.get("geometry") is not None
             and not area["geometry"].is_empty]
    keys = [key for key in FIGURE_LABELS if any(key in a["figures"] for a in drawn)]
    keys += sorted({key for a in drawn for key in a["figures"]} - set(keys))
    bounds = breaks_for([a["figures"].get(measure, 0) for a in drawn])
    codec = LinkCodec(links, drawn[0]["kind"] if drawn else "desa", [a["code"] for a in drawn])
    rows = []
    for area, link in zip(drawn, codec.suffixes, strict=True):
        figures = area["figures"]
        shade = shade_of(class_of(figures.get(measure), bounds), len(bounds))
        rows.append([display_encoded(area["code"], area["geometry"]), area["name"],
                     area.get("parent_name", ""), shade, [figures.get(key) for key in keys],
                     link])
    ctx = {**base_context(), "link": codec.prefix, "figures": [figure_label(k) for k in keys],
           "labels": True,
           "labelFigure": keys.index(label_figure) if label_figure in keys else None}
    return DataLayer("areas", rows, ctx, name=name), bounds


def posko_layer(posko: Sequence[PoskoRow], *, links: Links, name: str) -> ClusterLayer:
    """Posko clustered, a marker shape per kind, popups built from the rows in the browser
    (the encoding: maps.codec.POSKO and `posko_data`)."""
    data, tables = posko_data(posko, links)
    ctx = {**base_context(), **tables, "coverAlert": COVER_ALERT_DAYS, "text": {
               "persons": _("People sheltered"), "volunteers": _("Volunteers"),
               "equipment": _("Equipment"), "cover": _("Days of cover"), "days": _("days"),
               "noNeeds": _("nothing needed"), "groups": _("Evacuees by group"),
               "unmet": _("Unmet needs"), "closed": _("closed")}}
    return ClusterLayer("posko", data, ctx, name=name)


def posko_data(posko: Sequence[PoskoRow], links: Links) -> tuple[dict, dict]:
    """The posko as {"at": polyline of lat/lon, "rows": [...]} and the tables the rows
    index (kinds, desa, groups, needs, links); one pass, as 5,000 rows must take ~10 ms."""
    kinds: dict[str, int] = {}
    kind_table: list[list[str]] = []
    desa: dict[str, int] = {}
    groups: dict[str, int] = {}
    needs: dict[str, int] = {}
    codec = LinkCodec(links, "posko", [p["id"] for p in posko])
    suffixes, stepped = link_steps(codec.suffixes)
    rows = []
    append = rows.append
    for row, link in zip(posko, suffixes, strict=True):
        kind = kinds.get(row["kind"])
        if kind is None:
            kind = kinds[row["kind"]] = len(kind_table)
            kind_table.append([class_token(row["kind"]), row["kind_label"]])
        counts: list[int] = []
        for label, count in row["groups"].items():
            index = groups.get(label)
            if index is None:
                index = groups[label] = len(groups)
            if index >= len(counts):
                counts += [0] * (index + 1 - len(counts))
            counts[index] = count
        while counts and not counts[-1]:
            counts.pop()
        place = desa.get(row["desa_name"])
        if place is None:
            place = desa[row["desa_name"]] = len(desa)
        lines = row["unmet_needs"]
        cover = row["days_of_cover"]
        encoded = [kind * 2 + (0 if row["is_open"] else 1), row["name"], place, link,
                   row["persons"], row["volunteers"], row["equipment"], counts,
                   [needs.setdefault(line, len(needs)) for line in lines] if lines else [],
                   None if cover is None else short_number(cover)]
        # trimmed(encoded, POSKO), written out: this loop runs once per posko
        end = 10
        while end > 4 and encoded[end - 1] == POSKO[end - 1]:
            end -= 1
        append(encoded if end == 10 else encoded[:end])
    data = {"at": polyline(steps((p["lat"], p["lon"]) for p in posko)), "rows": rows}
    return data, {"link": codec.prefix, "linkStep": stepped, "kinds": kind_table,
                  "desa": list(desa), "groups": list(groups), "needs": list(needs)}


def warehouse_layer(warehouses: Sequence[WarehouseRow], *, links: Links,
                    name: str) -> DataLayer:
    """Warehouses as squares coloured by stock status, ringed when lots expire."""
    statuses = list(STATUS_LABELS)
    codec = LinkCodec(links, "warehouse", [w["id"] for w in warehouses])
    rows = []
    for row, link in zip(warehouses, codec.suffixes, strict=True):
        status = row["status"] if row["status"] in STATUS_LABELS else "ok"
        rows.append([c(row["lat"]), c(row["lon"]), statuses.index(status), row["name"],
                     row["kind_label"], row["items_low"], row["lots_expiring"],
                     row["lots_expired"], link])
    ctx = {**base_context(), "link": codec.prefix,
           "statuses": [[key, _(STATUS_LABELS[key])] for key in statuses],
           "text": {"status": _("Status"), "itemsLow": _("Items below their floor"),
                    "lotsExpiring": _("Lots expiring soon"), "lotsExpired": _("Lots expired")}}
    return DataLayer("warehouses", rows, ctx, name=name)


def transfer_layer(transfers: Sequence[TransferRow], *, links: Links, name: str) -> DataLayer:
    """Transfers sent and not received, as dashed lines from origin to destination."""
    codec = LinkCodec(links, "transfer", [t["id"] for t in transfers])
    rows = [[c(t["from_lat"]), c(t["from_lon"]), c(t["to_lat"]), c(t["to_lon"]), t["number"],
             t["from_name"], t["to_name"], t["sent_on"], t["lines"], link]
            for t, link in zip(transfers, codec.suffixes, strict=True)]
    ctx = {**base_context(), "link": codec.prefix,
           "text": {"sentOn": _("Sent on"), "lines": _("Lines")}}
    return DataLayer("transfers", rows, ctx, name=name)


def deployment_radius(volunteers: int) -> float:
    """Circle radius in pixels: area grows with the number of people, capped for big posts."""
    return round(min(30.0, 5 + 3 * math.sqrt(max(volunteers, 0))), 1)


def deployment_layer(deployments: Sequence[DeploymentRow], *, links: Links,
                     name: str) -> DataLayer:
    """Volunteers and equipment at each posko as circles sized by the number of volunteers."""
    skills: dict[str, int] = {}
    codec = LinkCodec(links, "posko", [d["posko_id"] for d in deployments])
    rows = []
    for row, link in zip(deployments, codec.suffixes, strict=True):
        counts: list[int] = []
        for label, count in row["by_skill"].items():
            index = skills.setdefault(label, len(skills))
            counts += [0] * (index + 1 - len(counts))
            counts[index] = count
        rows.append([c(row["lat"]), c(row["lon"]), deployment_radius(row["volunteers"]),
                     row["posko_name"], row["volunteers"], row["equipment"], counts, link])
    ctx = {**base_context(), "link": codec.prefix, "skills": list(skills),
           "text": {"volunteers": _("Volunteers deployed"), "equipment": _("Equipment"),
                    "skills": _("By skill")}}
    return DataLayer("deployments", rows, ctx, name=name)
