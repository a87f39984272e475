"""`flask stock ...`: checks and imports an operator runs from a shell."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy import select

from app.extensions import db
from app.i18n import moment
from app.stock.files import card_labels, sheet_limits
from logistics.accounts import queries as account_queries
from logistics.db import utcnow
from logistics.errors import DomainError
from logistics.stock import imports, queries, setup, spreadsheets
from logistics.stock.models import Warehouse
from logistics.stock.verify import ledger_problems

stock_cli = AppGroup("stock", help="Check the stock ledger; import and export spreadsheets.")


@stock_cli.command("verify")
def verify_command() -> None:
    """Recompute every balance from the ledger; exit 1 and list each difference if any."""
    problems = ledger_problems(db.session)
    db.session.rollback()
    if problems:
        for problem in problems:
            click.echo(problem, err=True)
        click.echo(f"{len(problems)} difference(s) between balances and ledger.", err=True)
        sys.exit(1)
    click.echo("Every balance, total and running balance equals the sum of its ledger lines.")


def _import(run, path: str, kind: imports.SheetKind) -> None:
    """Read the sheet (no database yet: on SQLite the app keeps posting meanwhile), then
    ``run(content, sheet)`` in one transaction."""
    try:
        content = Path(path).read_bytes()
        sheet = imports.read_sheet(kind, content, limits=sheet_limits())
        count = run(content, sheet)
    except spreadsheets.SpreadsheetInvalid as error:
        db.session.rollback()
        for problem in error.problems:
            click.echo(f"row {problem.row}, {problem.column}: {problem.message}", err=True)
        click.echo(f"{len(error.problems)} problem(s); nothing was imported.", err=True)
        sys.exit(1)
    except DomainError as error:
        db.session.rollback()
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"{count} rows imported.")


@stock_cli.command("import-items")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_items_command(path: str) -> None:
    """Add the items of an XLSX catalogue sheet, all or none."""
    _import(lambda _, sheet: spreadsheets.import_catalogue(db.session, sheet), path,
            imports.SheetKind.CATALOGUE)


@stock_cli.command("import-opening")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--as", "username", default="admin", show_default=True,
              help="the user the opening receipts are posted as")
@click.option("--confirm-expiry", is_flag=True,
              help="take expiry dates that have passed or lie more than ten years ahead")
def import_opening_command(path: str, username: str, confirm_expiry: bool) -> None:
    """Post the opening stock of an XLSX sheet as receipts, all or none."""
    _import(lambda content, sheet: imports.import_sheet(
        db.session, actor=account_queries.get_user_by_username(db.session, username),
        kind=imports.SheetKind.OPENING, content=content, filename=Path(path).name,
        sheet=sheet, confirm_expiry=confirm_expiry).rows, path, imports.SheetKind.OPENING)


def _now() -> str:
    """The export's time as the English labels' readers read it, in the field's zone."""
    with force_locale("en"):
        return moment(utcnow())


@stock_cli.command("export-on-hand")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--warehouse", "code", help="only this warehouse code")
def export_on_hand_command(path: str, code: str | None) -> None:
    """Write stock on hand (all warehouses, or one) to an XLSX file."""
    warehouse_id = _warehouse_id(code) if code else None
    rows = queries.stock_on_hand(db.session, warehouse_id=warehouse_id)
    Path(path).write_bytes(spreadsheets.export_on_hand(rows, exported_at=_now(),
                                                       labels=_ENGLISH_ON_HAND))
    click.echo(f"{len(rows)} rows written to {path}.")


@stock_cli.command("export-card")
@click.argument("warehouse_code")
@click.argument("item_code")
@click.argument("path", type=click.Path(dir_okay=False))
def export_card_command(warehouse_code: str, item_code: str, path: str) -> None:
    """Write one item's stock card at one warehouse to an XLSX file."""
    warehouse = queries.get_warehouse(db.session, _warehouse_id(warehouse_code))
    item = setup.item_by_code(db.session, item_code)
    if item is None:
        click.echo(f"Error: no item {item_code}.", err=True)
        sys.exit(1)
    lines = queries.stock_card(db.session, warehouse.id, item.id, limit=1_000_000)
    with force_locale("en"):
        Path(path).write_bytes(spreadsheets.export_stock_card(
            warehouse, item, lines, exported_at=_now(), labels=card_labels()))
    click.echo(f"{len(lines)} lines written to {path}.")


def _warehouse_id(code: str) -> int:
    warehouse = db.session.scalar(select(Warehouse).where(Warehouse.code == code.upper()))
    if warehouse is None:
        click.echo(f"Error: no warehouse {code}.", err=True)
        sys.exit(1)
    return warehouse.id


_ENGLISH_ON_HAND = {"title": "Stock on hand", "header": [
    "Warehouse code", "Warehouse", "Item code", "Item", "Unit", "On hand", "In transit",
    "Minimum"]}
