"""The map pages' blueprint; each map's views live in their own module and add their routes
to this one blueprint."""

from flask import Blueprint

bp = Blueprint("maps", __name__, url_prefix="/maps", template_folder="templates")
