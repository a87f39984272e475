"""Machinery every module shares: numbers, idempotent creates, all-or-nothing, status moves.

Stock was the first user; emergency requests, deployments and SLRT cases use the same pieces and
only declare their own prefixes, transitions and constraint rules:

- `numbering.next_number`: gap-free document numbers per prefix and scope.
- `atomic.idempotent`: one savepoint per operation, a retry with the same key returns what the
  first try created, a database constraint failure becomes the rule it guards.
- `status.move`: a guarded status change against a module's transition table.
- `masking`: NIK and No. KK shown only to those who need them.
- `settings`: the domain's own settings (e.g. the stock emergency gate), per database engine.
"""

from logistics.core import idempotency, numbering  # noqa: E402, F401  (register their tables)
