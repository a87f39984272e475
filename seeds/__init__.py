"""Demo data and region loaders (Bengkulu Utara by default)."""
