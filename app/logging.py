"""Keep NIK and No. KK numbers out of every log line the process writes."""

from __future__ import annotations

import logging
import traceback

from logistics.core.masking import mask_in_text


def redact(text: str) -> str:
    """NIK and No. KK are both 16 digits; nothing else we log legitimately is."""
    return mask_in_text(text, keep_end=0)


def redact_record(record: logging.LogRecord) -> None:
    """Replace a record's message and traceback with masked text before any handler sees it."""
    try:
        message = record.getMessage()
    except Exception:  # a malformed log call; logging reports it later, it must not raise here
        return
    redacted = redact(message)
    if redacted != message:
        record.msg, record.args = redacted, None
    if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
        text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        record.exc_text = redact(text)


def install_redaction() -> None:
    """Wrap the process-wide log record factory once.

    A factory, not a handler filter, so that loggers and handlers set up later (gunicorn's,
    a test runner's) are covered too.
    """
    base = logging.getLogRecordFactory()
    if getattr(base, "redacts_personal_numbers", False):
        return

    def factory(*args, **kwargs):
        record = base(*args, **kwargs)
        redact_record(record)
        return record

    factory.redacts_personal_numbers = True
    logging.setLogRecordFactory(factory)
