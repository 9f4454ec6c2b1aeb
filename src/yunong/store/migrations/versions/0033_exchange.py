"""exchange: the land class of a deal, for the price index's hedonic adjustment

Revision ID: 0033
Revises: 0032
"""

import sqlalchemy as sa
from alembic import op

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("exchange_deal") as batch:
        batch.add_column(sa.Column("land_class", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("exchange_deal") as batch:
        batch.drop_column("land_class")
