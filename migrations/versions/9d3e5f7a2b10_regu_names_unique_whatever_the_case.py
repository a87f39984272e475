"""Regu names unique whatever the case: "Regu Melati" and "regu melati" are one regu

The operation already compares names folded; this index referees two coordinators creating
them at the same moment (on PostgreSQL both passed the check before either committed).

Revision ID: 9d3e5f7a2b10
Revises: 3f6b2a9c1d47
Create Date: 2026-12-02 05:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '9d3e5f7a2b10'
down_revision = '3f6b2a9c1d47'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('uq_teams_name_folded', 'teams', [sa.text('lower(name)')], unique=True)


def downgrade():
    op.drop_index('uq_teams_name_folded', table_name='teams')
