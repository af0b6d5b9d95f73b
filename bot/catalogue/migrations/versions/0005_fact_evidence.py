"""Evidence per fact (source, quote, date checked, by whom); price scope, expiring access, credit
eligibility, co-providers, retired programmes and providers' former names.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fact_evidence",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("credential_id", sa.String(80), sa.ForeignKey("credentials.id", ondelete="CASCADE"), nullable=False),
        sa.Column("fact", sa.String(40), nullable=False),
        sa.Column("item", sa.Integer, nullable=False, server_default="0"),
        sa.Column("confirmed", sa.Boolean, nullable=False),
        sa.Column("source", sa.String(500)),
        sa.Column("line", sa.Integer),
        sa.Column("says", sa.Text),
        sa.Column("checked", sa.Date),
        sa.Column("checked_by", sa.String(200)),
        sa.Column("page_date", sa.String(40)),
    )
    op.create_index("ix_fact_evidence_credential_id", "fact_evidence", ["credential_id"])
    with op.batch_alter_table("credentials") as batch:
        batch.add_column(sa.Column("price_scope", sa.String(20)))
        batch.add_column(sa.Column("access_weeks", sa.Float))
        batch.add_column(sa.Column("credit_eligibility", sa.Text))
        batch.add_column(sa.Column("co_providers", sa.Text, server_default="[]"))
        batch.add_column(sa.Column("status", sa.String(20), server_default="active"))
        batch.add_column(sa.Column("status_note", sa.Text))
    with op.batch_alter_table("providers") as batch:
        batch.add_column(sa.Column("former_names", sa.Text, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("providers") as batch:
        batch.drop_column("former_names")
    with op.batch_alter_table("credentials") as batch:
        for name in ("status_note", "status", "co_providers", "credit_eligibility", "access_weeks", "price_scope"):
            batch.drop_column(name)
    op.drop_index("ix_fact_evidence_credential_id", "fact_evidence")
    op.drop_table("fact_evidence")
