"""session version, login backoff, kiosk tablets with wrong PINs

Reviewed by hand. Kiosk PINs now have 6 digits: the stored ones (4 to 8 digits, their
length unknown from the hash) are cleared, and each animateur is asked at login to choose
a new one; the password still unlocks a kiosk meanwhile. The downgrade cannot bring the
old PINs back.

Revision ID: 3a8050638ace
Revises: f00b1946d3d0
Create Date: 2026-12-01 23:26:07.293430

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3a8050638ace'
down_revision = 'f00b1946d3d0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('kiosk_tablets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('wrong_pins', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_kiosk_tablets_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_kiosk_tablets_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosk_tablets'))
    )
    with op.batch_alter_table('kiosk_tablets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kiosk_tablets_event_id'), ['event_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(), nullable=True))
    op.execute(sa.text("UPDATE users SET pin_hash = NULL"))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_logins')
        batch_op.drop_column('session_version')

    with op.batch_alter_table('kiosk_tablets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kiosk_tablets_event_id'))

    op.drop_table('kiosk_tablets')
