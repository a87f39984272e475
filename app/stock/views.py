"""Stock pages that read: warehouses, balances, stock cards, documents, alerts."""

from app.stock.blueprint import bp  # noqa: F401
