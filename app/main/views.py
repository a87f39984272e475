"""The home page: what the logged-in role does next."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

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
