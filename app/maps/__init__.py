"""Map pages and the GeoJSON API (issue 20): queries from `logistics/geo/`, drawing by `maps/`."""
