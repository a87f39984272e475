"""Folium maps and GeoJSON built from plain rows; never touches the database or the web layer."""
