"""Lumbung Siaga's web layer: a thin Flask shell over the `logistics` domain core."""

from __future__ import annotations

from flask import Flask
from flask_compress import Compress

from app import assets, database, errors, headers, i18n, security
from app.api_support import init_api, protect_cookie_sessions, register_api_blueprint
from app.auth import api as auth_api
from app.auth import views as auth_views
from app.cli import regions_cli, seed_demo, users_cli
from app.config import load_config
from app.emergency import (  # noqa: F401  (views: routes on emergency_bp)
    assessment_views,
    assessments_api,
    event_views,  # noqa: F401  (routes on emergency_bp)
    request_views,  # noqa: F401  (routes on emergency_bp)
)
from app.emergency import events_api as emergency_events_api
from app.emergency import overview_api as emergency_overview_api
from app.emergency import overview_views as emergency_overview_views  # noqa: F401  (routes on emergency_bp)
from app.emergency import requests_api as emergency_requests_api
from app.emergency.blueprint import bp as emergency_bp
from app.extensions import bootstrap, csrf, db, limiter, migrate
from app.logging import install_redaction
from app.main import views as main_views
from app.maps import routes as map_routes
from app.referrals import routes as referral_routes
from app.regions import api as regions_api
from app.regions import views as regions_views
from app.roster import routes as roster_routes
from app.roster_cli import roster_cli
from app.stock import api as stock_api
from app.stock import files as stock_files  # noqa: F401  (routes on stock_bp)
from app.stock import files_api as stock_files_api
from app.stock import posting as stock_posting  # noqa: F401  (routes on stock_bp)
from app.stock import setup_api as stock_setup_api
from app.stock import setup_views as stock_setup_views  # noqa: F401  (routes on stock_bp)
from app.stock import views as stock_views  # noqa: F401  (routes on stock_bp)
from app.stock.blueprint import bp as stock_bp
from app.stock.cli import stock_cli
from app.users import api as users_api
from app.users import views as users_views

PAGE_BLUEPRINTS = (main_views.bp, auth_views.bp, users_views.bp, regions_views.bp, stock_bp,
                   emergency_bp, roster_routes.PAGES, referral_routes.PAGES, map_routes.PAGES)
API_BLUEPRINTS = (auth_api.blp, users_api.blp, regions_api.blp, stock_api.blp,
                  stock_setup_api.blp, stock_files_api.blp, emergency_events_api.blp,
                  assessments_api.blp, emergency_requests_api.blp, emergency_overview_api.blp,
                  *roster_routes.APIS, *referral_routes.APIS, *map_routes.APIS)


def create_app(config: dict | None = None) -> Flask:
    """Build the application; ``config`` overrides defaults and environment (tests pass a dict)."""
    app = Flask(__name__, instance_relative_config=True)
    load_config(app, config)
    install_redaction()
    register_extensions(app)
    register_blueprints(app)
    errors.init_app(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    database.configure_engines(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    headers.init_app(app)
    bootstrap.init_app(app)
    assets.init_app(app)
    # Brotli or gzip for pages, JSON and the static files (settings in app/config.py). One
    # instance per app: it keeps its settings from init time.
    Compress(app)
    init_api(app)  # before any blueprint: path ids are bounded on pages and API alike


def register_blueprints(app: Flask) -> None:
    for blueprint in PAGE_BLUEPRINTS:
        app.register_blueprint(blueprint)
    for blueprint in API_BLUEPRINTS:
        register_api_blueprint(app, blueprint)
    app.before_request(protect_cookie_sessions)


def register_commands(app: Flask) -> None:
    for command in (regions_cli, users_cli, seed_demo, stock_cli, roster_cli):
        app.cli.add_command(command)
