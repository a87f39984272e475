"""Every SLRT page module and API blueprint, in one list: importing a page module adds its
routes to the SLRT blueprint, and `app` registers the API blueprints named here. A new SLRT
module is added here, not in `app/__init__.py`."""

from app.referrals import (
    export_views,
    household_member_views,
    household_views,
    households_api,
    monitoring_api,
    monitoring_views,
    queue_views,
)
from app.referrals.blueprint import bp

PAGE_MODULES = (queue_views, monitoring_views, export_views, household_views,
                household_member_views)
PAGES = bp
APIS = (monitoring_api.blp, households_api.blp)
