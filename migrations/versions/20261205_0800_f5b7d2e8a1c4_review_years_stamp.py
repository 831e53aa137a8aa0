"""review years: the figures of a year still moving, kept while its rows are the same (issue 14)

Reviewed by hand. Two nullable columns on the review's cache: existing rows are settled years
(no stamp), which keep their meaning. Dropping the columns loses nothing but cached figures.

Revision ID: f5b7d2e8a1c4
Revises: e3a9c5d1f7b2
Create Date: 2026-12-05 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "f5b7d2e8a1c4"
down_revision = "e3a9c5d1f7b2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("review_years") as batch_op:
        batch_op.add_column(sa.Column("stamp", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("review_years") as batch_op:
        batch_op.drop_column("expires_at")
        batch_op.drop_column("stamp")
