"""Every map page module and the GeoJSON API blueprint, in one list: importing a page module
adds its routes to the maps blueprint, and `app` registers the API blueprints named here. A
new map module is added here, not in `app/__init__.py`."""

from app.maps import geo_api
from app.maps.blueprint import bp

PAGE_MODULES = ()
PAGES = bp
APIS = (geo_api.blp,)
