"""Stock pages that post: receive, issue, transfer, receive a transfer, count, adjust, reverse."""

from app.stock.blueprint import bp  # noqa: F401
