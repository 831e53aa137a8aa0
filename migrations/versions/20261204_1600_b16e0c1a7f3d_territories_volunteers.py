"""territories and volunteers: a coordinator's or delegate's city, the volunteers given an event

Reviewed by hand. users.city is nullable: every existing account keeps the whole métropole
(NULL), so today's coordinators see what they saw. The two new roles ("benevole",
"delegue") are values of users.role, a plain string: no change there. event_volunteers is
a new table; deleting an event or an account drops its assignments.

Revision ID: b16e0c1a7f3d
Revises: a088e9b4ccc7
Create Date: 2026-12-04 16:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "b16e0c1a7f3d"
down_revision = "a088e9b4ccc7"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("city", sa.String(length=120), nullable=True))
    op.create_table(
        "event_volunteers",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_event_volunteers_event_id_events"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_event_volunteers_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id", "user_id", name=op.f("pk_event_volunteers")),
    )
    with op.batch_alter_table("event_volunteers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_volunteers_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("event_volunteers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_volunteers_user_id"))
    op.drop_table("event_volunteers")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("city")
