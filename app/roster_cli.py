"""`flask roster ...`: the roster jobs an operator runs from a shell."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from app.extensions import db
from app.sheet_imports import problem_message
from app.stock.files import sheet_limits
from logistics.accounts import queries as account_queries
from logistics.core.sheet_import import ImportInvalid
from logistics.errors import DomainError
from logistics.roster import roster_import, roster_read

roster_cli = AppGroup("roster", help="Import the Tagana roster from a sheet.")


@roster_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--user", "username", required=True,
              help="the coordinator the import is recorded as (who may manage the roster)")
def import_command(path: str, username: str) -> None:
    """Register or update the volunteers of an XLSX or CSV sheet, all or none; each bad row
    is listed with its column (docs/roster-import.md lists the columns)."""
    try:
        # Read before any database statement: on SQLite the app keeps posting meanwhile.
        table = roster_read.read_roster(Path(path).read_bytes(), Path(path).name, sheet_limits())
        actor = account_queries.get_user_by_username(db.session, username)
        if actor is None:
            click.echo(f"Error: no user {username}.", err=True)
            sys.exit(1)
        summary = roster_import.import_roster(db.session, actor=actor, table=table)
    except ImportInvalid as error:
        db.session.rollback()
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):  # the office's language
            for problem in error.problems:
                click.echo(f"row {problem.row}, {problem.column}: {problem_message(problem)}",
                           err=True)
        click.echo(f"{len(error.problems)} problem(s); nothing was imported.", err=True)
        sys.exit(1)
    except DomainError as error:
        db.session.rollback()
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"{summary.rows} rows: {summary.created} registered, {summary.updated} updated "
               f"({summary.promoted} promoted), {summary.unchanged} unchanged.")
