"""The home page: what the logged-in role does next."""

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.main.tasks import DUTIES, actions_for
from app.security import require
from logistics.accounts.roles import Role

bp = Blueprint("main", __name__, template_folder="templates")


@bp.get("/")
def root():
    return redirect(url_for("main.home" if current_user.is_authenticated else "auth.login"))


@bp.get("/home")
@require()
def home():
    return render_template("main/home.html", duties=DUTIES[Role(current_user.role)],
                           actions=actions_for(current_user))


@bp.get("/healthz")
def health():
    """Liveness for a load balancer or monitor: answers without touching the database."""
    return {"status": "ok"}


@bp.get("/readyz")
def ready():
    """Readiness: 200 when the database answers, else 503 so traffic goes elsewhere."""
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except SQLAlchemyError as error:
        db.session.rollback()
        current_app.logger.warning("not ready: %s", str(error).splitlines()[0])
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}
