"""The stock pages' blueprint; its views live in views.py (reading) and posting.py (forms)."""

from flask import Blueprint

bp = Blueprint("stock", __name__, url_prefix="/stock", template_folder="templates")
