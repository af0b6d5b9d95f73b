"""The staff review app's tables: staff, conversation summaries, tags, notes, corrections, audit log.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

B, F, INT, S, T = sa.Boolean, sa.Float, sa.Integer, sa.String, sa.Text


def upgrade() -> None:
    _summaries()
    _review_data()


def _review_data() -> None:
    op.create_table(
        "review_staff",
        sa.Column("id", INT, primary_key=True, autoincrement=True),
        sa.Column("email", S(255), nullable=False, unique=True),
        sa.Column("role", S(16), nullable=False),
        sa.Column("password_hash", S(255), nullable=False),
        sa.Column("created", F, nullable=False),
    )


def _summaries() -> None:
    op.create_table(
        "review_summaries",
        sa.Column("sender_id", S(255), primary_key=True),
        sa.Column("channel", S(32), nullable=False),
        sa.Column("first_ts", F, nullable=False),
        sa.Column("last_ts", F, nullable=False, index=True),
        sa.Column("last_event_id", INT, nullable=False),
        sa.Column("user_messages", INT, nullable=False),
        sa.Column("intents", T, nullable=False),
        sa.Column("actions", T, nullable=False),
        sa.Column("min_confidence", F),
        sa.Column("fallback", B, nullable=False),
        sa.Column("out_of_scope", B, nullable=False),
        sa.Column("handoff", B, nullable=False),
        sa.Column("nothing_fitted", B, nullable=False),
        sa.Column("waiting_for_list", B, nullable=False),
        sa.Column("career_aim", S(64), index=True),
        sa.Column("budget_kind", S(16)),
        sa.Column("budget_amount", F),
        sa.Column("budget_currency", S(3)),
        sa.Column("weeks", F),
        sa.Column("hours_per_week", F),
        sa.Column("recommended", T, nullable=False),
        sa.Column("words", T, nullable=False),
        sa.Column("status", S(16), nullable=False, index=True),
    )
    _annotations()


def _annotations() -> None:
    op.create_table(
        "review_tags",
        sa.Column("sender_id", S(255), primary_key=True),
        sa.Column("tag", S(64), primary_key=True, index=True),
    )
    op.create_table(
        "review_notes",
        sa.Column("id", INT, primary_key=True, autoincrement=True),
        sa.Column("sender_id", S(255), nullable=False, index=True),
        sa.Column("author", S(255), nullable=False),
        sa.Column("at", F, nullable=False),
        sa.Column("text", T, nullable=False),
    )
    op.create_table(
        "review_corrections",
        sa.Column("event_id", INT, primary_key=True, autoincrement=False),
        sa.Column("sender_id", S(255), nullable=False, index=True),
        sa.Column("text", T, nullable=False),
        sa.Column("predicted", S(64)),
        sa.Column("intent", S(64), nullable=False),
        sa.Column("author", S(255), nullable=False),
        sa.Column("at", F, nullable=False),
    )
    op.create_table(
        "review_audit",
        sa.Column("id", INT, primary_key=True, autoincrement=True),
        sa.Column("at", F, nullable=False, index=True),
        sa.Column("actor", S(255), nullable=False),
        sa.Column("action", S(32), nullable=False),
        sa.Column("target", S(255)),
        sa.Column("detail", T),
    )
    op.create_table(
        "review_sync",
        sa.Column("name", S(32), primary_key=True),
        sa.Column("last_event_id", INT, nullable=False),
    )


def downgrade() -> None:
    for name in (
        "review_sync",
        "review_audit",
        "review_corrections",
        "review_notes",
        "review_tags",
        "review_summaries",
        "review_staff",
    ):
        op.drop_table(name)
