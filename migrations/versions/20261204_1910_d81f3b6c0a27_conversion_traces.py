"""conversion traces: what the conversion figures keep of an unlinked (erased or purged) card (issue 14)

Reviewed by hand. A new table only. Cards erased before this revision lost their conversions
already (their visits and check-ins no longer name them): nothing can be rebuilt for them.

Revision ID: d81f3b6c0a27
Revises: c4d2a7e91b30
Create Date: 2026-12-04 19:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "d81f3b6c0a27"
down_revision = "c4d2a7e91b30"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "conversion_traces",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("card_key", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("structure_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("first_visit_at", sa.DateTime(), nullable=True),
        sa.Column("oriented", sa.Boolean(), nullable=False),
        sa.Column("followed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_conversion_traces_event_id_events"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["structure_id"], ["structures.id"],
                                name=op.f("fk_conversion_traces_structure_id_structures"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversion_traces")),
    )
    with op.batch_alter_table("conversion_traces", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conversion_traces_card_key"), ["card_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_conversion_traces_event_id"), ["event_id"], unique=False)


def downgrade():
    with op.batch_alter_table("conversion_traces", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversion_traces_event_id"))
        batch_op.drop_index(batch_op.f("ix_conversion_traces_card_key"))
    op.drop_table("conversion_traces")
