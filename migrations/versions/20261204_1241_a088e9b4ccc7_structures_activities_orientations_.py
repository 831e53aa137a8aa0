"""from the street into the structures: activities, orientations, visits, reception tablets, training

Reviewed by hand (issue 14). New tables only; nothing existing is rewritten.
- activities: a structure's short list (name, days and hours, address, public, free or not).
- orientations: a participation (check-in) pointed to a structure and maybe one activity;
  one per check-in and structure; deleted with its check-in.
- visits: a card (or an anonymous person) seen at a structure's reception, with a kind and
  the same optional profile answers as the kiosk. A visit is never an outreach check-in.
  Its card link is dropped (SET NULL) when the card is deleted by erasure or retention.
- reception_tablets: a browser bound to a structure's reception; wrong PINs counted per tablet.
- training_sessions and training_attendances: sessions and network meetings, with numbers of
  participants by structure and role (never names).

Revision ID: a088e9b4ccc7
Revises: 7d13a0c0f1e5
Create Date: 2026-12-04 12:41:48.387775

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a088e9b4ccc7'
down_revision = "7d13a0c0f1e5"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('structure_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('schedule', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('public', sa.String(length=160), nullable=False),
    sa.Column('free', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['structure_id'], ['structures.id'], name=op.f('fk_activities_structure_id_structures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities')),
    sa.UniqueConstraint('uuid', name=op.f('uq_activities_uuid'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activities_structure_id'), ['structure_id'], unique=False)

    op.create_table('reception_tablets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('structure_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('wrong_pins', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['structure_id'], ['structures.id'], name=op.f('fk_reception_tablets_structure_id_structures'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reception_tablets_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reception_tablets'))
    )
    with op.batch_alter_table('reception_tablets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reception_tablets_structure_id'), ['structure_id'], unique=False)

    op.create_table('training_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('theme', sa.String(length=160), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('hours', sa.Float(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_training_sessions_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_sessions')),
    sa.UniqueConstraint('uuid', name=op.f('uq_training_sessions_uuid'))
    )
    with op.batch_alter_table('training_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_sessions_starts_on'), ['starts_on'], unique=False)

    op.create_table('training_attendances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('structure_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['training_sessions.id'], name=op.f('fk_training_attendances_session_id_training_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['structure_id'], ['structures.id'], name=op.f('fk_training_attendances_structure_id_structures'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_attendances'))
    )
    with op.batch_alter_table('training_attendances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_attendances_session_id'), ['session_id'], unique=False)

    op.create_table('visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('structure_id', sa.Integer(), nullable=False),
    sa.Column('card_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('age_band', sa.String(length=10), nullable=True),
    sa.Column('gender', sa.String(length=8), nullable=True),
    sa.Column('residence', sa.String(length=16), nullable=True),
    sa.Column('residence_neighbourhood_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_visits_activity_id_activities'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['card_id'], ['cards.id'], name=op.f('fk_visits_card_id_cards'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_visits_recorded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['residence_neighbourhood_id'], ['neighbourhoods.id'], name=op.f('fk_visits_residence_neighbourhood_id_neighbourhoods')),
    sa.ForeignKeyConstraint(['structure_id'], ['structures.id'], name=op.f('fk_visits_structure_id_structures')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visits')),
    sa.UniqueConstraint('uuid', name=op.f('uq_visits_uuid'))
    )
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.create_index('ix_visits_card_id_created_at', ['card_id', 'created_at'], unique=False)
        batch_op.create_index('ix_visits_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_visits_structure_id_created_at', ['structure_id', 'created_at'], unique=False)

    op.create_table('orientations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('checkin_id', sa.Integer(), nullable=False),
    sa.Column('structure_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_orientations_activity_id_activities'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_orientations_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['checkin_id'], ['checkins.id'], name=op.f('fk_orientations_checkin_id_checkins'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['structure_id'], ['structures.id'], name=op.f('fk_orientations_structure_id_structures')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orientations')),
    sa.UniqueConstraint('uuid', name=op.f('uq_orientations_uuid'))
    )
    with op.batch_alter_table('orientations', schema=None) as batch_op:
        batch_op.create_index('ix_orientations_structure_id_created_at', ['structure_id', 'created_at'], unique=False)
        batch_op.create_index('uq_orientations_checkin_structure', ['checkin_id', 'structure_id'], unique=True)



def downgrade():
    with op.batch_alter_table('orientations', schema=None) as batch_op:
        batch_op.drop_index('uq_orientations_checkin_structure')
        batch_op.drop_index('ix_orientations_structure_id_created_at')

    op.drop_table('orientations')
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_index('ix_visits_structure_id_created_at')
        batch_op.drop_index('ix_visits_created_at')
        batch_op.drop_index('ix_visits_card_id_created_at')

    op.drop_table('visits')
    with op.batch_alter_table('training_attendances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_attendances_session_id'))

    op.drop_table('training_attendances')
    with op.batch_alter_table('training_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_sessions_starts_on'))

    op.drop_table('training_sessions')
    with op.batch_alter_table('reception_tablets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reception_tablets_structure_id'))

    op.drop_table('reception_tablets')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activities_structure_id'))

    op.drop_table('activities')
