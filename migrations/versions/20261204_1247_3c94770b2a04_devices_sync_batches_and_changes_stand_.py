"""devices, sync batches and changes, stand outbox: stands gathered on a central server

Reviewed by hand. New tables only; nothing existing is rewritten. devices, sync_batches
and sync_changes are used on the central server, outbox on a stand; both roles share
one schema.

Revision ID: 3c94770b2a04
Revises: 5c1e7a2f9d04
Create Date: 2026-12-04 12:47:50.974608

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c94770b2a04'
down_revision = '5c1e7a2f9d04'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('object_uuid', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_sent_at_id', ['sent_at', 'id'], unique=False)

    op.create_table('sync_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_changes'))
    )
    op.create_table('devices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('structure_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('enrol_code_hash', sa.String(length=64), nullable=True),
    sa.Column('enrol_expires_at', sa.DateTime(), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('enrolled_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('pushed_through', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_batch_digest', sa.String(length=64), nullable=True),
    sa.Column('last_contact_at', sa.DateTime(), nullable=True),
    sa.Column('backlog', sa.Integer(), server_default='0', nullable=False),
    sa.Column('clock_offset_seconds', sa.Integer(), nullable=True),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['structure_id'], ['structures.id'], name=op.f('fk_devices_structure_id_structures')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_devices')),
    sa.UniqueConstraint('enrol_code_hash', name=op.f('uq_devices_enrol_code_hash')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_devices_token_hash')),
    sa.UniqueConstraint('uuid', name=op.f('uq_devices_uuid'))
    )
    op.create_table('sync_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('device_id', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('device_sent_at', sa.DateTime(), nullable=False),
    sa.Column('first_item', sa.Integer(), nullable=False),
    sa.Column('last_item', sa.Integer(), nullable=False),
    sa.Column('items', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_sync_batches_device_id_devices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_batches'))
    )
    with op.batch_alter_table('sync_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_batches_device_id'), ['device_id'], unique=False)



def downgrade():
    with op.batch_alter_table('sync_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_batches_device_id'))

    op.drop_table('sync_batches')
    op.drop_table('devices')
    op.drop_table('sync_changes')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_sent_at_id')

    op.drop_table('outbox')
