"""Keyset pagination shared by pages and the API: no OFFSET, so page N costs what page 1 does."""

from __future__ import annotations

from collections.abc import Callable

from marshmallow import Schema, fields


def keyset_page(rows: list, *, limit: int, key) -> dict:
    """Turn up to limit+1 rows into a page; the extra row only proves a next page exists."""
    items = rows[:limit]
    has_more = len(rows) > limit
    return {"items": items, "next": key(items[-1]) if has_more and items else None}


def page_of(rows, *, limit: int, after=None, sort_key: Callable, cursor: Callable = str) -> dict:
    """Page a list that is computed whole anyway (every warehouse's alert level, on-hand
    summed per item, the lots on a shelf): the same envelope and cursor as `keyset_page`.

    ``sort_key(row)`` orders the rows and is unique; ``after`` is a decoded cursor (the
    query schema turns the ``next`` text back into a sort key); ``cursor(sort_key)`` writes
    ``next``.
    """
    ordered = sorted(rows, key=sort_key)
    if after is not None:
        ordered = [row for row in ordered if sort_key(row) > after]
    return keyset_page(ordered[:limit + 1], limit=limit, key=lambda row: cursor(sort_key(row)))


def page_schema(item_schema: type[Schema], name: str) -> type[Schema]:
    """Build the response envelope every API list uses: items plus the next cursor."""
    return type(name, (Schema,), {
        "items": fields.List(fields.Nested(item_schema)),
        "next": fields.String(allow_none=True, metadata={
            "description": "pass as `after` to get the next page; null on the last page"
        }),
    })
