"""stock balances and running totals are BIGINT on PostgreSQL

A lot receives at most 10,000,000 per line, but its balance and the item's total sum many
lines: past 2,147,483,647 a PostgreSQL INTEGER refuses the write with a 500. SQLite's INTEGER
is 64-bit already, so nothing changes there (and the ledger's triggers stay untouched).

Revision ID: 8b1f3c2d4e5a
Revises: 7ecc0b61a33c
Create Date: 2026-12-01 05:40:00
"""
from alembic import op
import sqlalchemy as sa

revision = '8b1f3c2d4e5a'
down_revision = '7ecc0b61a33c'
branch_labels = None
depends_on = None

COLUMNS = (("stock_movements", "balance_after"), ("stock_balances", "qty"),
           ("stock_totals", "qty"))


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in COLUMNS:
        op.alter_column(table, column, type_=sa.BigInteger(), existing_type=sa.Integer(),
                        existing_nullable=False)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in COLUMNS:
        op.alter_column(table, column, type_=sa.Integer(), existing_type=sa.BigInteger(),
                        existing_nullable=False)
