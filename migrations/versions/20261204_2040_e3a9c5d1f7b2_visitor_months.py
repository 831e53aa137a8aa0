"""visitor months: the kept visitor counts of a finished month, for the annual review (issue 14)

Reviewed by hand. A new table only: nothing to move. The cache starts empty and fills as
finished months are reviewed; dropping it loses nothing (the counts are computed again).

Revision ID: e3a9c5d1f7b2
Revises: d81f3b6c0a27
Create Date: 2026-12-04 20:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "e3a9c5d1f7b2"
down_revision = "d81f3b6c0a27"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "visitor_months",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visitor_months")),
        sa.UniqueConstraint("month", name=op.f("uq_visitor_months_month")),
    )


def downgrade():
    op.drop_table("visitor_months")
