"""initial schema: places, accounts, events, cards, check-ins, tallies, audit log

Reviewed by hand. The partial unique index uq_checkins_event_card_live is what makes
"the same card scanned twice at one event counts once" hold under concurrent kiosks;
voided check-ins are outside it so a voided scan can be redone.

Revision ID: 1b83cbe80ba3
Revises: 
Create Date: 2026-11-26 02:52:15.871726

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1b83cbe80ba3'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('neighbourhoods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=9), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('commune', sa.String(length=120), nullable=False),
    sa.Column('is_qpv', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_neighbourhoods')),
    sa.UniqueConstraint('code', name=op.f('uq_neighbourhoods_code')),
    sa.UniqueConstraint('uuid', name=op.f('uq_neighbourhoods_uuid'))
    )
    op.create_table('structures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('neighbourhood_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['neighbourhood_id'], ['neighbourhoods.id'], name=op.f('fk_structures_neighbourhood_id_neighbourhoods')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_structures')),
    sa.UniqueConstraint('name', name=op.f('uq_structures_name')),
    sa.UniqueConstraint('uuid', name=op.f('uq_structures_uuid'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('pin_hash', sa.String(length=256), nullable=True),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('structure_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['structure_id'], ['structures.id'], name=op.f('fk_users_structure_id_structures')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email')),
    sa.UniqueConstraint('uuid', name=op.f('uq_users_uuid'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_log_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_created_at'), ['created_at'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('theme', sa.String(length=80), nullable=False),
    sa.Column('place_label', sa.String(length=160), nullable=False),
    sa.Column('neighbourhood_id', sa.Integer(), nullable=False),
    sa.Column('structure_id', sa.Integer(), nullable=True),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('interpreter_languages', sa.String(length=200), nullable=False),
    sa.Column('childcare_offered', sa.Boolean(), nullable=False),
    sa.Column('express_mode', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_events_created_by_id_users')),
    sa.ForeignKeyConstraint(['neighbourhood_id'], ['neighbourhoods.id'], name=op.f('fk_events_neighbourhood_id_neighbourhoods')),
    sa.ForeignKeyConstraint(['structure_id'], ['structures.id'], name=op.f('fk_events_structure_id_structures')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events')),
    sa.UniqueConstraint('code', name=op.f('uq_events_code')),
    sa.UniqueConstraint('uuid', name=op.f('uq_events_uuid'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_neighbourhood_id'), ['neighbourhood_id'], unique=False)
        batch_op.create_index('ix_events_starts_at', ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_structure_id'), ['structure_id'], unique=False)

    op.create_table('cards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_at_event_id', sa.Integer(), nullable=True),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['created_at_event_id'], ['events.id'], name=op.f('fk_cards_created_at_event_id_events'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cards')),
    sa.UniqueConstraint('code', name=op.f('uq_cards_code')),
    sa.UniqueConstraint('uuid', name=op.f('uq_cards_uuid'))
    )
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cards_last_used_at'), ['last_used_at'], unique=False)

    op.create_table('event_partners',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('structure_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_partners_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['structure_id'], ['structures.id'], name=op.f('fk_event_partners_structure_id_structures')),
    sa.PrimaryKeyConstraint('event_id', 'structure_id', name=op.f('pk_event_partners'))
    )
    op.create_table('tallies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('undone_at', sa.DateTime(), nullable=True),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_tallies_author_id_users')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_tallies_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tallies')),
    sa.UniqueConstraint('uuid', name=op.f('uq_tallies_uuid'))
    )
    with op.batch_alter_table('tallies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tallies_event_id'), ['event_id'], unique=False)

    op.create_table('checkins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('card_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('first_seen', sa.Boolean(), nullable=False),
    sa.Column('first_time', sa.String(length=8), nullable=True),
    sa.Column('residence_neighbourhood_id', sa.Integer(), nullable=True),
    sa.Column('residence', sa.String(length=16), nullable=True),
    sa.Column('age_band', sa.String(length=10), nullable=True),
    sa.Column('gender', sa.String(length=8), nullable=True),
    sa.Column('goes_to_structure', sa.String(length=8), nullable=True),
    sa.Column('heard_from', sa.String(length=16), nullable=True),
    sa.Column('needs_skipped', sa.Boolean(), nullable=False),
    sa.Column('childcare_children', sa.Integer(), nullable=False),
    sa.Column('childcare_age_bands', sa.String(length=40), nullable=False),
    sa.Column('interpreter_language', sa.String(length=8), nullable=True),
    sa.Column('accessibility', sa.Boolean(), nullable=False),
    sa.Column('voided_at', sa.DateTime(), nullable=True),
    sa.Column('voided_by_id', sa.Integer(), nullable=True),
    sa.Column('void_reason', sa.String(length=200), nullable=True),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['card_id'], ['cards.id'], name=op.f('fk_checkins_card_id_cards'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_checkins_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['residence_neighbourhood_id'], ['neighbourhoods.id'], name=op.f('fk_checkins_residence_neighbourhood_id_neighbourhoods')),
    sa.ForeignKeyConstraint(['voided_by_id'], ['users.id'], name=op.f('fk_checkins_voided_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkins')),
    sa.UniqueConstraint('uuid', name=op.f('uq_checkins_uuid'))
    )
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.create_index('ix_checkins_card_id_created_at', ['card_id', 'created_at'], unique=False)
        batch_op.create_index('ix_checkins_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_checkins_event_id_created_at', ['event_id', 'created_at'], unique=False)
        batch_op.create_index('uq_checkins_event_card_live', ['event_id', 'card_id'], unique=True, sqlite_where=sa.text('card_id IS NOT NULL AND voided_at IS NULL'), postgresql_where=sa.text('card_id IS NOT NULL AND voided_at IS NULL'))



def downgrade():
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_index('uq_checkins_event_card_live', sqlite_where=sa.text('card_id IS NOT NULL AND voided_at IS NULL'), postgresql_where=sa.text('card_id IS NOT NULL AND voided_at IS NULL'))
        batch_op.drop_index('ix_checkins_event_id_created_at')
        batch_op.drop_index('ix_checkins_created_at')
        batch_op.drop_index('ix_checkins_card_id_created_at')

    op.drop_table('checkins')
    with op.batch_alter_table('tallies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tallies_event_id'))

    op.drop_table('tallies')
    op.drop_table('event_partners')
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cards_last_used_at'))

    op.drop_table('cards')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_structure_id'))
        batch_op.drop_index('ix_events_starts_at')
        batch_op.drop_index(batch_op.f('ix_events_neighbourhood_id'))

    op.drop_table('events')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_created_at'))

    op.drop_table('audit_log')
    op.drop_table('users')
    op.drop_table('structures')
    op.drop_table('neighbourhoods')
