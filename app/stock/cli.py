"""`flask stock ...`: checks and imports an operator runs from a shell."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from app.extensions import db
from logistics.stock.ledger import balance_mismatches

stock_cli = AppGroup("stock", help="Check the stock ledger; import and export spreadsheets.")


@stock_cli.command("verify")
def verify_command() -> None:
    """Recompute every balance from the ledger; exit 1 and list each difference if any."""
    problems = balance_mismatches(db.session)
    db.session.rollback()
    if problems:
        for problem in problems:
            click.echo(problem, err=True)
        click.echo(f"{len(problems)} difference(s) between balances and ledger.", err=True)
        sys.exit(1)
    click.echo("Every balance, total and running balance equals the sum of its ledger lines.")
