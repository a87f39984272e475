"""Lumbung sosial stock: warehouses, items, lots, documents and the ledger they post to.

Where things are: rules and verbs in `operations.py`, the posting engine and balance tables in
`ledger.py`, numbered documents and the transfer flow in `documents.py`, load-or-fail helpers
in `lookups.py`, reads in `queries.py`, alerts in `alerts.py`, catalogue set-up in `setup.py`,
XLSX in `spreadsheets.py` (recorded once per file in `imports.py`), who may post where in
`access.py`, the ledger's append-only triggers in `ledger_guard.py` and its proof in
`verify.py`. Numbering, idempotency and the savepoint come from `logistics.core`.
"""

from logistics.stock import documents, imports, ledger, models  # noqa: F401  (register every table)
