"""The roster pages' blueprint; its views live in one module per subject (volunteers, trainings,
regu and equipment, dispatch), each adding its routes to this one blueprint."""

from flask import Blueprint

import logistics.roster  # noqa: F401  (tables)

bp = Blueprint("roster", __name__, url_prefix="/roster", template_folder="templates")
