"""The domain's own settings, fixed per database engine when the app (or a CLI) starts.

Rules that depend on a setting read it here, so no caller can forget to pass it: an operation
asks `settings_for(session)`. Without configuration the strict defaults apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from weakref import WeakKeyDictionary


@dataclass(frozen=True)
class DomainSettings:
    # A release from a lumbung sosial needs an emergency status or a written order reference.
    stock_emergency_gate: bool = True


DEFAULTS = DomainSettings()
_by_engine: WeakKeyDictionary = WeakKeyDictionary()


def configure(engine, settings: DomainSettings) -> None:
    """Attach settings to an engine; every session bound to it sees them."""
    _by_engine[engine] = settings


def settings_for(session) -> DomainSettings:
    engine = session.get_bind().engine
    return _by_engine.get(engine, DEFAULTS)
