"""residents' voice: topics (and those an event names), feedback on the action, contributions and their follow-up

Reviewed by hand. New tables only: nothing existing changes. A feedback names the check-in it
follows by its UUID (unique: one feedback per check-in), not by a foreign key, so that a
check-in made anonymous or voided keeps nothing pointing at it; a contribution names its
event, topic and the resident's card (SET NULL when the card is erased), never a check-in.

Revision ID: 7d13a0c0f1e5
Revises: 3c94770b2a04
Create Date: 2026-12-04 13:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d13a0c0f1e5'
down_revision = "3c94770b2a04"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "topics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("pictogram", sa.String(length=20), nullable=False),
        sa.Column("translations", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topics")),
        sa.UniqueConstraint("name", name=op.f("uq_topics_name")),
        sa.UniqueConstraint("uuid", name=op.f("uq_topics_uuid")),
    )
    op.create_table(
        "event_topics",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_event_topics_event_id_events"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["topic_id"], ["topics.id"], name=op.f("fk_event_topics_topic_id_topics"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id", "topic_id", name=op.f("pk_event_topics")),
    )
    op.create_table(
        "feedbacks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("checkin_uuid", sa.Uuid(), nullable=True),
        sa.Column("rating", sa.String(length=8), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_feedbacks_author_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_feedbacks_event_id_events"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedbacks")),
        sa.UniqueConstraint("checkin_uuid", name=op.f("uq_feedbacks_checkin_uuid")),
        sa.UniqueConstraint("uuid", name=op.f("uq_feedbacks_uuid")),
    )
    op.create_index(op.f("ix_feedbacks_event_id"), "feedbacks", ["event_id"], unique=False)
    op.create_table(
        "contributions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("card_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("initiative", sa.Boolean(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("audio_file", sa.String(length=80), nullable=True),
        sa.Column("audio_mime", sa.String(length=40), nullable=True),
        sa.Column("had_audio", sa.Boolean(), nullable=False),
        sa.Column("transcript", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_reason", sa.String(length=300), nullable=True),
        sa.Column("assigned_structure_id", sa.Integer(), nullable=True),
        sa.Column("paraphrase", sa.Text(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("first_answer_at", sa.DateTime(), nullable=True),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["assigned_structure_id"], ["structures.id"],
                                name=op.f("fk_contributions_assigned_structure_id_structures"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_contributions_author_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["card_id"], ["cards.id"], name=op.f("fk_contributions_card_id_cards"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_contributions_event_id_events"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["topic_id"], ["topics.id"], name=op.f("fk_contributions_topic_id_topics")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contributions")),
        sa.UniqueConstraint("uuid", name=op.f("uq_contributions_uuid")),
    )
    op.create_index(op.f("ix_contributions_card_id"), "contributions", ["card_id"], unique=False)
    op.create_index(op.f("ix_contributions_status"), "contributions", ["status"], unique=False)
    op.create_index(op.f("ix_contributions_topic_id"), "contributions", ["topic_id"], unique=False)
    op.create_index("ix_contributions_event_id_created_at", "contributions", ["event_id", "created_at"],
                    unique=False)
    op.create_table(
        "contribution_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contribution_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=True),
        sa.Column("detail", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["contribution_id"], ["contributions.id"],
                                name=op.f("fk_contribution_changes_contribution_id_contributions"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_contribution_changes_user_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contribution_changes")),
    )
    op.create_index(op.f("ix_contribution_changes_contribution_id"), "contribution_changes", ["contribution_id"],
                    unique=False)


def downgrade():
    op.drop_index(op.f("ix_contribution_changes_contribution_id"), table_name="contribution_changes")
    op.drop_table("contribution_changes")
    op.drop_index("ix_contributions_event_id_created_at", table_name="contributions")
    op.drop_index(op.f("ix_contributions_topic_id"), table_name="contributions")
    op.drop_index(op.f("ix_contributions_status"), table_name="contributions")
    op.drop_index(op.f("ix_contributions_card_id"), table_name="contributions")
    op.drop_table("contributions")
    op.drop_index(op.f("ix_feedbacks_event_id"), table_name="feedbacks")
    op.drop_table("feedbacks")
    op.drop_table("event_topics")
    op.drop_table("topics")
