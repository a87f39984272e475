"""NIK and No. KK numbers never reach a log line."""

import logging

from app.logging import redact

NIK = "1703094512900001"


def test_sixteen_digit_numbers_are_masked_but_others_kept():
    assert redact(f"nik={NIK} kk=1703091234567890 qty=1500") == (
        "nik=1703************ kk=1703************ qty=1500")
    assert redact("17030945129000012") == "17030945129000012"  # 17 digits: not a NIK


def test_any_logger_in_the_app_process_masks_nik_in_messages_and_tracebacks(app, caplog):
    with caplog.at_level(logging.INFO):
        app.logger.info("registered household %s", NIK)
        logging.getLogger("gunicorn.access").info("GET /search?nik=%s", NIK)
        try:
            raise ValueError(f"bad NIK {NIK}")
        except ValueError:
            app.logger.exception("failed")
    assert NIK not in caplog.text
    assert caplog.text.count("1703************") == 3


def test_an_unhandled_error_mentioning_a_nik_is_logged_masked(app, client, caplog):
    @app.get("/boom")
    def boom():
        raise RuntimeError(f"lookup failed for {NIK}")

    with caplog.at_level(logging.ERROR):
        response = client.get("/boom", headers={"Accept": "application/json"})
    assert response.status_code == 500
    assert NIK not in response.get_data(as_text=True)
    assert "RuntimeError" in caplog.text
    assert NIK not in caplog.text


def test_a_malformed_log_call_does_not_break_the_caller(app, monkeypatch):
    import io

    logger = logging.getLogger("some.library")
    monkeypatch.setattr(logger, "propagate", False)
    monkeypatch.setattr(logging, "raiseExceptions", False)  # as in production
    handler = logging.StreamHandler(io.StringIO())
    logger.addHandler(handler)
    try:
        logger.warning("%d items", "not a number")  # must not raise in the caller
        logger.warning("household %s", NIK)
    finally:
        logger.removeHandler(handler)
    assert handler.stream.getvalue() == "household 1703************\n"
