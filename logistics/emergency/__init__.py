"""Disaster events, posko, evacuee census, assessments and the needs they add up to.

Importing the package declares its tables and registers its parts with the rest of the core:
the posko scope (`access`), posko as stock recipients (`deliveries`) and what a reversed
release gives back to the requests it met (`request_reversals`).
"""

from logistics.emergency import (  # noqa: F401
    access,
    assessment_models,
    deliveries,
    models,
    request_models,
    request_reversals,
    standards,
)
