"""Index on volunteers' home point, for dispatch suggestions near a posko

A box of latitude and longitude around the posko is read by this index, widening from 10 km
until the best candidates are certain (`logistics.roster.nearby`); plain columns, so SQLite
and PostgreSQL without PostGIS use it alike.

Revision ID: 3f6b2a9c1d47
Revises: ecf31fd5d249
Create Date: 2026-12-01 10:00:00
"""
from alembic import op


revision = '3f6b2a9c1d47'
down_revision = 'ecf31fd5d249'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('volunteers', schema=None) as batch_op:
        batch_op.create_index('ix_volunteers_home_lat_home_lon', ['home_lat', 'home_lon'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('volunteers', schema=None) as batch_op:
        batch_op.drop_index('ix_volunteers_home_lat_home_lon')
