"""Keyset pagination shared by pages and the API: no OFFSET, so page N costs what page 1 does."""

from __future__ import annotations

from marshmallow import Schema, fields


def keyset_page(rows: list, *, limit: int, key) -> dict:
    """Turn up to limit+1 rows into a page; the extra row only proves a next page exists."""
    items = rows[:limit]
    has_more = len(rows) > limit
    return {"items": items, "next": key(items[-1]) if has_more and items else None}


def page_schema(item_schema: type[Schema], name: str) -> type[Schema]:
    """Build the response envelope every API list uses: items plus the next cursor."""
    return type(name, (Schema,), {
        "items": fields.List(fields.Nested(item_schema)),
        "next": fields.String(allow_none=True, metadata={
            "description": "pass as `after` to get the next page; null on the last page"
        }),
    })
