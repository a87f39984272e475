"""Showing a refused sheet import: every problem translated, as rows a page table or an API
answer lists (`logistics.core.sheet_import`). The household and roster imports share it."""

from __future__ import annotations

from flask import flash
from flask_babel import gettext

from app.errors import error_response, status_for
from app.extensions import db
from app.i18n import readable, translate_error
from logistics.core.sheet_import import ImportInvalid, Problem
from logistics.errors import DomainError


def problem_message(problem: Problem) -> str:
    text = gettext(problem.message)
    if not problem.params:
        return text
    return text % {name: readable(value) for name, value in problem.params.items()}


def problem_rows(problems: list[Problem]) -> list[dict]:
    return [{"row": p.row, "sheet": p.sheet, "column": p.column, "message": problem_message(p)}
            for p in problems]


def invalid_response(error: ImportInvalid):
    """The API's 422: the count in the message, every problem under ``errors.rows``."""
    return error_response(422, gettext(error.message) % error.params,
                          {"rows": problem_rows(error.problems)})


def import_on_page(run):
    """Run a page's import, committing it whole: ``(summary, problem rows, status)``; a refused
    file writes nothing and lists every problem, another refusal is flashed."""
    try:
        summary = run()
    except ImportInvalid as error:
        db.session.rollback()
        return None, problem_rows(error.problems), 422
    except DomainError as error:
        db.session.rollback()
        flash(translate_error(error), "danger")
        return None, [], status_for(error)
    db.session.commit()
    return summary, [], 200
