"""Lumbung sosial stock: warehouses, items, lots, documents and the ledger they post to.

Where things are: rules and verbs in `operations.py`, the posting engine and balance tables in
`ledger.py`, numbered documents opened once per idempotency key in `idempotency.py`,
load-or-fail helpers in `lookups.py`, reads in `queries.py`, alerts in `alerts.py`,
catalogue set-up in `setup.py`, XLSX in `spreadsheets.py`, who may post where in `access.py`.
"""

from logistics.stock import documents, ledger, models  # noqa: F401  (register every table)
