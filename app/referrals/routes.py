"""Every SLRT page module and API blueprint, in one list: importing a page module adds its
routes to the SLRT blueprint, and `app` registers the API blueprints named here. A new SLRT
module is added here, not in `app/__init__.py`."""

from app.referrals import (
    case_actions,
    case_views,
    cases_api,
    export_views,
    household_member_views,
    household_views,
    households_api,
    letter_views,
    monitoring_api,
    monitoring_views,
    programme_views,
    programmes_api,
    queue_views,
)
from app.referrals.blueprint import bp

PAGE_MODULES = (household_views, household_member_views, case_views, case_actions,
                letter_views, programme_views, queue_views, monitoring_views, export_views)
PAGES = bp
APIS = (households_api.blp, cases_api.blp, programmes_api.blp, monitoring_api.blp)
