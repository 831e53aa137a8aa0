"""event summaries: cached figures of settled events

Reviewed by hand. A cache table only: the downgrade loses nothing that cannot be
recomputed from the check-ins.

Revision ID: f00b1946d3d0
Revises: 1b83cbe80ba3
Create Date: 2026-11-26 04:14:45.077309

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f00b1946d3d0'
down_revision = '1b83cbe80ba3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event_summaries',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_summaries_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_event_summaries'))
    )


def downgrade():
    op.drop_table('event_summaries')
