"""Translation marker for domain messages: extracted by Babel, translated by the web layer."""


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark a string for extraction without translating it here."""
    return message
