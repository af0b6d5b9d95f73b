"""The EU Annex I elements the first schema lacked: learning outcomes, notional workload,
prerequisites, identity check at assessment, skills, further information.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

COLUMNS = (
    ("learning_outcomes", sa.Text),
    ("workload_hours", sa.Float),
    ("prerequisites", sa.Text),
    ("identity_verified", sa.Boolean),
    ("skills", sa.Text),
    ("further_information", sa.Text),
)


def upgrade() -> None:
    with op.batch_alter_table("credentials") as batch:
        for name, type_ in COLUMNS:
            batch.add_column(sa.Column(name, type_))


def downgrade() -> None:
    with op.batch_alter_table("credentials") as batch:
        for name, _type in reversed(COLUMNS):
            batch.drop_column(name)
