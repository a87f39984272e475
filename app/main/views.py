"""The home page: what the logged-in role does next, and where its scope lets it act."""

from dataclasses import dataclass

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.labels import role_label
from app.main.tasks import DUTIES, actions_for
from app.security import require
from logistics.accounts import queries as account_queries
from logistics.accounts import scopes
from logistics.accounts.roles import Permission, Role

bp = Blueprint("main", __name__, template_folder="templates")


@bp.get("/")
def root():
    return redirect(url_for("main.home" if current_user.is_authenticated else "auth.login"))


@bp.get("/home")
@require()
def home():
    return render_template("main/home.html", duties=DUTIES[Role(current_user.role)],
                           actions=actions_for(current_user), scopes=_scopes_of(current_user))


@dataclass(frozen=True)
class ScopeNote:
    """What the home page says about one scope limiting the user (a keeper's warehouses)."""

    kind: scopes.ScopeKind
    names: list[str]  # the objects assigned, by name
    ask_roles: list[str]  # when none: the roles that may assign them, as read
    ask_people: list  # ... and the active accounts holding those roles


def _scopes_of(user) -> list[ScopeNote]:
    notes = []
    for kind, names in scopes.named(db.session, user):
        ask_roles = ask_people = []
        if not names:
            roles = account_queries.roles_holding(Permission.MANAGE_USERS, kind.assigned_by)
            ask_roles = [role_label(role) for role in roles]
            ask_people = account_queries.active_users_in(db.session, roles)
        notes.append(ScopeNote(kind, names, ask_roles, ask_people))
    return notes


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
