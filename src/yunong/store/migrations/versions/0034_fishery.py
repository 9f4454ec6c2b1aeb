"""patrol finding photos

Revision ID: 0034
Revises: 0033

A patrol's finding may carry a photo taken on the phone.
"""

import sqlalchemy as sa
from alembic import op

revision = "0034"
down_revision = "0033"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("fishery_patrol") as batch:
        batch.add_column(sa.Column("photo", sa.LargeBinary(), nullable=True))
        batch.add_column(
            sa.Column("photo_type", sa.String(length=16), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("fishery_patrol") as batch:
        batch.drop_column("photo_type")
        batch.drop_column("photo")
