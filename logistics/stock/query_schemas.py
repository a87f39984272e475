"""What the stock API's lists accept as filters and cursors. A cursor is the `next` of the
previous page, decoded here to the list's sort key so a bad one is a 422 on `after`, not a
500 deep in a query."""

from datetime import date

from marshmallow import Schema, ValidationError, post_load, validate

from logistics.core.fields import Choice, Id, Limit, Text
from logistics.i18n import N_
from logistics.stock.documents import DocumentKind, TransferStatus
from logistics.stock.models import Category


class PageQuery(Schema):
    after = Id(metadata={"description": "cursor: the `next` of the previous page"})
    limit = Limit()


class DocumentQuery(PageQuery):
    warehouse_id = Id()
    incoming_to = Id(metadata={"description": "transfers heading to this warehouse"})
    kind = Choice([k.value for k in DocumentKind])
    status = Choice([s.value for s in TransferStatus])


class ItemQuery(Schema):
    q = Text(60, min_length=1)
    category = Choice([c.value for c in Category])
    after = Text(30, metadata={"description": "cursor: the `next` of the previous page"})
    limit = Limit()


class WarehouseFilter(Schema):
    warehouse_id = Id()


def _cursor(pattern: str, decode):
    """A cursor field: text in the ``next`` format, decoded to the list's sort key on load."""
    return Text(60, validate=validate.Regexp(pattern, error=N_(
        "Use the next value of the previous page.")), metadata={
        "description": "cursor: the `next` of the previous page"}), staticmethod(decode)


class _KeyedPage(Schema):
    """A page of a list computed whole and paged by a composite key (see app.pagination)."""

    decode = staticmethod(lambda text: text)
    limit = Limit()

    @post_load
    def cursor_as_key(self, data, **kwargs):
        if "after" in data:
            try:
                data["after"] = self.decode(data["after"])
            except ValueError as error:
                raise ValidationError(N_("Use the next value of the previous page."),
                                      "after") from error
        return data


class WarehousePageQuery(_KeyedPage):
    after = Text(20, metadata={"description": "cursor: the `next` of the previous page"})


class OnHandQuery(_KeyedPage):
    warehouse_id = Id()
    after, decode = _cursor(r"^[^:]{1,30}:[^:]{1,30}$", lambda text: tuple(text.split(":")))


def _lot_key(text: str) -> tuple:
    item_id, expires_on, lot_id = text.split(":")
    expiry = None if expires_on == "-" else date.fromisoformat(expires_on)
    return lot_sort_key(int(item_id), expiry, int(lot_id))


def lot_sort_key(item_id: int, expires_on: date | None, lot_id: int) -> tuple:
    """The lot picker's order: by item, first expiry first, lots without expiry last."""
    return (item_id, expires_on is None, expires_on or date.min, lot_id)


def lot_cursor(key: tuple) -> str:
    item_id, no_expiry, expires_on, lot_id = key
    return f"{item_id}:{'-' if no_expiry else expires_on.isoformat()}:{lot_id}"


class LotQuery(_KeyedPage):
    item_id = Id()
    after, decode = _cursor(r"^\d{1,10}:(\d{4}-\d{2}-\d{2}|-):\d{1,10}$", _lot_key)


class ShortfallQuery(Schema):
    warehouse_id = Id(metadata={"description": "the receiving warehouse"})
    after = Text(21, validate=validate.Regexp(
        r"^\d{1,10}:\d{1,10}$", error=N_("Use the next value of the previous page.")),
        metadata={"description": "cursor: the `next` of the previous page"})
    limit = Limit()

    @post_load
    def cursor_as_key(self, data, **kwargs):
        if "after" in data:
            key = tuple(int(part) for part in data["after"].split(":"))
            if max(key) > Id.maximum:
                raise ValidationError(N_("Use the next value of the previous page."), "after")
            data["after"] = key
        return data
