"""The emergency pages' blueprint; its views live in one module per subject (events, posko,
assessments, requests), each adding its routes to this one blueprint."""

from flask import Blueprint

import logistics.emergency  # noqa: F401  (tables, the posko scope, posko as recipients)

bp = Blueprint("emergency", __name__, url_prefix="/emergency", template_folder="templates")
