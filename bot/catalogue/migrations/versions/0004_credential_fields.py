"""The fields a credential serves (data/fields.yml codes), as curated in the catalogue: "|main|other|".

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("credentials") as batch:
        batch.add_column(sa.Column("fields_key", sa.String(400)))


def downgrade() -> None:
    with op.batch_alter_table("credentials") as batch:
        batch.drop_column("fields_key")
