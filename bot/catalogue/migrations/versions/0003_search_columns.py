"""Derived columns and indexes so that the recommendation query runs in SQL at any catalogue size.

The values are filled in by the application after the upgrade (bot.catalogue.migrate backfills rows whose
``quality_score`` is null), because they follow the matching rules in bot.advice.matching.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

#: copies of credential columns on credential_aims (bot.catalogue.models.SEARCH_COPIES)
COPIES = (
    ("quality_score", sa.Float),
    ("cost_rank", sa.Float),
    ("price_amount", sa.Float),
    ("price_currency", sa.String(3)),
    ("price_basis", sa.String(20)),
    ("cost_min", sa.Float),
    ("cost_min_usd", sa.Float),
    ("duration_weeks", sa.Float),
    ("hours_per_week", sa.Float),
    ("delivery_mode", sa.String(40)),
    ("level", sa.String(20)),
    ("credential_type", sa.String(40)),
    ("credit_value", sa.Float),
    ("credit_status", sa.String(20)),
    ("provider_kind", sa.String(40)),
)


def upgrade() -> None:
    with op.batch_alter_table("credentials") as batch:
        batch.add_column(sa.Column("cost_min", sa.Float))
        batch.add_column(sa.Column("cost_min_usd", sa.Float))
        batch.add_column(sa.Column("quality_score", sa.Float))
        batch.add_column(sa.Column("cost_rank", sa.Float))
        batch.add_column(sa.Column("aims_key", sa.String(400)))
        batch.add_column(sa.Column("provider_kind", sa.String(40)))
    with op.batch_alter_table("credential_aims") as batch:
        for name, type_ in COPIES:
            batch.add_column(sa.Column(name, type_))
    op.create_index("ix_credentials_rank", "credentials", [sa.text("quality_score DESC"), "cost_rank", "id"])
    op.create_index(
        "ix_credential_aims_rank",
        "credential_aims",
        [
            "aim",
            sa.text("quality_score DESC"),
            "cost_rank",
            "credential_id",
            *(name for name, _type in COPIES if name not in ("quality_score", "cost_rank")),
        ],
    )
    op.create_index(
        "ix_credentials_aimset_rank", "credentials", ["aims_key", sa.text("quality_score DESC"), "cost_rank", "id"]
    )
    op.create_table(
        "aim_sets",
        sa.Column("aims_key", sa.String(400), primary_key=True),
        sa.Column("credentials", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("aim_sets")
    op.drop_index("ix_credentials_aimset_rank", "credentials")
    op.drop_index("ix_credential_aims_rank", "credential_aims")
    op.drop_index("ix_credentials_rank", "credentials")
    with op.batch_alter_table("credential_aims") as batch:
        for name, _type in reversed(COPIES):
            batch.drop_column(name)
    with op.batch_alter_table("credentials") as batch:
        batch.drop_column("provider_kind")
        batch.drop_column("aims_key")
        batch.drop_column("cost_rank")
        batch.drop_column("quality_score")
        batch.drop_column("cost_min_usd")
        batch.drop_column("cost_min")
