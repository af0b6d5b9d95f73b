"""Where a credential is offered, when only there (bot.model.REGIONS_OFFERED codes): "|england|".

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("credentials") as batch:
        batch.add_column(sa.Column("regions_key", sa.String(200)))


def downgrade() -> None:
    with op.batch_alter_table("credentials") as batch:
        batch.drop_column("regions_key")
