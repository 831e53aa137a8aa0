"""review years: the cached figures of a settled year of the annual review (issue 14)

Reviewed by hand. A new table only: nothing to move. The cache starts empty and fills as
settled years are reviewed; dropping it loses nothing (the figures are computed again).

Revision ID: c4d2a7e91b30
Revises: 5b1e0c7a9d42
Create Date: 2026-12-04 19:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c4d2a7e91b30"
down_revision = "5b1e0c7a9d42"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "review_years",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("neighbourhood_key", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_years")),
        sa.UniqueConstraint("year", "neighbourhood_key", name="uq_review_years_year_neighbourhood"),
    )


def downgrade():
    op.drop_table("review_years")
