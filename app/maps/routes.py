"""Every map page module and the GeoJSON API blueprint, in one list: importing a page module
adds its routes to the maps blueprint, and `app` registers the API blueprints named here. A
new map module is added here, not in `app/__init__.py`."""

from app.maps import (
    event_map_views,
    geo_api,
    index_views,
    offline_views,
    print_views,
    roster_map_views,
    warehouse_map_views,
)
from app.maps.blueprint import bp

PAGE_MODULES = (index_views, event_map_views, print_views, warehouse_map_views,
                roster_map_views, offline_views)
PAGES = bp
APIS = (geo_api.blp,)
