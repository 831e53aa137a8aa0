"""translations reviewed and prompts recorded (issue 15)

Reviewed by hand (issue 15). Two new tables and one column; nothing existing is rewritten.
- translation_texts: a translator's text for one resident-facing French msgid in one kiosk
  language (draft or approved); unique per language and msgid hash (a Text column cannot be
  a portable unique key). Only approved rows override the shipped catalogue.
- prompt_recordings: one recorded prompt per language and stable key, its file named by a
  hash of its content under PROMPT_DIR; "demo" marks the machine-made demo recordings.
- users.translator: the translator flag, on top of the role; false for every existing account
  (sa.false(), which PostgreSQL needs for a boolean default where SQLite takes 0).

Revision ID: 05b42b7f0903
Revises: b16e0c1a7f3d
Create Date: 2026-12-04 16:00:33.886976

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '05b42b7f0903'
down_revision = 'b16e0c1a7f3d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('prompt_recordings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('prompt_key', sa.String(length=60), nullable=False),
    sa.Column('file', sa.String(length=80), nullable=False),
    sa.Column('mime', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('demo', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_prompt_recordings_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prompt_recordings')),
    sa.UniqueConstraint('language', 'prompt_key', name='uq_prompt_recordings_language_prompt_key')
    )
    op.create_table('translation_texts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('msgid_key', sa.String(length=40), nullable=False),
    sa.Column('msgid', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_translation_texts_approved_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_translation_texts_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_translation_texts')),
    sa.UniqueConstraint('language', 'msgid_key', name='uq_translation_texts_language_msgid_key')
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translator', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('translator')

    op.drop_table('translation_texts')
    op.drop_table('prompt_recordings')
