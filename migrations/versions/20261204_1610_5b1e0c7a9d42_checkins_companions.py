"""check-ins: companions, the people with a resident who do not check in (issue 15)

Reviewed by hand. One column with a server default of 0, so existing check-ins (and stands
that push before they upgrade) read as "no companion": a number added to the event's reach,
never a participation, never a profile.

Revision ID: 5b1e0c7a9d42
Revises: 05b42b7f0903
Create Date: 2026-12-04 16:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "5b1e0c7a9d42"
down_revision = "05b42b7f0903"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("checkins", sa.Column("companions", sa.Integer(), server_default="0", nullable=False))


def downgrade():
    with op.batch_alter_table("checkins") as batch_op:
        batch_op.drop_column("companions")
