"""Every SLRT page module and API blueprint, in one list: importing a page module adds its
routes to the SLRT blueprint, and `app` registers the API blueprints named here. A new SLRT
module is added here, not in `app/__init__.py`."""

from app.referrals import (
    case_actions,
    case_views,
    cases_api,
    letter_views,
    programme_views,
    programmes_api,
)
from app.referrals.blueprint import bp

PAGE_MODULES = (case_views, case_actions, letter_views, programme_views)
PAGES = bp
APIS = (cases_api.blp, programmes_api.blp)
