"""shared idempotency keys for every module; sheet imports recorded once per file

Stock documents kept their own (actor, key, fingerprint) columns; every module's creates now
share one key table, so the keys move there and the columns go.

Revision ID: 5c0a7e1d2b9f
Revises: 37e3a58fa94e
Create Date: 2026-12-01 00:40:00
"""
from alembic import op
import sqlalchemy as sa

import logistics.db

revision = '5c0a7e1d2b9f'
down_revision = '37e3a58fa94e'
branch_labels = None
depends_on = None

OPERATION_OF_KIND = {
    'receipt': 'stock.receive', 'issue': 'stock.issue', 'transfer': 'stock.transfer',
    'transfer_receipt': 'stock.receive_transfer', 'adjustment': 'stock.adjust',
    'count': 'stock.count', 'reversal': 'stock.reverse',
}


def upgrade():
    op.create_table('idempotency_keys',
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('operation', sa.String(length=60), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('resource_table', sa.String(length=60), nullable=True),
    sa.Column('resource_id', sa.Integer(), nullable=True),
    sa.Column('created_at', logistics.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_idempotency_keys_actor_id_users')),
    sa.PrimaryKeyConstraint('actor_id', 'key', name=op.f('pk_idempotency_keys'))
    )
    op.create_table('stock_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('imported_at', logistics.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('catalogue', 'opening')", name=op.f('ck_stock_imports_kind_known')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_stock_imports_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_imports')),
    sa.UniqueConstraint('kind', 'content_sha256', name=op.f('uq_stock_imports_kind')),
    sa.UniqueConstraint('number', name=op.f('uq_stock_imports_number'))
    )
    documents = sa.table('stock_documents', sa.column('id'), sa.column('kind'),
                         sa.column('actor_id'), sa.column('idempotency_key'),
                         sa.column('request_fingerprint'), sa.column('posted_at'))
    keys = sa.table('idempotency_keys', sa.column('actor_id'), sa.column('key'),
                    sa.column('operation'), sa.column('fingerprint'),
                    sa.column('resource_table'), sa.column('resource_id'),
                    sa.column('created_at'))
    connection = op.get_bind()
    rows = connection.execute(sa.select(documents).where(
        documents.c.idempotency_key.is_not(None))).all()
    if rows:
        connection.execute(keys.insert(), [{
            'actor_id': row.actor_id, 'key': row.idempotency_key,
            'operation': OPERATION_OF_KIND[row.kind], 'fingerprint': row.request_fingerprint or '',
            'resource_table': 'stock_documents', 'resource_id': row.id,
            'created_at': row.posted_at} for row in rows])
    with op.batch_alter_table('stock_documents', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_stock_documents_actor_id'), type_='unique')
        batch_op.drop_column('request_fingerprint')
        batch_op.drop_column('idempotency_key')


def downgrade():
    with op.batch_alter_table('stock_documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('idempotency_key', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('request_fingerprint', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_stock_documents_actor_id'),
                                          ['actor_id', 'idempotency_key'])
    op.drop_table('stock_imports')
    op.drop_table('idempotency_keys')
