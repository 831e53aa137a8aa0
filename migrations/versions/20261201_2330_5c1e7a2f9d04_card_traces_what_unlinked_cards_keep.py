"""card traces: what the indicators keep of an unlinked (erased or purged) card

Reviewed by hand. A new table only; nothing existing is rewritten. Cards unlinked before
this revision have already lost their link: their traces cannot be rebuilt, and the
figures they touched stay as they were left.

Revision ID: 5c1e7a2f9d04
Revises: 5e7d2c9a1f40
Create Date: 2026-12-01 23:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c1e7a2f9d04'
down_revision = "5e7d2c9a1f40"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('card_traces',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('card_key', sa.Uuid(), nullable=False),
    sa.Column('first_seen', sa.Boolean(), nullable=False),
    sa.Column('returned', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_card_traces_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_card_traces'))
    )
    with op.batch_alter_table('card_traces', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_card_traces_event_id'), ['event_id'], unique=False)


def downgrade():
    with op.batch_alter_table('card_traces', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_card_traces_event_id'))
    op.drop_table('card_traces')
