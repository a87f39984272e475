"""BAST signers' jabatan and NIP, printed under each signature

Optional: a release posted before this revision prints its signers by name only.

Revision ID: b4d2e9a17c30
Revises: 8b1f3c2d4e5a
Create Date: 2026-12-01 04:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'b4d2e9a17c30'
down_revision = '8b1f3c2d4e5a'
branch_labels = None
depends_on = None

SIGNERS = ('giver', 'receiver', 'witness')


def upgrade():
    with op.batch_alter_table('stock_documents', schema=None) as batch_op:
        for signer in SIGNERS:
            batch_op.add_column(sa.Column(f'{signer}_position', sa.String(length=120),
                                          nullable=True))
            batch_op.add_column(sa.Column(f'{signer}_nip', sa.String(length=18), nullable=True))


def downgrade():
    with op.batch_alter_table('stock_documents', schema=None) as batch_op:
        for signer in reversed(SIGNERS):
            batch_op.drop_column(f'{signer}_nip')
            batch_op.drop_column(f'{signer}_position')
