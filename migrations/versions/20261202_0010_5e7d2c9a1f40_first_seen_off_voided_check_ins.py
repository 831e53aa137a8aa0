"""first seen off voided check-ins: a voided check-in counts for nothing

Reviewed by hand. Data only, no schema change. Until now a voided check-in kept its
first-seen flag and the card's next check-in was not first seen: the card was never
first seen anywhere. Move the flag to each card's earliest live check-in, as voiding now
does (checkin.services.settle_first_seen), and drop the cached summaries, which only
recompute. Cards without any live check-in keep none; check-ins without a card are left
as they are (retention and erasure keep their flag so published figures stay).

Revision ID: 5e7d2c9a1f40
Revises: 3a8050638ace
Create Date: 2026-12-02 00:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e7d2c9a1f40'
down_revision = "3a8050638ace"
branch_labels = None
depends_on = None

checkins = sa.table(
    "checkins", sa.column("id", sa.Integer), sa.column("card_id", sa.Integer),
    sa.column("first_seen", sa.Boolean), sa.column("voided_at", sa.DateTime), sa.column("created_at", sa.DateTime),
)


def upgrade():
    op.execute(checkins.update().where(
        checkins.c.first_seen.is_(True), checkins.c.voided_at.is_not(None), checkins.c.card_id.is_not(None),
    ).values(first_seen=False))
    earlier, first = checkins.alias("earlier"), checkins.alias("first")
    no_earlier_live = ~sa.exists().where(
        earlier.c.card_id == checkins.c.card_id, earlier.c.voided_at.is_(None),
        sa.or_(earlier.c.created_at < checkins.c.created_at,
               sa.and_(earlier.c.created_at == checkins.c.created_at, earlier.c.id < checkins.c.id)))
    no_first_seen = ~sa.exists().where(
        first.c.card_id == checkins.c.card_id, first.c.voided_at.is_(None), first.c.first_seen.is_(True))
    op.execute(checkins.update().where(
        checkins.c.card_id.is_not(None), checkins.c.voided_at.is_(None), no_earlier_live, no_first_seen,
    ).values(first_seen=True))
    op.execute(sa.table("event_summaries").delete())


def downgrade():
    pass  # the old flags were wrong; nothing to restore
