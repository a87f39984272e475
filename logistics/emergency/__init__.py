"""Disaster events, posko, evacuee census, assessments and the needs they add up to."""
