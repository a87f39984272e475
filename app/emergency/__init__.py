"""Emergency pages and API: events, posko, census, assessments, requests."""
