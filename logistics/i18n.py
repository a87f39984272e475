"""Translation marker for domain messages: extracted by Babel, translated by the web layer."""


class Message(str):
    """A marked message: the web layer translates it, also when it is a parameter of another."""

    __slots__ = ()


def N_(message: str) -> Message:  # noqa: N802 - the conventional gettext marker name
    """Mark a string for extraction without translating it here."""
    return Message(message)
