"""Every roster page module and API blueprint, in one list: importing a page module adds its
routes to the roster blueprint, and `app` registers the API blueprints named here. A new
roster module is added here, not in `app/__init__.py`."""

from app.roster import (
    board_actions,
    board_posko,
    board_views,
    deployments_api,
    import_api,
    import_views,
    records_api,
    records_profile_views,
    records_teams_api,
    records_teams_views,
    records_views,
    suggestion_views,
    suggestions_api,
    volunteer_views,
    volunteers_api,
)
from app.roster.blueprint import bp

PAGE_MODULES = (volunteer_views, import_views, records_views, records_profile_views,
                records_teams_views, board_views, board_actions, board_posko,
                suggestion_views)
PAGES = bp
APIS = (volunteers_api.blp, import_api.blp, records_api.blp, records_teams_api.blp,
        deployments_api.blp, suggestions_api.blp)
