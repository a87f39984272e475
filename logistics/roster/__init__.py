"""Tagana and Sahabat Tagana: roster, skills and trainings, regu, equipment and deployments.

Importing the package declares its tables.
"""

from logistics.roster import deployment_models, models  # noqa: F401
