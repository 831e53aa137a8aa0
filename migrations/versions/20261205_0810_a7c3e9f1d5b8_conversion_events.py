"""conversion events: each outreach event's kept part of the conversion figures (issue 14)

Reviewed by hand. A new table only: nothing to move. It starts empty and fills as the
conversion figures are read; dropping it loses nothing (the parts are computed again).

Revision ID: a7c3e9f1d5b8
Revises: f5b7d2e8a1c4
Create Date: 2026-12-05 08:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a7c3e9f1d5b8"
down_revision = "f5b7d2e8a1c4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "conversion_events",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("stamp", sa.String(length=200), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_conversion_events_event_id_events"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_conversion_events")),
    )


def downgrade():
    op.drop_table("conversion_events")
