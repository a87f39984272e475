"""Lumbung Siaga's web layer: a thin Flask shell over the `logistics` domain core."""

from __future__ import annotations

from flask import Flask

from app.config import load_config


def create_app(config: dict | None = None) -> Flask:
    """Build the application; ``config`` overrides defaults and environment (tests pass a dict)."""
    app = Flask(__name__, instance_relative_config=True)
    load_config(app, config)
    register_logging(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_logging(app: Flask) -> None:
    from app.logging import install_redaction

    install_redaction()


def register_extensions(app: Flask) -> None:
    from app import assets, database, i18n, security
    from app.extensions import api, bootstrap, csrf, db, limiter, migrate

    db.init_app(app)
    database.configure_engines(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    bootstrap.init_app(app)
    assets.init_app(app)
    api.init_app(app, spec_kwargs={"security": [{"bearerAuth": []}]})
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})


def register_blueprints(app: Flask) -> None:
    from app.api_support import protect_cookie_sessions, register_api_blueprint
    from app.auth import api as auth_api
    from app.auth import views as auth_views
    from app.main import views as main_views
    from app.regions import api as regions_api
    from app.regions import views as regions_views
    from app.users import api as users_api
    from app.users import views as users_views

    for module in (main_views, auth_views, users_views, regions_views):
        app.register_blueprint(module.bp)
    for module in (auth_api, users_api, regions_api):
        register_api_blueprint(app, module.blp)
    app.before_request(protect_cookie_sessions)


def register_errorhandlers(app: Flask) -> None:
    from app.errors import init_app

    init_app(app)


def register_commands(app: Flask) -> None:
    from app.cli import regions_cli, seed_demo, users_cli

    app.cli.add_command(regions_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(seed_demo)
