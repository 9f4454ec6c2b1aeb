"""migrant work per person and year

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
    with op.batch_alter_table("monitor_person_year", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("migrant_worker", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("monitor_person_year", schema=None) as batch_op:
        batch_op.drop_column("migrant_worker")
