"""Command-line tasks: regions, users, demo data. Each command owns its transaction."""

from __future__ import annotations

import json
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from app.config import write_private
from app.extensions import db
from logistics.accounts import operations as accounts
from logistics.accounts import queries as account_queries
from logistics.accounts.roles import Role
from logistics.errors import DomainError
from logistics.referrals.puskesos import open_puskesos_everywhere
from logistics.regions import operations as regions
from seeds import demo

regions_cli = AppGroup("regions", help="Load Kemendagri regions and their geometry.")
users_cli = AppGroup("users", help="Create users and API tokens.")


def _fail(error: DomainError) -> None:
    db.session.rollback()
    click.echo(f"Error: {error}", err=True)
    sys.exit(1)


@regions_cli.command("import")
@click.argument("code")
def import_regions_command(code: str) -> None:
    """Import a province or kabupaten (e.g. 17.03) and every unit under it."""
    try:
        result = regions.import_regions(db.session, code=code)
    except DomainError as error:
        _fail(error)
    # Every desa and kelurahan gets its SLRT door, so disaster assessments there have a
    # Puskesos queue to enter.
    opened = open_puskesos_everywhere(db.session)
    db.session.commit()
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(result.counts_by_kind.items()))
    click.echo(f"{code}: {counts}. Created {result.created}, updated {result.updated}, "
               f"unchanged {result.unchanged}. Puskesos opened: {opened}.")


@regions_cli.command("import-geojson")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--code-property", required=True,
              help="Feature property holding the Kemendagri code, e.g. kode or KDEPUM.")
@click.option("--skip-unknown", is_flag=True, help="Ignore features whose code is not imported.")
def import_geojson_command(path: Path, code_property: str, skip_unknown: bool) -> None:
    """Attach real boundaries from a GeoJSON FeatureCollection (all or nothing)."""
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        click.echo(f"Error: {path} is not readable JSON ({error}).", err=True)
        sys.exit(1)
    try:
        result = regions.import_geojson(
            db.session, collection=collection, code_property=code_property,
            geometry_source=path.name, skip_unknown=skip_unknown,
        )
    except DomainError as error:
        _fail(error)
    db.session.commit()
    click.echo(f"Attached boundaries to {len(result.attached)} regions; "
               f"skipped {len(result.skipped)} unknown.")
    _echo_repairs(result)


def _echo_repairs(result: regions.GeoJSONImport) -> None:
    """List the regions whose invalid geometry was repaired, so someone can check them."""
    if result.repaired:
        click.echo(f"Repaired invalid geometry of {len(result.repaired)} region(s) "
                   "with make_valid:")
        for code, reason in result.repaired.items():
            click.echo(f"  {code}: {reason}")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--full-name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_user_command(username: str, role: str, full_name: str, password: str) -> None:
    """Create a user with one role."""
    try:
        user = accounts.create_user(db.session, username=username, full_name=full_name,
                                    role=role, password=password)
    except DomainError as error:
        _fail(error)
    db.session.commit()
    click.echo(f"Created {user.username} ({user.role}).")


@users_cli.command("token")
@click.argument("username")
@click.option("--name", default="cli", show_default=True)
@click.option("--days", default=30, show_default=True, type=click.IntRange(1, 365))
def token_command(username: str, name: str, days: int) -> None:
    """Issue an API token; it is printed once and stored only as a hash."""
    try:
        user = account_queries.get_user_by_username(db.session, username)
        issued = accounts.issue_token(db.session, user=user, name=name,
                                      valid_for=timedelta(days=days))
    except DomainError as error:
        _fail(error)
    db.session.commit()
    click.echo(issued.secret)


@users_cli.command("list")
def list_users_command() -> None:
    """List users with their roles."""
    for user in account_queries.list_users(db.session):
        state = "active" if user.is_active else "inactive"
        click.echo(f"{user.username:16} {user.role:18} {state:8} {user.full_name}")


def _demo_password_file() -> Path:
    return Path(current_app.instance_path) / "demo-password.txt"


@click.command("seed-demo")
@with_appcontext
@click.option("--if-empty", is_flag=True,
              help="Do nothing if any user exists (run on every start).")
def seed_demo(if_empty: bool) -> None:
    """Load the demo kabupaten and one user per role, then print the demo logins."""
    password_file = _demo_password_file()
    if not (if_empty and demo.is_loaded(db.session)):
        if not password_file.exists():
            write_private(password_file, secrets.token_urlsafe(9) + "\n")
        result = demo.load_demo(db.session, region_code=current_app.config["DEMO_REGION_CODE"],
                                password=password_file.read_text().strip())
        db.session.commit()
        click.echo(f"Demo loaded: {result.regions_created} regions, "
                   f"{len(result.users_created)} users created, "
                   f"{result.stock_documents} stock documents posted, "
                   f"{result.posko_opened} posko opened.")
        if result.roster is not None:
            click.echo(result.roster.line())
        if result.slrt_cases:
            click.echo(f"SLRT: {result.slrt_cases} cases at the Puskesos of Ketahun.")
        if result.boundaries is not None:
            click.echo(f"Boundaries: {len(result.boundaries.attached)} regions from "
                       f"{result.geometry_source}.")
            _echo_repairs(result.boundaries)
        elif result.geometry_source is not None:
            click.echo(f"Geometry: {result.geometry_source}.")
    if password_file.exists():
        password = password_file.read_text().strip()
        click.echo("Demo logins (password for all: " + password + "):")
        for username, _, role in demo.DEMO_USERS:
            click.echo(f"  {username:14} {role.value}")
