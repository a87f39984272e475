"""Modules that keep records of stock documents hear of a reversal before it posts.

Stock knows nothing of the modules built on it (a posko's request met by a release). A module
whose records count what a document moved registers a listener once, when it is imported;
`operations.reverse_document` calls every listener inside its own transaction, before it
touches a balance, so a listener locks its rows in the order its own writes take them (a
request before the stock it releases) and a refusal it raises undoes the whole reversal.

A listener is called as ``listener(session, original)`` and must do nothing when ``original``
is already reversed (read under its lock): two people reversing one document at once then
leave one reversal, and the loser gets `AlreadyReversed` from stock.
"""

from __future__ import annotations

from collections.abc import Callable

Listener = Callable[..., None]  # (session, original document) -> None
_listeners: dict[str, Listener] = {}


def on_reversal(name: str, listener: Listener) -> None:
    """Register (or replace) the listener a module keeps under ``name``."""
    _listeners[name] = listener


def reversing(session, original) -> None:
    """Tell every registered module that ``original`` is about to be reversed."""
    for name in sorted(_listeners):
        _listeners[name](session, original)
