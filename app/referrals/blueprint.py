"""The SLRT pages' blueprint; its views live in one module per subject (households, cases,
letters, monitoring), each adding its routes to this one blueprint."""

from flask import Blueprint

import logistics.referrals.access  # noqa: F401  (tables and the Puskesos scope)
import logistics.referrals.case_models  # noqa: F401  (tables)

bp = Blueprint("referrals", __name__, url_prefix="/slrt", template_folder="templates")
