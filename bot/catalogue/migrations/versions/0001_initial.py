"""The first schema: providers, credentials, their aims and recognitions, dated exchange rates.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "providers",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("country", sa.String(2)),
        sa.Column("website", sa.String(500)),
        sa.Column("legitimacy", sa.String(20), nullable=False),
        sa.Column("legitimacy_evidence", sa.Text),
    )
    op.create_table(
        "credentials",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("provider_id", sa.String(80), sa.ForeignKey("providers.id"), nullable=False),
        sa.Column("platform_id", sa.String(80), sa.ForeignKey("providers.id")),
        sa.Column("credential_type", sa.String(40), nullable=False),
        sa.Column("topics", sa.Text),
        sa.Column("price_amount", sa.Float),
        sa.Column("price_currency", sa.String(3)),
        sa.Column("price_basis", sa.String(20)),
        sa.Column("free_to_audit", sa.Boolean, nullable=False),
        sa.Column("certificate_price", sa.Float),
        sa.Column("duration_weeks", sa.Float),
        sa.Column("hours_per_week", sa.Float),
        sa.Column("delivery_mode", sa.String(40)),
        sa.Column("level_eqf", sa.Integer),
        sa.Column("level", sa.String(20)),
        sa.Column("credit_value", sa.Float),
        sa.Column("credit_system", sa.String(10)),
        sa.Column("credit_status", sa.String(20)),
        sa.Column("credit_note", sa.Text),
        sa.Column("assessment_type", sa.Text),
        sa.Column("assessment_supervised", sa.Boolean),
        sa.Column("qa_type", sa.Text),
        sa.Column("qa_body", sa.String(255)),
        sa.Column("stackable_into", sa.Text),
        sa.Column("issuer_country", sa.String(2)),
        sa.Column("language", sa.String(10)),
        sa.Column("source_url", sa.String(500), nullable=False),
        sa.Column("last_checked", sa.Date, nullable=False),
    )
    op.create_index("ix_credentials_provider_id", "credentials", ["provider_id"])
    op.create_table(
        "credential_aims",
        sa.Column(
            "credential_id", sa.String(80), sa.ForeignKey("credentials.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("aim", sa.String(40), primary_key=True),
    )
    op.create_index("ix_credential_aims_aim", "credential_aims", ["aim"])
    op.create_table(
        "recognitions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("credential_id", sa.String(80), sa.ForeignKey("credentials.id", ondelete="CASCADE"), nullable=False),
        sa.Column("by", sa.String(255), nullable=False),
        sa.Column("url", sa.String(500)),
    )
    op.create_index("ix_recognitions_credential_id", "recognitions", ["credential_id"])
    op.create_table(
        "exchange_rates",
        sa.Column("currency", sa.String(3), primary_key=True),
        sa.Column("usd_per_unit", sa.Float, nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("source", sa.String(300), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("exchange_rates")
    op.drop_index("ix_recognitions_credential_id", "recognitions")
    op.drop_table("recognitions")
    op.drop_index("ix_credential_aims_aim", "credential_aims")
    op.drop_table("credential_aims")
    op.drop_index("ix_credentials_provider_id", "credentials")
    op.drop_table("credentials")
    op.drop_table("providers")
